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
    opened: Opened, limits: Limits, *, is_ods: bool, check: Callable[[], None] | None = None
) -> ReadResult:
    """The workbook's ReadResult, parsed by a child process; rows stream from it.

    `check` (the extent checks) runs here while the child parses: what it raises is the
    answer, whatever the child did meanwhile (a file it refuses may have ended the child
    already, which is what the child is for).
    """
    child = _Child(opened, limits, is_ods)
    try:
        if check is not None:
            check()
        message = child.receive()
        if message[0] != "tables":
            raise AssertionError(message)  # the child's first frame is always its tables
    except BaseException:
        child.close()
        raise
    _, file_name, skipped, described = message
    stream = _Stream(child, len(described))
    tables = [
        Table(name=name, header=tuple(header), header_row=header_row, rows=stream.rows(index))
        for index, (name, header, header_row) in enumerate(described)
    ]
    return ReadResult(file=opened.name or file_name, tables=tables, skipped_sheets=skipped)


class _Child:
    """One child process reading one workbook; killed if it is abandoned."""

    def __init__(self, opened: Opened, limits: Limits, is_ods: bool) -> None:
        self.copy = None if opened.path is not None else _copy_to_disk(opened.file)
        path = opened.path if self.copy is None else self.copy.name
        arguments = {"path": path, "is_ods": is_ods, "limits": asdict(limits)}
        start_fork_server()
        self.output, sender = FORKS.Pipe(duplex=False)
        _widen(self.output)
        self.process = FORKS.Process(target=CHILD, args=(sender, arguments), daemon=True)
        self.process.start()
        sender.close()  # the child holds the only writing end: its death is our end of file
        self._finalizer = weakref.finalize(self, _stop, self.process, self.output, self.copy)

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
        log.warning("workbook reader child ended with exit code %s", self.process.exitcode)
        self.close()
        return unsafe_to_read()

    def close(self) -> None:
        self._finalizer()


def _widen(pipe: Connection) -> None:
    """A pipe of 1 MB instead of 64 KB: a batch of rows crosses in one go, not in 16 turns."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _stop(process: BaseProcess, output: Connection, copy: IO[bytes] | None) -> None:
    if process.is_alive():
        process.kill()
    process.join()
    process.close()
    output.close()
    if copy is not None:
        copy.close()


class _Stream:
    """The child's row frames, handed to each table; a table read out of order is buffered."""

    def __init__(self, child: _Child, count: int) -> None:
        self.child = child
        self.pending: list[list[Row]] = [[] for _ in range(count)]
        self.done = [False] * count
        self.last = count - 1
        if count == 0:
            self.child.close()

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
        kind, index, payload = self.child.receive()
        if kind == "rows":
            self.pending[index].extend(
                Row(number, cells, frozenset(lossy)) if lossy else Row(number, cells)
                for number, cells, lossy in payload
            )
        else:  # "end", with the child's peak memory after the last table
            self.done[index] = True
            if index == self.last:
                _note_peak(payload)
                self.child.close()


def unsafe_to_read() -> ReadError:
    return ReadError(
        ReadErrorCode.WORKBOOK_CRASHED,
        "This workbook could not be read safely, so it was refused; open it in your"
        " spreadsheet program, save it as a new .xlsx file and upload that.",
    )


def _copy_to_disk(file: IO[bytes]) -> IO[bytes]:
    copy = tempfile.NamedTemporaryFile(suffix=".workbook")  # noqa: SIM115 - closed by _stop
    file.seek(0)
    while chunk := file.read(CHUNK):
        copy.write(chunk)
    copy.flush()
    file.seek(0)
    return copy


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


def serve(sender: Connection, arguments: dict[str, Any]) -> None:
    """The child: parse the workbook at arguments["path"] and send its tables."""
    from roster.importing.sources.read import read_opened_workbook

    limits = Limits(**arguments["limits"])
    _limit_resources(limits)
    os.environ["RUST_BACKTRACE"] = "0"  # a panic's backtrace is slow to print, and not ours

    def send(*message: Any) -> None:
        sender.send_bytes(marshal.dumps(message))

    path = arguments["path"]
    try:
        with open(path, "rb") as file:
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
    except ReadError as error:
        send("error", error.code.value, error.message)
    except MemoryError:
        crashed = unsafe_to_read()
        send("error", crashed.code.value, crashed.message)
    sender.close()


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


# What the child runs; tests put a function that dies in its place.
CHILD: Callable[[Connection, dict[str, Any]], None] = serve
