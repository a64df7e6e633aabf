"""The helper process of row_checks.py: each row's own checks, on another core.

It runs in a child of isolated.py's fork server, which has not set Django up, and the
checks need no app registry (they take the roles from accounts/roles.py, not the
models): setting Django up would cost the helper ~0.35 s of CPU before its first row, on
a machine whose cores the import already keeps busy. It answers batches of rows until
its pipe closes.
Messages are marshal frames (row_checks.py writes them and reads the answers).
"""

import gc
import marshal
import pickle
import queue
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from roster.importing.sources.isolated import peak_kb

HELPER_MEMORY = 20_000  # values remembered per field (cells.py: 100,000)


def serve(connection: Connection, region: str) -> None:
    """Check each batch of rows sent, answering with each row's flags, values and person."""
    gc.disable()  # the helper keeps nothing that forms cycles (collector.py)
    check = row_checker(region)
    tables: dict[int, Any] = {}
    connection.send_bytes(marshal.dumps(("ready",)))
    for message in _received(connection):
        if message[0] == "table":
            _, key, columns = message
            tables[key] = pickle.loads(columns)  # noqa: S301 - our own parent
        elif message[0] == "end":  # its peak memory, for the benchmarks
            connection.send_bytes(marshal.dumps(("peak", peak_kb())))
            return
        elif message[0] == "rows":
            _, key, rows = message
            columns = tables[key]
            answers = [check(row, columns) for row in rows]
            connection.send_bytes(marshal.dumps(("checked", answers)))


def _received(connection: Connection) -> Iterator[tuple[Any, ...]]:
    """The parent's messages, in order, read by a thread of their own as they arrive.

    Both ends write whole messages and wait until they are written, and a batch of wide
    rows, like its answers, is larger than the socket's buffer. If this process read
    only between answers, it could be writing an answer (waiting for the parent to read)
    while the parent writes the next batch (waiting for this process to read): both
    would wait for ever, and the import with them. The thread always reads, so the
    parent's writes always end; it sends at most IN_FLIGHT batches ahead, so what waits
    here is bounded.
    """
    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                inbox.put(connection.recv_bytes())
        except (EOFError, OSError):
            inbox.put(None)

    threading.Thread(target=read, name="roster-helper-inbox", daemon=True).start()
    while (data := inbox.get()) is not None:
        yield marshal.loads(data)  # noqa: S302 - our own parent


def row_checker(region: str) -> Callable[[tuple[Any, ...], Any], tuple[Any, ...]]:
    """rowcheck.check_row over plain values: a row as row_checks.py sends it → (flags,
    values, person packed), in row_checks.py's plain forms, which it turns back."""
    from roster.accounts.roles import Role
    from roster.importing.cells import CellChecker
    from roster.importing.row_checks import flag_from, flag_values
    from roster.importing.rowcheck import RowCheck, check_row
    from roster.importing.sources import Row

    # A smaller memory than the importing process's: this process is the import's third
    # (with the workbook reader), and memory is what a million-row import runs short of.
    cells = CellChecker(region, memory=HELPER_MEMORY)

    def check(row: tuple[Any, ...], columns: Any) -> tuple[Any, ...]:
        number, texts, lossy, role, flags = row
        found = Row(number, texts, frozenset(lossy)) if lossy else Row(number, texts)
        checked = RowCheck(found, Role(role), columns, cells, [flag_from(f) for f in flags])
        packed = check_row(checked)
        return [flag_values(flag) for flag in checked.flags], checked.values, packed

    return check
