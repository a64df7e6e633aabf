"""Parsing an untrusted workbook in a child process, where a crash costs one file.

calamine is Rust: when an allocation fails it aborts the whole process (SIGABRT), which
no Python code can catch; in a web worker that is every organization's requests. The
extent checks (extent.py) refuse the files known to do that, and this module makes sure
anything they miss costs one file: the workbook is parsed by a child process under an
address-space and a CPU-time limit, which sends the tables back through a pipe (marshal
frames: the tables' names and headers first, then each table's rows in batches). The
parent reads rows as the pipeline asks for them, so rows still stream, and the child
parses the next batch while the parent works on the last. A child that dies becomes a
ReadError for that file.

The extent checks run in a second child at the same time (`_Checker`), so that neither
the parent nor the parser waits for them: they cost ~1.4 s of CPU for 100,000 rows, which
the parent would otherwise spend before its first row. Their verdict is the answer
whatever the parser did: the parent looks for it at every frame, waits for it before it
hands on the end of a table (so no table is read whole from a refused file) and before it
raises the parser's own error (a file the checks refuse gets their sentence, not "could
not be read"). Rows handed on before a refusal arrives are thrown away with the import,
as those before a row limit already were.

Children come from multiprocessing's fork server: one small single-threaded process per
parent, started on first use with the readers already imported, which forks a child per
workbook in milliseconds (starting an interpreter costs ~0.1 s of CPU), and is safe to
use from a threaded web worker, which forking directly is not.
"""

import contextlib
import fcntl
import json
import logging
import marshal
import multiprocessing
import os
import resource
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import asdict
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import IO, Any

from roster.importing.sources.limits import Limits
from roster.importing.sources.source import Opened
from roster.importing.sources.table import ReadError, ReadErrorCode, ReadResult, Row, Table

log = logging.getLogger(__name__)

BATCH = 2000  # rows per frame: large enough to amortize a frame, small enough to stream
CPU_SECONDS = 600  # far beyond any real workbook (1,000,000 rows parse in ~10 s)
CHUNK = 1024 * 1024
PIPE_BYTES = 1024 * 1024  # Linux's default ceiling for an unprivileged process
FORKS = multiprocessing.get_context("forkserver")
# The fork server imports the readers once; each child starts with them loaded.
FORKS.set_forkserver_preload(
    ["roster.importing.sources.fork_main", "roster.importing.sources.read"]
)
_SERVER_STARTING = threading.Lock()


def start_fork_server() -> None:
    """Start the fork server once, telling fork_main what to label its __main__ with."""
    with _SERVER_STARTING:
        main = spawn.get_preparation_data("roster")
        keys = ("init_main_from_path", "init_main_from_name")
        label = json.dumps({key: main[key] for key in keys if key in main})
        if os.environ.get("ROSTER_FORK_MAIN") != label:  # once per process, normally
            os.environ["ROSTER_FORK_MAIN"] = label
        forkserver.ensure_running()


def read_isolated(
    opened: Opened, limits: Limits, *, is_ods: bool, check: str | None = None
) -> ReadResult:
    """The workbook's ReadResult, parsed by a child process; rows stream from it.

    `check` names the extent checks to run on it (read.check_workbook) in a second child,
    at the same time: when they refuse the file, that is the answer, raised from here or
    from its rows before a table ends, whatever the parser did meanwhile.
    """
    path, copy = (opened.path, None) if opened.path is not None else _copy_to_disk(opened.file)
    child = _Child(CHILD, {"path": path, "is_ods": is_ods, "limits": asdict(limits)}, copy)
    checker = None
    try:
        if check is not None:
            arguments = {"path": path, "check": check, "limits": asdict(limits)}
            checker = _Checker(_Child(CHECKER, arguments, copy))
        message = _frame(child, checker)
        if message[0] != "tables":
            raise AssertionError(message)  # the child's first frame is always its tables
        if checker is not None and not message[3]:
            checker.wait()  # no table to read: the verdict is needed now
    except BaseException:
        child.close()
        if checker is not None:
            checker.close()
        raise
    _, file_name, skipped, described = message
    stream = _Stream(child, checker, len(described))
    tables = [
        Table(name=name, header=tuple(header), header_row=header_row, rows=stream.rows(index))
        for index, (name, header, header_row) in enumerate(described)
    ]
    return ReadResult(file=opened.name or file_name, tables=tables, skipped_sheets=skipped)


def _frame(child: "_Child", checker: "_Checker | None") -> tuple[Any, ...]:
    """The parser's next frame, once the checks, if they have answered, let the file be.

    The checks' refusal wins over the parser's own error, and is waited for before a
    table's end is handed on.
    """
    if checker is not None:
        checker.poll()
    try:
        message = child.receive()
    except ReadError:
        if checker is not None:
            checker.wait()
        raise
    if checker is not None and message[0] == "end":
        checker.wait()
    return message


class _Copy:
    """A workbook's copy on disk for its children, deleted once neither needs it."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.users = 0
        self.lock = threading.Lock()

    def take(self) -> None:
        with self.lock:
            self.users += 1

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0:
                self.file.close()


class _Child:
    """One child process working on one workbook (parsing or checking it); killed if it is
    abandoned."""

    def __init__(
        self,
        target: Callable[[Connection, dict[str, Any]], None],
        arguments: dict[str, Any],
        copy: _Copy | None,
    ) -> None:
        start_fork_server()
        self.output, sender = FORKS.Pipe(duplex=False)
        _widen(self.output)
        self.process = FORKS.Process(target=target, args=(sender, arguments), daemon=True)
        if copy is not None:
            copy.take()
        try:
            self.process.start()
        except BaseException:
            self.output.close()
            if copy is not None:
                copy.release()
            raise
        finally:
            sender.close()  # the child holds the only writing end: its death is our end of file
        self._finalizer = weakref.finalize(self, _stop, self.process, self.output, copy)

    def receive(self) -> tuple[Any, ...]:
        """The next frame; an error frame raised as its ReadError; a dead child as one too."""
        try:
            message: tuple[Any, ...] = marshal.loads(self.output.recv_bytes())  # noqa: S302
        except (EOFError, OSError):
            raise self._died() from None
        if message[0] == "error":
            self.close()
            raise ReadError(ReadErrorCode(message[1]), message[2])
        return message

    def _died(self) -> ReadError:
        self.process.join(timeout=5)  # it closed its end, so it is ending (close() kills it)
        log.warning("workbook child ended with exit code %s", self.process.exitcode)
        self.close()
        return unsafe_to_read()

    def close(self) -> None:
        self._finalizer()


class _Checker:
    """The extent checks' child and its verdict: None until it comes, then kept."""

    def __init__(self, child: _Child) -> None:
        self.child = child
        self.settled = False
        self.refusal: ReadError | None = None

    def poll(self) -> None:
        """Raise the checks' refusal if it has come; never waits."""
        if not self.settled and self.child.output.poll():
            self._settle()
        self._raise()

    def wait(self) -> None:
        """Raise the checks' refusal, waiting for their verdict if it has not come."""
        if not self.settled:
            self._settle()
        self._raise()

    def close(self) -> None:
        self.child.close()

    def _settle(self) -> None:
        try:
            self.child.receive()  # "checked": the file is within the limits
        except ReadError as error:
            self.refusal = error
        self.settled = True
        self.child.close()

    def _raise(self) -> None:
        if self.refusal is not None:
            raise ReadError(self.refusal.code, self.refusal.message)


def _widen(pipe: Connection) -> None:
    """A pipe of 1 MB instead of 64 KB: a batch of rows crosses in one go, not in 16 turns."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _stop(process: BaseProcess, output: Connection, copy: _Copy | None) -> None:
    if process.is_alive():
        process.kill()
    process.join()
    process.close()
    output.close()
    if copy is not None:
        copy.release()


class _Stream:
    """The child's row frames, handed to each table; a table read out of order is buffered."""

    def __init__(self, child: _Child, checker: _Checker | None, count: int) -> None:
        self.child = child
        self.checker = checker
        self.pending: list[list[Row]] = [[] for _ in range(count)]
        self.done = [False] * count
        self.last = count - 1
        if count == 0:
            self._close()

    def rows(self, index: int) -> Iterator[Row]:
        while True:
            if self.pending[index]:
                batch, self.pending[index] = self.pending[index], []
                yield from batch
            elif self.done[index]:
                return
            else:
                self._receive()

    def _receive(self) -> None:
        try:
            kind, index, payload = _frame(self.child, self.checker)
        except BaseException:
            self._close()
            raise
        if kind == "rows":
            self.pending[index].extend(
                Row(number, cells, frozenset(lossy)) if lossy else Row(number, cells)
                for number, cells, lossy in payload
            )
        else:  # "end", with the child's peak memory after the last table
            self.done[index] = True
            if index == self.last:
                _note_peak(payload)
                self._close()

    def _close(self) -> None:
        self.child.close()
        if self.checker is not None:
            self.checker.close()


def unsafe_to_read() -> ReadError:
    return ReadError(
        ReadErrorCode.WORKBOOK_CRASHED,
        "This workbook could not be read safely, so it was refused; open it in your"
        " spreadsheet program, save it as a new .xlsx file and upload that.",
    )


def _copy_to_disk(file: IO[bytes]) -> tuple[str, _Copy]:
    """A file without a path, copied to one its children can open."""
    copy = tempfile.NamedTemporaryFile(suffix=".workbook")  # noqa: SIM115 - closed by _Copy
    file.seek(0)
    while chunk := file.read(CHUNK):
        copy.write(chunk)
    copy.flush()
    file.seek(0)
    return copy.name, _Copy(copy)  # each child started takes it, and releases it at its end


# The child's side.


def _limit_resources(limits: Limits) -> None:
    """Cap the child so that a runaway parse ends it, not the machine or the server."""
    _lower(resource.RLIMIT_AS, limits.max_parse_bytes)
    _lower(resource.RLIMIT_CPU, CPU_SECONDS)
    # If memory runs short anyway, the kernel ends this process before any other.
    with contextlib.suppress(OSError):
        Path("/proc/self/oom_score_adj").write_text("1000")


def _lower(kind: int, limit: int) -> None:
    """Set a limit, never above one the server itself runs under (which cannot be raised)."""
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(kind, (limit, hard if hard != resource.RLIM_INFINITY else limit))


@contextlib.contextmanager
def _answering(sender: Connection) -> Iterator[Callable[..., None]]:
    """A child's `send`; a ReadError (or a MemoryError) it raises is sent as its answer."""

    def send(*message: Any) -> None:
        sender.send_bytes(marshal.dumps(message))

    try:
        yield send
    except ReadError as error:
        send("error", error.code.value, error.message)
    except MemoryError:
        crashed = unsafe_to_read()
        send("error", crashed.code.value, crashed.message)
    sender.close()


def serve(sender: Connection, arguments: dict[str, Any]) -> None:
    """The child: parse the workbook at arguments["path"] and send its tables."""
    from roster.importing.sources.read import read_opened_workbook

    limits = Limits(**arguments["limits"])
    _limit_resources(limits)
    os.environ["RUST_BACKTRACE"] = "0"  # a panic's backtrace is slow to print, and not ours
    path = arguments["path"]
    with _answering(sender) as send, open(path, "rb") as file:
        opened = Opened(file=file, path=path, name=None, owned=False)
        result = read_opened_workbook(opened, limits, is_ods=arguments["is_ods"])
        described = [(t.name, list(t.header), t.header_row) for t in result.tables]
        send("tables", result.file, result.skipped_sheets, described)
        for index, table in enumerate(result.tables):
            batch: list[tuple[int, tuple[str, ...], tuple[int, ...] | None]] = []
            for row in table.rows:
                batch.append((row.number, row.cells, tuple(row.lossy) if row.lossy else None))
                if len(batch) == BATCH:
                    send("rows", index, batch)
                    batch = []
            send("rows", index, batch)
            send("end", index, peak_kb() if index == len(result.tables) - 1 else None)


def check(sender: Connection, arguments: dict[str, Any]) -> None:
    """The checking child: the extent checks on the workbook at arguments["path"]."""
    from roster.importing.sources.read import check_workbook

    limits = Limits(**arguments["limits"])
    _limit_resources(limits)
    with _answering(sender) as send, open(arguments["path"], "rb") as file:
        check_workbook(file, arguments["check"], limits)
        send("checked")


def peak_kb() -> int:
    """This process's peak resident memory (VmHWM), for the benchmarks."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# The largest peak (KB) a child reported in this process: the parent's own peak does not
# include its children's, and they are the fork server's children, not its own.
children_peak_kb = 0


def _note_peak(peak_kb: int | None) -> None:
    global children_peak_kb
    children_peak_kb = max(children_peak_kb, peak_kb or 0)


# What the children run; tests put functions that die in their places.
CHILD: Callable[[Connection, dict[str, Any]], None] = serve
CHECKER: Callable[[Connection, dict[str, Any]], None] = check
