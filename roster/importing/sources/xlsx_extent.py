"""An .xlsx worksheet's extent and its shared-string count, as calamine would allocate them.

See extent.py: every part holding a sheetData element is checked here, whatever its name.
"""

import re
from collections.abc import Callable
from itertools import repeat
from string import ascii_letters
from typing import BinaryIO

from roster.importing.sources.extent import Bounds, Done, is_number, number, parse_elements
from roster.importing.sources.limits import Limits
from roster.importing.sources.table import ReadError, ReadErrorCode

# A cell's or row's reference as calamine reads it: letters (any case), then the row.
REFERENCE = re.compile(r"([A-Za-z]*)([0-9]+)", re.ASCII)


class _XlsxSheet:
    """Cell positions as calamine's xlsx cell reader assigns them, bounded from above.

    A cell's reference (`r`) places it; a cell without one follows the cell before it,
    on the row its row element names or the row after the previous one. Only element
    starts are seen (end callbacks would double the cost), so a row is taken to end
    where the next begins: calamine never places a cell further than that. A cell
    counts once a value element starts inside it: calamine leaves out empty cells.
    """

    def __init__(self) -> None:
        self.cells = Bounds()
        self.declared = Bounds(count=-1)  # the <dimension ref="A1:D10"> the sheet states

    def handler(self) -> tuple[Callable[[str, dict[str, str]], None], Callable[[], None]]:
        """The start callback and what stores its findings in `cells` at the end.

        It runs once per element, millions of times for a big sheet, so it does as little
        as it can: a referenced cell with a value only has its reference kept, and the
        references are turned into rows and columns in bulk (`_place`).
        """
        cells = self.cells
        row = next_row = 0
        last_reference: str | None = None  # the last reference on this row
        since = 0  # cells since that reference (or since the row began)
        pending: str | tuple[int, int] | None = None  # a cell waiting for its value
        references: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row, next_row, last_reference, since, pending
            if ":" in name:
                name = name.rpartition(":")[2]
            if name == "c":
                reference = attrs.get("r")
                if reference is not None:
                    pending = last_reference = reference
                    since = 0
                else:
                    since += 1
                    pending = (row, _column_after(last_reference, since))
            elif name == "v" or name == "f" or name == "is":
                if pending is None:
                    return
                if isinstance(pending, str):
                    references.append(pending)
                    if len(references) == PLACE_EVERY:
                        _place(references, cells)
                        references.clear()
                else:
                    at_row, at_column = pending
                    cells.add((at_row, at_row), (at_column, at_column))
                pending = None
            elif name == "row":
                named = attrs.get("r")
                row = next_row
                if named is not None and is_number(named):
                    row = max(row, number(named) - 1)
                next_row = row + 1
                last_reference, since, pending = None, 0, None
            elif name == "dimension":
                self._declare(attrs.get("ref", ""))

        def finish() -> None:
            _place(references, cells)

        return start, finish

    def _declare(self, ref: str) -> None:
        corners = [_reference(part) for part in ref.split(":")]
        if corners and all(corner is not None and corner[1] >= 0 for corner in corners):
            (top, left), (bottom, right) = corners[0], corners[-1]  # type: ignore[misc]
            self.declared.add((top, bottom), (left, right))


def _column_index(letters: str) -> int:
    """0-based; -1 for no letters. Beyond 8 letters calamine's 32-bit arithmetic wraps."""
    if len(letters) > 8:
        return 1 << 40
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


PLACE_EVERY = 100_000  # references kept before they are placed (a few MB)


def _place(references: list[str], cells: Bounds) -> None:
    """Add the cells at these `A1` references, with maps and sets that run in C.

    A reference calamine cannot read makes it refuse the sheet, so such references
    need no place here.
    """
    if not references:
        return
    digits = list(map(str.lstrip, references, repeat(ascii_letters)))
    if max(map(len, digits)) > 12:
        digits = [text if len(text) < 13 else "1" + "0" * 12 for text in digits]
    rows = list(map(int, filter(str.isdecimal, digits)))
    letters = set(map(str.rstrip, references, repeat("0123456789")))
    columns = [_column_index(text) for text in letters if text.isascii() and text.isalpha()]
    if rows and columns:
        cells.add((min(rows) - 1, max(rows) - 1), (min(columns), max(columns)), len(references))


def _column_after(reference: str | None, since: int) -> int:
    """The column of the `since`-th cell without a reference after `reference` on its row."""
    position = _reference(reference)
    return since - 1 if position is None else position[1] + since


def _reference(text: str | None) -> tuple[int, int] | None:
    """(row, column), 0-based, of `A1`-style text (column -1 when only a row is named)."""
    if text is None or (match := REFERENCE.fullmatch(text)) is None:
        return None
    letters, digits = match.groups()
    return number(digits) - 1, _column_index(letters)


def check_xlsx_sheet(member: BinaryIO, limits: Limits) -> None:
    """Refuse a worksheet part whose cells, or declared dimension, reach beyond the limits."""
    sheet = _XlsxSheet()
    start, finish = sheet.handler()
    parse_elements(member, start)
    finish()
    sheet.declared.check(limits)
    sheet.cells.check(limits)


class _SharedStrings:
    def __init__(self) -> None:
        self.count: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == "sst":
            self.count = attrs.get("uniqueCount", "")
            raise Done


def check_shared_strings(member: BinaryIO, limits: Limits) -> None:
    """calamine reserves room for the strings the table says it holds, before reading any."""
    strings = _SharedStrings()
    parse_elements(member, strings.start)
    count = strings.count or "0"
    if not count.isdigit() or int(count) > limits.max_cells:
        raise ReadError(
            ReadErrorCode.UNSAFE,
            "The workbook claims to hold far more text than a spreadsheet does;"
            " it was refused as unsafe.",
        )
