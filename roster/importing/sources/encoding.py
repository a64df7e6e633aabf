"""Which encoding a text file is in, and whether it is text at all, decided without asking.

Excel writes "CSV UTF-8" with a BOM, "Unicode Text" as UTF-16 with a BOM, plain "CSV"
in the Windows code page (cp1252) on Windows and in Mac Roman on a Mac. A UTF-16 BOM (or
UTF-16's pattern of zeros) decides; otherwise the whole file is checked as UTF-8 in
chunks (a single cp1252 "é" on row 900,000 must not be turned into mojibake). A file that
is not all UTF-8 is read line by line (`text.py`): lines that are UTF-8 stay UTF-8, the
others are read in the code page that `legacy.py` votes for.

Text or binary is decided on evidence that does not depend on the file's size: a NUL
byte anywhere (text never holds one), or bytes that are not valid in the encoding that
was detected (UTF-16). Other control characters (a bell, an ANSI colour code) are text
and reach the cells; validation removes them from stored values and says so.
"""

import codecs
from typing import BinaryIO

from roster.importing.sources.legacy import Vote
from roster.importing.sources.limits import Limits, line_too_long
from roster.importing.sources.table import ReadError, ReadErrorCode

CHUNK = 1024 * 1024
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UTF8 = "utf-8-sig"  # valid UTF-8, a BOM dropped if there is one
LINE_BREAKS = (b"\n", b"\r")


def detect_encoding(file: BinaryIO, limits: Limits) -> str:
    """The codec of `file` ("utf-8-sig", a UTF-16 codec, "cp1252" or "mac_roman").

    For "cp1252" and "mac_roman", lines that are valid UTF-8 are still read as UTF-8.
    Raises ReadError when the file is not text.
    """
    head = file.read(4)
    file.seek(0)
    utf16 = "utf-16" if head.startswith(UTF16_BOMS) else _utf16_without_bom(file)
    if utf16:
        _check_utf16(file, utf16, limits)
        return utf16
    vote = _scan(file, limits)
    file.seek(0)
    return UTF8 if vote is None else vote.winner()


def _scan(file: BinaryIO, limits: Limits) -> Vote | None:
    """One pass: refuse binary data and absurd lines; None if the file is all UTF-8, else
    the code pages' vote over the bytes that are not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    vote: Vote | None = None
    longest = _longest_line(limits)
    run = 0
    while chunk := file.read(CHUNK):
        if b"\0" in chunk:
            raise not_text()
        run = 0 if any(brk in chunk for brk in LINE_BREAKS) else run + len(chunk)
        if run > longest:
            raise line_too_long(longest)
        if vote is None:
            try:
                decoder.decode(chunk)  # ASCII chunks too: a sequence may be left open
                continue
            except UnicodeDecodeError:
                vote = Vote()
        if not chunk.isascii():
            vote.add(chunk)
    if vote is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            vote = Vote()  # the file ends inside a UTF-8 sequence: no stray byte to vote on
    return vote


def _check_utf16(file: BinaryIO, codec: str, limits: Limits) -> None:
    """Refuse UTF-16 that is not valid UTF-16, or that holds NUL characters."""
    decoder = codecs.getincrementaldecoder(codec)()
    longest = _longest_line(limits)
    run = 0
    try:
        while chunk := file.read(CHUNK):
            text = decoder.decode(chunk)
            if "\0" in text:
                raise not_text()
            run = 0 if "\n" in text or "\r" in text else run + len(chunk)
            if run > longest:
                raise line_too_long(longest)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise not_text() from None
    file.seek(0)


def _longest_line(limits: Limits) -> int:
    # A line break is never this far away in a file we can read (a cell at the limit, at
    # 4 bytes a character, and a chunk); refusing such a line here means it is never
    # held in memory as text.
    return limits.max_cell_chars * 4 + CHUNK


def _utf16_without_bom(file: BinaryIO) -> str | None:
    """UTF-16 that lost its BOM: ASCII text then has a zero in every other byte."""
    sample = file.read(4096)
    file.seek(0)
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros = sample[0 : pairs * 2 : 2].count(0)
    odd_zeros = sample[1 : pairs * 2 : 2].count(0)
    if odd_zeros > pairs * 0.4 and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > pairs * 0.4 and odd_zeros == 0:
        return "utf-16-be"
    return None


def check_pasted_text(text: str) -> None:
    """Pasted text is text by construction; only a NUL says it came from binary data."""
    if "\0" in text:
        raise ReadError(
            ReadErrorCode.UNSUPPORTED,
            "The pasted text holds NUL characters, so it was copied from binary data, not"
            " from a spreadsheet or a text file.",
        )


def not_text() -> ReadError:
    return ReadError(
        ReadErrorCode.UNSUPPORTED,
        "The file holds binary data, not text (NUL bytes, or bytes that are not"
        " characters); upload an .xlsx, .xls, .ods, .csv or .tsv file.",
    )
