"""What every reader produces: tables of cell text, each row numbered as the admin sees it.

This is the contract between the readers (this package) and the rest of the pipeline
(map → validate → plan). Nothing of mapping or validation lives in the readers.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Row(NamedTuple):
    """One row of cells. A named tuple: a million-row file makes millions of rows, in the
    workbook parser's child, the importing process and the row-check helper each, and a
    tuple is made in half the time of a frozen dataclass."""

    number: int  # the row number the admin sees: the sheet's own row, or the record number
    cells: tuple[str, ...]  # cell text, NFC-normalised; as long as the header or longer
    # Indexes of cells whose text may differ from what was typed (a 17-digit id stored as
    # a float). A later stage flags them.
    lossy: frozenset[int] = frozenset()


@dataclass(slots=True)
class Table:
    """One tab of a workbook, or the one table of a delimited file or paste.

    `rows` is an iterator that streams from the source and can be consumed once, so a
    1,000,000-row file is never held as several full copies in memory. Iterating it may
    raise ReadError (a row or cell over a limit, a broken record): the file is then
    refused as a whole, with that error's sentence.
    """

    name: str  # the sheet's name; for delimited text the file's stem ("" for pasted text)
    header: tuple[str, ...]
    header_row: int  # the row number of the header, as the admin sees it
    rows: Iterator[Row]


@dataclass(slots=True)
class ReadResult:
    file: str | None  # base name of the file, None for pasted text
    tables: list[Table]
    skipped_sheets: list[str] = field(default_factory=list)  # hidden or very hidden tabs


class ReadErrorCode(StrEnum):
    EMPTY = "empty_file"
    ONLY_HEADER = "only_header"
    NO_HEADER = "no_header"
    UNSUPPORTED = "unsupported_format"
    ENCRYPTED = "encrypted_workbook"
    CORRUPT = "corrupt_file"
    TOO_LARGE = "file_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    CELL_TOO_LONG = "cell_too_long"
    UNCLOSED_QUOTE = "unclosed_quote"
    UNCLEAR_DELIMITER = "unclear_delimiter"
    UNSAFE = "unsafe_file"
    TOO_MANY_FILES = "too_many_files"  # a zip of more entries than an export holds
    WORKBOOK_CRASHED = "workbook_crashed"  # the parser's process died (isolated.py)


class ReadError(Exception):
    """A file Roster cannot read, with one sentence an admin understands and a stable code."""

    def __init__(self, code: ReadErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
