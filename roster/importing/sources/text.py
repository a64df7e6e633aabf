"""Decoded, NFC-normalised lines of a text file, streamed; the file is released when they end."""

import codecs
import contextlib
import io
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from roster.importing.sources.legacy import CP1252, MAC_ROMAN
from roster.importing.sources.source import Opened

CHUNK = 1024 * 1024


def text_lines(opened: Opened, encoding: str) -> Iterator[str]:
    if encoding in (CP1252, MAC_ROMAN):
        yield from _line_by_line(opened, encoding)
        return
    # newline="" keeps "\r\n", "\n" and a bare "\r" as line ends the csv module understands
    # (and keeps line breaks inside quoted fields as they were).
    stream = io.TextIOWrapper(opened.file, encoding=encoding, errors="replace", newline="")
    try:
        for line in stream:
            # NFC per line is safe: a line break never sits inside a combining sequence.
            yield line if line.isascii() else unicodedata.normalize("NFC", line)
    finally:
        if opened.owned:
            stream.close()
        else:
            # The caller's file stays open: it is theirs (unless they already closed it).
            with contextlib.suppress(ValueError):
                stream.detach()


def _line_by_line(opened: Opened, code_page: str) -> Iterator[str]:
    """A file that is not all UTF-8: each line that is valid UTF-8 is read as UTF-8, any
    other line in the code page.

    A file that gained rows from another tool (a UTF-8 export with one row typed in on a
    Windows machine) is read right on every line, instead of one encoding turning the
    other's names into mojibake ("JosÃ©").
    """
    try:
        for number, raw in enumerate(_raw_lines(opened.file)):
            if number == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if raw.isascii():
                yield raw.decode("ascii")
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode(code_page, errors="replace")  # cp1252 leaves 5 bytes undefined
            yield unicodedata.normalize("NFC", line)
    finally:
        if opened.owned:
            opened.file.close()


def _raw_lines(file: BinaryIO) -> Iterator[bytes]:
    """The file's lines with their ends ("\\r\\n", "\\n" or a bare "\\r"), as bytes."""
    rest = b""
    while chunk := file.read(CHUNK):
        lines = (rest + chunk).splitlines(keepends=True)
        # The last piece may be cut by the chunk, or be a "\r" whose "\n" comes next.
        rest = b"" if lines[-1].endswith(b"\n") else lines.pop()
        yield from lines
    if rest:
        yield rest
