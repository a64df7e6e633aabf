"""Decoded, NFC-normalised lines of a text file, streamed; the file is released when they end."""

import codecs
import contextlib
import io
import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from roster.importing.sources.legacy import CP1252, MAC_ROMAN, STRAY_BYTE
from roster.importing.sources.source import Opened

CHUNK = 1024 * 1024
VALID_BEYOND_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


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
        for number, block in enumerate(_blocks(opened.file)):
            if number == 0 and block.startswith(codecs.BOM_UTF8):
                block = block[len(codecs.BOM_UTF8) :]
            text = _decode(block, code_page)
            text = text if text.isascii() else unicodedata.normalize("NFC", text)
            yield from io.StringIO(text, newline="")  # lines split as TextIOWrapper splits them
    finally:
        if opened.owned:
            opened.file.close()


def _decode(block: bytes, code_page: str) -> str:
    """Whole lines of bytes, each line in UTF-8 if it is valid UTF-8, else in the code page."""
    # Bytes that are not UTF-8 show as lone surrogates. A block with none is UTF-8, a block
    # with nothing else beyond ASCII is all code page (every line holding a high byte holds
    # one that is not UTF-8); only a block mixing both is decoded line by line.
    text = block.decode("utf-8", errors="surrogateescape")
    if not STRAY_BYTE.search(text):
        return text
    if not VALID_BEYOND_ASCII.search(text):
        return block.decode(code_page, errors="replace")  # cp1252 leaves 5 bytes undefined
    return "".join(_decode_line(line, code_page) for line in block.splitlines(keepends=True))


def _decode_line(line: bytes, code_page: str) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode(code_page, errors="replace")


def _blocks(file: BinaryIO) -> Iterator[bytes]:
    """The file in chunks of whole lines (a line ends at "\r\n", "\n" or a bare "\r")."""
    rest = b""
    while chunk := file.read(CHUNK):
        data = rest + chunk
        # Cut after the last "\n", or after the last "\r" not at the very end (a "\n"
        # may follow it in the next chunk).
        cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
        rest = data[cut:]
        if cut:
            yield data[:cut]
    if rest:
        yield rest
