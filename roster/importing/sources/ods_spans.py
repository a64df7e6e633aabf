"""Merged cells in an .ods header row, which python-calamine does not report for .ods.

Only content.xml is read, as a stream, and only until the header row has been seen.
The archive has already been checked (archive.py), so it holds no entity tricks.
"""

import zipfile
from typing import BinaryIO
from xml.parsers import expat

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")


class _Done(Exception):
    """Raised from inside the parser to stop it once the row has been read."""


class _RowSpans:
    def __init__(self, sheet: str, row: int) -> None:
        self.sheet, self.row = sheet, row
        self.in_sheet = False
        self.next_row = 0  # index of the next <table-row>, counting repeated rows
        self.in_row = False
        self.column = 0
        self.spans: list[tuple[int, int]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == TABLE + "table":
            self.in_sheet = attrs.get(TABLE + "name") == self.sheet
        elif self.in_sheet and name == TABLE + "table-row":
            if self.next_row > self.row:
                raise _Done
            first = self.next_row
            self.next_row += int(attrs.get(TABLE + "number-rows-repeated", "1"))
            self.in_row = first <= self.row < self.next_row
            self.column = 0
        elif self.in_sheet and self.in_row and name in CELLS:
            spanned = int(attrs.get(TABLE + "number-columns-spanned", "1"))
            if spanned > 1:
                self.spans.append((self.column, self.column + spanned - 1))
            self.column += int(attrs.get(TABLE + "number-columns-repeated", "1"))

    def end(self, name: str) -> None:
        if self.in_sheet and name == TABLE + "table":
            raise _Done


def ods_row_spans(file: BinaryIO, sheet: str, row: int) -> list[tuple[int, int]]:
    """(first, last) 0-based columns of each cell of `row` (0-based) spanning columns."""
    spans = _RowSpans(sheet, row)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = spans.start
    parser.EndElementHandler = spans.end
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive, archive.open("content.xml") as content:
            parser.ParseFile(content)
    except _Done:
        pass
    except (expat.ExpatError, KeyError, ValueError, zipfile.BadZipFile):
        return []  # no merges is the safe answer; calamine has read the cells already
    finally:
        file.seek(0)
    return spans.spans
