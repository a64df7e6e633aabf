"""Which encoding a text file is in, decided without asking the admin.

Excel writes "CSV UTF-8" with a BOM, "Unicode Text" as UTF-16 with a BOM, plain "CSV"
in the Windows code page (cp1252) on Windows and in Mac Roman on a Mac. A BOM decides;
otherwise the whole file is checked as UTF-8 in chunks (a single cp1252 "é" on row
900,000 must not be turned into mojibake), and if it is not UTF-8 the high bytes decide
between cp1252 and Mac Roman by which makes more of them letters.
"""

import codecs
from collections import Counter
from typing import BinaryIO

from roster.importing.sources.limits import Limits, cell_too_long
from roster.importing.sources.table import ReadError, ReadErrorCode

CHUNK = 1024 * 1024
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # the utf-16 codec reads the BOM and drops it
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ASCII = bytes(range(128))
# cp1252 leaves these bytes undefined; in Mac Roman they are letters (Å, ç, è, ï, ù).
CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


def detect_encoding(file: BinaryIO, limits: Limits) -> str:
    head = file.read(4)
    file.seek(0)
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    utf16 = _utf16_without_bom(file)
    if utf16:
        return utf16
    is_utf8, high_bytes = _scan(file, limits)
    file.seek(0)
    if is_utf8:
        return "utf-8"
    return _legacy(high_bytes)


def _scan(file: BinaryIO, limits: Limits) -> tuple[bool, Counter[int]]:
    """One pass: is it UTF-8, which non-ASCII bytes does it hold, is any line absurdly long."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    high_bytes: Counter[int] = Counter()
    # A line break is never more than this far away in a file we can read; checking it
    # here refuses a single gigantic line before it is ever held in memory as text.
    longest_run = limits.max_cell_chars * 4 + CHUNK
    run = 0
    while chunk := file.read(CHUNK):
        run = run + len(chunk) if b"\n" not in chunk and b"\r" not in chunk else 0
        if run > longest_run:
            raise cell_too_long(None, limits)
        high = chunk.translate(None, ASCII)
        if high:
            high_bytes.update(high[:4096])  # a sample per chunk is enough to vote
        if is_utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                is_utf8 = False
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return is_utf8, high_bytes


def _legacy(high_bytes: Counter[int]) -> str:
    if CP1252_UNDEFINED & high_bytes.keys():
        return "mac_roman"
    mac = sum(n for byte, n in high_bytes.items() if bytes([byte]).decode("mac_roman").isalpha())
    win = sum(n for byte, n in high_bytes.items() if bytes([byte]).decode("cp1252").isalpha())
    return "mac_roman" if mac > win else "cp1252"


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


def check_text(sample: str) -> None:
    """Refuse binary files: text never holds NULs, and rarely other control characters."""
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f\v")
    if "\0" in sample or controls > max(2, len(sample) // 100):
        raise ReadError(
            ReadErrorCode.UNSUPPORTED,
            "The file is neither a spreadsheet nor text; upload an .xlsx, .xls, .ods, .csv"
            " or .tsv file.",
        )
