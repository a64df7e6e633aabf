"""Time spent waiting for locks, sampled from pg_locks while a benchmark runs.

A thread with its own connection looks every `interval` seconds at the lock requests of
the database that are not granted, and adds `interval` for each one to its kind: the
organization's lock (roster/orgs/locks.py, a row lock on orgs_organization, seen as a
wait by a statement that locks that table); "table growth", PostgreSQL's lock on
extending a table or index file, which concurrent inserts into one table share whatever
their organization; or any other lock, by its type. Waits shorter than the interval can
be missed; a long one is counted to within one interval.
"""

import threading
from types import TracebackType

WAITING = """
    SELECT lock.locktype, activity.query
    FROM pg_locks AS lock JOIN pg_stat_activity AS activity ON activity.pid = lock.pid
    WHERE NOT lock.granted AND activity.datname = current_database()
"""


def kind_of(locktype: str, query: str) -> str:
    if "orgs_organization" in query and "FOR UPDATE" in query:
        return "organization lock"
    return "table growth" if locktype == "extend" else f"other ({locktype})"


class LockWaits:
    """with LockWaits() as waits: ...; then waits.seconds: {kind: seconds waited}."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.seconds: dict[str, float] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "LockWaits":
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self._stop.wait(self.interval):
                    cursor.execute(WAITING)
                    self.samples += 1
                    for locktype, query in cursor.fetchall():
                        kind = kind_of(locktype, query or "")
                        self.seconds[kind] = self.seconds.get(kind, 0.0) + self.interval
        finally:
            connection.close()
