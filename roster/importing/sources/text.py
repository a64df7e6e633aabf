"""Decoded, NFC-normalised lines of a text file, streamed; the file is released when they end."""

import contextlib
import io
import unicodedata
from collections.abc import Iterator

from roster.importing.sources.source import Opened


def text_lines(opened: Opened, encoding: str) -> Iterator[str]:
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
