"""Parsing an untrusted workbook in a child process, where a crash costs one file.

calamine is Rust: when an allocation fails it aborts the whole process (SIGABRT), which
no Python code can catch; in a web worker that is every organization's requests. The
extent checks (extent.py) refuse the files known to do that, and this module makes sure
anything they miss costs one file: the workbook is parsed by a child process
(`python -m roster.importing.sources.isolated`) under an address-space and a CPU-time
limit, which sends the tables back through a pipe (marshal frames: the tables' names
and headers first, then each table's rows in batches). The parent reads rows as the
pipeline asks for them, so rows still stream, and the child parses the next batch while
the parent works on the last. A child that dies becomes a ReadError for that file.
"""

import contextlib
import json
import logging
import marshal
import os
import resource
import struct
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import roster
from roster.importing.sources.limits import Limits
from roster.importing.sources.source import Opened
from roster.importing.sources.table import ReadError, ReadErrorCode, ReadResult, Row, Table

log = logging.getLogger(__name__)

COMMAND = [sys.executable, "-m", "roster.importing.sources.isolated"]
BATCH = 2000  # rows per frame: large enough to amortize a frame, small enough to stream
FRAME = struct.Struct("<I")
CPU_SECONDS = 600  # far beyond any real workbook (1,000,000 rows parse in ~10 s)
CHUNK = 1024 * 1024
PROJECT = str(Path(roster.__file__).resolve().parents[1])


def read_isolated(opened: Opened, limits: Limits, *, is_ods: bool) -> ReadResult:
    """The workbook's ReadResult, parsed by a child process; rows stream from it."""
    child = _Child(opened, limits, is_ods)
    try:
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
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - read when the child fails
        arguments = json.dumps({"path": path, "is_ods": is_ods, "limits": asdict(limits)})
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*COMMAND, arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env={**os.environ, "PYTHONPATH": _python_path(), "RUST_BACKTRACE": "0"},
        )
        assert self.process.stdout is not None
        self.output: IO[bytes] = self.process.stdout
        self._finalizer = weakref.finalize(self, _stop, self.process, self.errors, self.copy)

    def receive(self) -> tuple[Any, ...]:
        """The next frame; an error frame raised as its ReadError; a dead child as one too."""
        head = self.output.read(FRAME.size)
        body = self.output.read(FRAME.unpack(head)[0]) if len(head) == FRAME.size else b""
        if not body:
            raise self._died()
        message: tuple[Any, ...] = marshal.loads(body)  # noqa: S302 - our child's frames
        if message[0] == "error":
            self.close()
            raise ReadError(ReadErrorCode(message[1]), message[2])
        return message

    def _died(self) -> ReadError:
        status = self.process.wait()
        self.errors.seek(0)
        detail = self.errors.read(1000).decode("utf-8", "replace")  # the panic's own words
        log.warning("workbook reader child ended with status %s: %s", status, detail)
        self.close()
        return unsafe_to_read()

    def close(self) -> None:
        self._finalizer()


def _stop(process: subprocess.Popen[bytes], errors: IO[bytes], copy: IO[bytes] | None) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()
    errors.close()
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
        else:  # "end"
            self.done[index] = True
            if index == self.last:
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


def _python_path() -> str:
    existing = os.environ.get("PYTHONPATH")
    return PROJECT if not existing else PROJECT + os.pathsep + existing


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


def _serve(arguments: dict[str, Any], output: IO[bytes]) -> None:
    from roster.importing.sources.read import read_opened_workbook

    limits = Limits(**arguments["limits"])
    _limit_resources(limits)

    def send(*message: Any) -> None:
        body = marshal.dumps(message)
        output.write(FRAME.pack(len(body)) + body)

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
                send("end", index, None)
    except ReadError as error:
        send("error", error.code.value, error.message)
    except MemoryError:
        send("error", *_crashed())
    output.flush()


def _crashed() -> tuple[str, str]:
    error = unsafe_to_read()
    return error.code.value, error.message


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]), sys.stdout.buffer)
