"""Each row's own checks for validate.py: here, or on another core once an import is big.

A row's own checks (rowcheck.check_row) depend on the row, its role, its table's columns
and the region alone, and cost most of validation (~30 µs a row: names, email syntax,
phone parsing). So once an import has read HELP_FROM rows, a helper process is started
(check_helper.py, a child of isolated.py's fork server) and, when it is ready, checks the
rows in batches while this process reads the next ones and does what needs the rows in
order (duplicates, identity keys: validate.py). The answers are check_row's own, rebuilt
here, and come back in the rows' order, so the issues, their order and the people are
those of checking every row here (tests/importing/test_row_checks.py compares whole
imports both ways). A helper that cannot start, or dies, costs nothing but the speed:
its rows in flight and every row after are checked here.
"""

import contextlib
import logging
import marshal
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import count
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from roster.accounts.roles import Role
from roster.importing import check_helper
from roster.importing.columns import Columns
from roster.importing.issues import IssueCode
from roster.importing.rowcheck import Flag, RowCheck, check_row
from roster.importing.sources import Row, isolated

log = logging.getLogger(__name__)
# The largest peak (KB) a helper reported in this process, for the benchmarks (as
# isolated.children_peak_kb for the workbook readers).
helper_peak_kb = 0

HELP_FROM = 5_000  # rows an import reads before a helper is started (~0.15 s of checks)
BATCH = 1_000  # rows per message: large enough to amortize a frame, small enough to stream
IN_FLIGHT = 2  # batches sent and not yet answered: the helper never waits for the next
MAX_WAITING = 8  # batches read and not yet handed on, at most
POLL_EVERY = 100  # rows between two looks at whether a starting helper is ready

# A row as read: (row, role, its check) with no check for a row kept out before its checks.
type Item = tuple[Row, Role | None, RowCheck | None]
# ... and the person its check gives, packed (people.pack; None: kept out for its errors).
type Checked = tuple[Row, Role | None, RowCheck | None, str | None]


class RowChecks:
    """check_row for one import's rows, in their order, on a helper when the import is big."""

    def __init__(self, region: str, help_from: int | None = None) -> None:
        self.region = region
        self.help_from = HELP_FROM if help_from is None else help_from
        self.read = 0
        self.helper: _Helper | None = None
        self.tables = count()

    def checked(self, items: Iterable[Item], columns: Columns) -> Iterator[Checked]:
        """Each item with the person its check gives, packed (None: kept out), in order.

        Full batches go to the helper while it has fewer than IN_FLIGHT; when it has that
        many, this process checks the next batch itself, so both cores stay busy. Batches
        leave in the order they were read, each once its answers are in.
        """
        key = next(self.tables)
        waiting: deque[_Batch] = deque()
        batch: list[Item] = []
        for item in items:
            self.read += 1
            helper = self._helper()
            if helper is None:
                if batch:
                    waiting.append(_Batch(batch))
                    batch = []
                yield from self._all_here(waiting)  # what a helper that died was given
                yield self._one(item)
                continue
            batch.append(item)
            if len(batch) < BATCH:
                continue
            # What is answered already leaves first, so the helper is given the next batch
            # as soon as it has room; a long queue waits for its oldest.
            while waiting and (
                waiting[0].checked is not None
                or len(waiting) >= MAX_WAITING
                or (self.helper is not None and self.helper.connection.poll())
            ):
                yield from self._oldest(waiting)
            waiting.append(self._share(helper, key, columns, batch, waiting))
            batch = []
        if batch:
            helper = self._helper()
            if helper is None:
                waiting.append(_Batch(batch, [self._one(item) for item in batch]))
            else:
                waiting.append(self._share(helper, key, columns, batch, waiting))
        while waiting:
            yield from self._oldest(waiting)

    def _share(
        self,
        helper: "_Helper",
        key: int,
        columns: Columns,
        batch: list[Item],
        waiting: "deque[_Batch]",
    ) -> "_Batch":
        """The batch sent to the helper, or checked here when the helper has enough."""
        if sum(1 for each in waiting if each.checked is None) < IN_FLIGHT:
            if helper.send(key, columns, batch):
                return _Batch(batch)
            self._lost()
        return _Batch(batch, [self._one(item) for item in batch])

    def _oldest(self, waiting: "deque[_Batch]") -> Iterator[Checked]:
        """The oldest batch's rows with their answers (checked here if the helper has none)."""
        oldest = waiting[0]
        if oldest.checked is not None:
            waiting.popleft()
            yield from oldest.checked
            return
        answers = None if self.helper is None else self.helper.receive()
        batch = oldest.items
        if not isinstance(answers, list) or len(answers) != sum(1 for *_, c in batch if c):
            if self.helper is not None:
                self._lost()
            yield from self._all_here(waiting)
            return
        waiting.popleft()
        given = iter(answers)
        for row, role, check in batch:
            if check is None:
                yield row, role, None, None
                continue
            flags, values, packed = next(given)
            check.flags[:] = [flag_from(values) for values in flags]
            check.values = values
            yield row, role, check, packed

    def _all_here(self, waiting: "deque[_Batch]") -> Iterator[Checked]:
        """Every batch still waiting, those the helper had checked here."""
        while waiting:
            oldest = waiting.popleft()
            if oldest.checked is not None:
                yield from oldest.checked
            else:
                for item in oldest.items:
                    yield self._one(item)

    def close(self) -> None:
        if self.helper is not None:
            self.helper.close()
            self.helper = None

    def _helper(self) -> "_Helper | None":
        """The ready helper, starting it once the import is big enough; None until ready."""
        helper = self.helper
        if helper is None:
            if self.read >= self.help_from:
                self.helper = _Helper.start(self.region)
                self.help_from = 1 << 62  # one helper an import, started once
            return None
        if helper.is_ready:
            return helper
        if self.read % POLL_EVERY == 0:
            ready = helper.poll_ready()
            if ready is None:
                self._lost()
            elif ready:
                return helper
        return None

    def _one(self, item: Item) -> Checked:
        row, role, check = item
        return row, role, check, None if check is None else check_row(check)

    def _lost(self) -> None:
        log.warning("the row-check helper stopped; the import's rows are checked in one process")
        self.close()


class _Batch:
    """Rows read together: sent to the helper (`checked` None until answered) or checked here."""

    __slots__ = ("checked", "items")

    def __init__(self, items: list[Item], checked: list[Checked] | None = None) -> None:
        self.items = items
        self.checked = checked


# The plain form a flag crosses the pipe in, both ways (marshal frames); a person crosses
# it packed (people.pack).


def flag_values(flag: Flag) -> tuple[str, int, str, str]:
    return flag.code.value, flag.column, flag.detail, flag.label


def flag_from(values: tuple[str, int, str, str]) -> Flag:
    code, column, detail, label = values
    return Flag(IssueCode(code), column, detail, label)


class _Helper:
    """One helper process and its pipe; killed when closed or abandoned."""

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.is_ready = False
        self.tables: set[int] = set()
        self.unanswered = 0  # batches sent whose answers have not been read

    @classmethod
    def start(cls, region: str) -> "_Helper | None":
        try:
            isolated.start_fork_server()
            mine, theirs = isolated.FORKS.Pipe()
            process = isolated.FORKS.Process(
                target=check_helper.serve, args=(theirs, region), daemon=True
            )
            process.start()
            theirs.close()
        except OSError:
            log.warning("the row-check helper could not start", exc_info=True)
            return None
        return cls(process, mine)

    def poll_ready(self) -> bool | None:
        """Whether the helper has said it is ready (None: it ended before it could)."""
        if self.connection.poll():
            self.is_ready = self.receive() == "ready"
            return True if self.is_ready else None
        return False

    def send(self, key: int, columns: Columns, batch: list[Item]) -> bool:
        rows = [
            (
                check.row.number,
                check.row.cells,
                tuple(check.row.lossy),
                check.role.value,
                [flag_values(flag) for flag in check.flags],
            )
            for _, _, check in batch
            if check is not None
        ]
        try:
            if key not in self.tables:
                self.connection.send_bytes(marshal.dumps(("table", key, pickle.dumps(columns))))
                self.tables.add(key)
            self.connection.send_bytes(marshal.dumps(("rows", key, rows)))
        except (OSError, ValueError):
            return False
        self.unanswered += 1
        return True

    def receive(self) -> object:
        """The helper's next answer: "ready", a list of row answers, or None if it died."""
        try:
            message = marshal.loads(self.connection.recv_bytes())  # noqa: S302 - our own child
        except (EOFError, OSError, ValueError):
            return None
        if message[0] == "ready":
            return "ready"
        self.unanswered -= 1
        return message[1]

    def close(self) -> None:
        global helper_peak_kb
        with contextlib.suppress(OSError, ValueError, EOFError):
            # Answers still coming (an import that stopped midway): the helper may be
            # writing one that nobody reads; it is not asked for its peak, only ended.
            if self.is_ready and self.process.is_alive() and not self.unanswered:
                self.connection.send_bytes(marshal.dumps(("end",)))
                if self.connection.poll(2):
                    peak = marshal.loads(self.connection.recv_bytes())  # noqa: S302
                    helper_peak_kb = max(helper_peak_kb, peak[1])
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.process.close()
