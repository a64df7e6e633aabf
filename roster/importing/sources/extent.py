"""How far an .xlsx sheet's cells reach, measured before calamine allocates the sheet.

calamine allocates a sheet as one rectangle from its first to its last cell, so a
5 KB file with a value in A1 and one in XFD1048576 asks for 500 GB and aborts the
process (a Rust allocation failure cannot be caught). The cell references are
scanned while the archive is checked, and a sheet reaching too far is refused first.
"""

import re
from dataclasses import dataclass, field

from roster.importing.sources.limits import Limits
from roster.importing.sources.table import ReadError, ReadErrorCode

# Every row and cell carries its position as r="…"; calamine places cells by it.
ROW_NUMBERS = re.compile(rb' r="[A-Z]*(\d+)"')
COLUMN_LETTERS = re.compile(rb' r="([A-Z]+)\d')
TAIL = 32  # a reference cut by a chunk boundary is seen whole in the next scan


@dataclass(slots=True)
class SheetExtent:
    last_row: int = 0
    letters: set[bytes] = field(default_factory=set)  # distinct column names seen
    tail: bytes = b""

    def scan(self, chunk: bytes) -> None:
        data = self.tail + chunk
        self.last_row = max(self.last_row, max(map(int, ROW_NUMBERS.findall(data)), default=0))
        self.letters.update(COLUMN_LETTERS.findall(data))
        self.tail = data[-TAIL:]

    def check(self, limits: Limits) -> None:
        columns = max(map(_column_number, self.letters), default=0)
        if columns > limits.max_columns:
            raise ReadError(
                ReadErrorCode.TOO_MANY_COLUMNS,
                f"A sheet has cells as far right as column {_widest(self.letters)}, beyond the"
                f" {limits.max_columns:,} columns allowed; delete what is there and save again.",
            )
        if self.last_row > limits.max_rows or self.last_row * columns > limits.max_cells:
            raise ReadError(
                ReadErrorCode.TOO_MANY_ROWS,
                f"A sheet reaches row {self.last_row:,} and {columns:,} columns, more than"
                " Roster reads at once; split it or delete cells far below the table.",
            )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _widest(letters: set[bytes]) -> str:
    return max(letters, key=_column_number).decode()
