"""An .xlsx worksheet's extent and its shared-string count, as calamine would allocate them.

See extent.py: every part holding a sheetData element is checked here, whatever its name.
A sheet is first measured the quick way (`_Quick`: expat without callbacks for
well-formedness, regular expressions for the references), which gives bounds at least as
wide as the exact way's and a count of cells at most as large. When those pass the limits,
the exact ones would too; when they do not (or the part is unusual in a way the quick way
does not follow), the exact way (`_XlsxSheet`, a callback per element, ~3× the CPU)
decides.
"""

import re
from collections.abc import Callable
from itertools import repeat
from string import ascii_letters
from typing import IO
from xml.parsers import expat

from roster.importing.sources.extent import (
    SPARSE_RATIO,
    Bounds,
    Done,
    is_number,
    number,
    parse_elements,
    parse_stream,
)
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


def check_xlsx_sheet(open_member: Callable[[], IO[bytes]], limits: Limits) -> None:
    """Refuse a worksheet part whose cells, or declared dimension, reach beyond the limits."""
    quick = _Quick(enough=enough_values(limits))
    with open_member() as member:
        quick.scan(member)  # a damaged part or an entity is refused here, as exactly
    if quick.usual():
        try:
            quick.sheet.declared.check(limits)
            quick.cells().check(limits)
            return
        except ReadError:
            pass  # the quick bounds are wider than the exact ones: those decide
    with open_member() as member:
        check_xlsx_sheet_exactly(member, limits)


def check_xlsx_sheet_exactly(member: IO[bytes], limits: Limits) -> None:
    """The reference: each element placed as calamine places it (see _XlsxSheet)."""
    sheet = _XlsxSheet()
    start, finish = sheet.handler()
    parse_elements(member, start)
    finish()
    sheet.declared.check(limits)
    sheet.cells.check(limits)


# The quick way's patterns, over UTF-8 bytes. Outside comments, CDATA and processing
# instructions (which make a part unusual), "<" in well-formed XML starts markup, so each
# match is an element start. Bounded counts of letters and digits keep every reference
# the pattern takes within what the exact way reads the same.
#
# Every cell's start: (letters, digits) of its reference, or two empty strings when its
# first attribute is not a plain `r="A1"`.
CELL_START = re.compile(rb'<c(?: r="([A-Za-z]{1,3})([0-9]{1,7})"|[\s/>])')
# A cell whose first child is a value: the exact way counts it (it may count more).
VALUED_CELL = re.compile(rb'<c r="[A-Za-z]{1,3}[0-9]{1,7}"[^>]*(?<!/)><(?:v|f|is)[\s/>]')
DIMENSION_START = re.compile(rb"<dimension[\s/>]")
DIMENSION = re.compile(rb'<dimension ref="([A-Za-z0-9:]*)"')
# The elements the exact way reads, under a namespace prefix: it strips prefixes.
PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:(?:c|v|f|is|row|dimension)[\s/>]")
UTF_8 = {None, "utf-8", "UTF-8"}
LONGEST_TAG = 1024 * 1024


def enough_values(limits: Limits) -> int:
    """Cells with a value past which no sheet within the limits is sparse (Bounds.check):
    its rectangle holds at most max_cells, at most SPARSE_RATIO per cell with a value."""
    return -(-limits.max_cells // SPARSE_RATIO)


class _Quick:
    """A worksheet part's cell references gathered by regular expressions, chunk by chunk.

    Cells with a value are counted until there are `enough` (None: all of them), the
    count that tells a sparse sheet: past it, counting more cannot change the verdict,
    and it was the scan's costliest pattern (a 1,000,000-row sheet reaches it in its
    first 3 % of rows).
    """

    def __init__(self, enough: int | None = None) -> None:
        self.enough = enough
        self.sheet = _XlsxSheet()  # only its declared dimension is used
        self.first_row = self.first_column = 1 << 62
        self.last_row = self.last_column = -1
        self.letters: set[bytes] = set()
        self.valued = 0
        self.unusual = False
        self.carry = b""

    def scan(self, member: IO[bytes]) -> None:
        parser = expat.ParserCreate()  # no element callbacks: expat alone runs in C
        parser.XmlDeclHandler = self._declaration
        parser.CommentHandler = parser.ProcessingInstructionHandler = self._unusual
        parser.StartCdataSectionHandler = self._unusual
        parse_stream(member, parser, self._chunk)
        self._markup(self.carry)
        columns = [_column_index(text.decode()) for text in self.letters]
        if columns:
            self.first_column, self.last_column = min(columns), max(columns)

    def usual(self) -> bool:
        return not self.unusual

    def cells(self) -> Bounds:
        """Every referenced cell's rectangle, holding the cells known to have a value."""
        return Bounds(
            self.first_row, self.last_row, self.first_column, self.last_column, self.valued
        )

    def _chunk(self, chunk: bytes) -> None:
        if b"\0" in chunk:  # UTF-16: the patterns would find nothing
            self.unusual = True
        if self.unusual:
            return
        data = self.carry + chunk
        cut = data.rfind(b"<")  # a tag cut by the chunk's end is read with the next one
        if cut <= 0:
            # Text alone holds nothing to read; a tag this long is left to the exact way.
            self.carry = b"" if cut < 0 else data
            if len(self.carry) > LONGEST_TAG:
                self.unusual = True
            return
        self._markup(data[:cut])
        self.carry = data[cut:]

    def _markup(self, data: bytes) -> None:
        if self.unusual or not data:
            return
        references = CELL_START.findall(data)
        letters = {letters for letters, _ in references}
        # A substring search rules most chunks out before these patterns run over them:
        # a sheet names its dimension once, and a prefixed element needs a colon.
        named = b"<dimension" in data
        dimensions = DIMENSION.findall(data) if named else []
        if (
            b"" in letters
            or (named and len(dimensions) != len(DIMENSION_START.findall(data)))
            or (b":" in data and PREFIXED.search(data))
        ):
            self.unusual = True  # a cell without a plain reference, or a prefix
            return
        for reference in dimensions:
            self.sheet._declare(reference.decode())
        if references:
            rows = [int(digits) for _, digits in references]
            self.first_row = min(self.first_row, min(rows) - 1)
            self.last_row = max(self.last_row, max(rows) - 1)
            self.letters.update(letters)
            if self.enough is None or self.valued < self.enough:
                self.valued += len(VALUED_CELL.findall(data))

    def _declaration(self, _version: str, encoding: str | None, _standalone: int) -> None:
        if encoding not in UTF_8:
            self.unusual = True

    def _unusual(self, *_: object) -> None:
        self.unusual = True


class _SharedStrings:
    def __init__(self) -> None:
        self.count: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == "sst":
            self.count = attrs.get("uniqueCount", "")
            raise Done


def check_shared_strings(open_member: Callable[[], IO[bytes]], limits: Limits) -> None:
    """calamine reserves room for the strings the table says it holds, before reading any."""
    strings = _SharedStrings()
    with open_member() as member:
        parse_elements(member, strings.start)
    count = strings.count or "0"
    if not count.isdigit() or int(count) > limits.max_cells:
        raise ReadError(
            ReadErrorCode.UNSAFE,
            "The workbook claims to hold far more text than a spreadsheet does;"
            " it was refused as unsafe.",
        )
