"""How far a workbook's cells reach, measured with an XML parser before calamine allocates.

calamine allocates a sheet as one rectangle from its first to its last cell, so a
5 KB file with a value in A1 and one in XFD1048576 asks for 500 GB and aborts the
process (a Rust allocation failure cannot be caught). The same holds for a declared
count it reserves room for (the shared strings' uniqueCount) and for an .ods row or
cell repeated a million times. So every part calamine could read as a sheet is parsed
here first, as a stream (expat, one callback per element start), placing each cell the
way calamine does, and a sheet reaching beyond the limits is refused before calamine
sees the file.

A part is a worksheet to calamine if it holds a `sheetData` element, whatever its
name or the relationships that point to it, so that is what decides (archive.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from string import ascii_letters
from typing import BinaryIO
from xml.parsers import expat

from roster.importing.sources.limits import Limits
from roster.importing.sources.table import ReadError, ReadErrorCode

CHUNK = 1024 * 1024
# A cell's or row's reference as calamine reads it: letters (any case), then the row.
REFERENCE = re.compile(r"([A-Za-z]*)([0-9]+)", re.ASCII)


# A sheet whose rectangle is mostly empty costs calamine (and the rows read from it) the
# whole rectangle: a value typed far below a short list makes millions of empty cells.
SPARSE_FROM = 1_000_000  # cells in the rectangle, below which emptiness costs little
SPARSE_RATIO = 100  # rectangle cells per cell that holds something


@dataclass(slots=True)
class Bounds:
    """The rectangle of cells that hold something (0-based, inclusive); empty if first > last.

    `count` is how many cells hold something (-1 for a rectangle a file declares).
    """

    first_row: int = 1 << 62
    last_row: int = -1
    first_column: int = 1 << 62
    last_column: int = -1
    count: int = 0

    def add(self, rows: tuple[int, int], columns: tuple[int, int], count: int = 0) -> None:
        """Widen to these rows and columns, holding `count` cells (all of them if 0)."""
        self.first_row = min(self.first_row, rows[0])
        self.last_row = max(self.last_row, rows[1])
        self.first_column = min(self.first_column, columns[0])
        self.last_column = max(self.last_column, columns[1])
        if self.count >= 0:
            self.count += count or (rows[1] - rows[0] + 1) * (columns[1] - columns[0] + 1)

    def check(self, limits: Limits) -> None:
        if self.last_row < 0:
            return
        rows = self.last_row - self.first_row + 1
        columns = self.last_column - self.first_column + 1
        if columns > limits.max_columns:
            raise ReadError(
                ReadErrorCode.TOO_MANY_COLUMNS,
                f"A sheet's cells reach column {column_name(self.last_column)}, beyond the"
                f" {limits.max_columns:,} columns allowed; delete what is there and save again.",
            )
        area = rows * columns
        sparse = self.count >= 0 and area > SPARSE_FROM and area > SPARSE_RATIO * self.count
        # One row more than the limit: the header row is not one of the people.
        if rows > limits.max_rows + 1 or area > limits.max_cells or sparse:
            raise ReadError(
                ReadErrorCode.TOO_MANY_ROWS,
                f"A sheet's cells reach row {self.last_row + 1:,} and {columns:,} columns, more"
                " than Roster reads at once; split it or delete cells far below the table.",
            )


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
                if named is not None and _is_number(named):
                    row = max(row, _number(named) - 1)
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
    return _number(digits) - 1, _column_index(letters)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _number(digits: str) -> int:
    """The number, or a far-too-large one (calamine's 32-bit arithmetic wraps beyond)."""
    return int(digits) if len(digits) < 13 else 1 << 40


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def check_xlsx_sheet(member: BinaryIO, limits: Limits) -> None:
    """Refuse a worksheet part whose cells, or declared dimension, reach beyond the limits."""
    sheet = _XlsxSheet()
    start, finish = sheet.handler()
    _parse(member, start)
    finish()
    sheet.declared.check(limits)
    sheet.cells.check(limits)


class _SharedStrings:
    def __init__(self) -> None:
        self.count: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == "sst":
            self.count = attrs.get("uniqueCount", "")
            raise _Done


def check_shared_strings(member: BinaryIO, limits: Limits) -> None:
    """calamine reserves room for the strings the table says it holds, before reading any."""
    strings = _SharedStrings()
    _parse(member, strings.start)
    count = strings.count or "0"
    if not count.isdigit() or int(count) > limits.max_cells:
        raise ReadError(
            ReadErrorCode.UNSAFE,
            "The workbook claims to hold far more text than a spreadsheet does;"
            " it was refused as unsafe.",
        )


class _OdsTables:
    """Every .ods table's cells with content, rows and columns repeated as calamine expands them."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.new_table()

    def new_table(self) -> None:
        self.bounds = Bounds()
        self.row = (0, -1)  # the rows the current row element stands for
        self.next_row = 0
        self.column = 0
        self.pending: tuple[int, int] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "table:table-cell" or name == "table:covered-table-cell":
            repeated = _count(attrs.get("table:number-columns-repeated"))
            columns = (self.column, self.column + repeated - 1)
            self.column += repeated
            self.pending = None
            if "office:value-type" in attrs or "table:formula" in attrs:
                self.bounds.add(self.row, columns)
            else:
                self.pending = columns
        elif name == "text:p":
            if self.pending is not None:
                self.bounds.add(self.row, self.pending)
                self.pending = None
        elif name == "table:table-row":
            repeated = _count(attrs.get("table:number-rows-repeated"))
            self.row = (self.next_row, self.next_row + repeated - 1)
            self.next_row += repeated
            self.column = 0
            self.pending = None
        elif name == "table:table":
            self.bounds.check(self.limits)
            self.new_table()


def _count(text: str | None) -> int:
    if text is None:
        return 1
    return _number(text) if _is_number(text) else 1 << 40


def check_ods_content(member: BinaryIO, limits: Limits) -> None:
    """Refuse an .ods whose rows or cells, once their repeats are expanded, exceed the limits."""
    tables = _OdsTables(limits)
    _parse(member, tables.start)
    tables.bounds.check(limits)


class _Done(Exception):
    """Raised from inside the parser once it has seen what it needed."""


def _parse(member: BinaryIO, start: Callable[[str, dict[str, str]], None]) -> None:
    """Stream `member` through expat with `start` called for each element start.

    Entity declarations are refused (archive.py refused them already in the usual
    places; this parser is the one that matters here). A part expat cannot parse is
    damaged: Excel refuses it too.
    """
    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EntityDeclHandler = _refuse_entities
    parser.StartDoctypeDeclHandler = _refuse_entities
    try:
        while chunk := member.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Done:
        pass
    except expat.ExpatError:
        raise ReadError(
            ReadErrorCode.CORRUPT,
            "The file looks like a workbook but is damaged; open it in your spreadsheet"
            " program and save it again.",
        ) from None


def _refuse_entities(*_: object) -> None:
    raise ReadError(
        ReadErrorCode.UNSAFE,
        "The workbook contains XML entity definitions, which spreadsheets never need;"
        " it was refused as unsafe.",
    )
