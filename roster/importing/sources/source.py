"""Turning what the caller hands us (a path or an open binary file) into a seekable file.

Readers need to look at a file more than once (sniff the kind, check an archive, detect
an encoding, then read), so a stream that cannot seek is first spooled to a temporary
file, counting bytes as it goes so an oversized upload is refused early.
"""

import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from roster.importing.sources.limits import Limits, too_large

CHUNK = 1024 * 1024
# Uploads this small stay in memory while spooled; larger ones go to disk.
SPOOL_IN_MEMORY = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Opened:
    file: BinaryIO  # positioned at 0
    path: str | None  # a real path when there is one (calamine reads it directly)
    name: str | None  # base name as the admin knows it
    owned: bool  # True when we opened it and must close it


def open_source(
    source: str | os.PathLike[str] | BinaryIO, file_name: str | None, limits: Limits
) -> Opened:
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        if os.path.getsize(path) > limits.max_bytes:
            raise too_large(limits)
        name = file_name or os.path.basename(path)
        return Opened(file=open(path, "rb"), path=path, name=name, owned=True)  # noqa: SIM115
    stream_name = file_name or _stream_name(source)
    if source.seekable():
        start = source.tell()
        if source.seek(0, os.SEEK_END) - start > limits.max_bytes:
            raise too_large(limits)
        source.seek(start)
        if start == 0:
            return Opened(file=source, path=None, name=stream_name, owned=False)
    return Opened(file=_spool(source, limits), path=None, name=stream_name, owned=True)


def _spool(stream: BinaryIO, limits: Limits) -> BinaryIO:
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            spooled.close()
            raise too_large(limits)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled  # type: ignore[return-value]


def _stream_name(stream: BinaryIO) -> str | None:
    name = getattr(stream, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else None
