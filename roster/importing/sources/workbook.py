"""Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) through python-calamine.

calamine is a Rust parser: it reads a sheet several times faster than openpyxl and
returns cached formula values (bench/readers.py has the figures). It parses a whole
sheet into its own compact memory; rows become Python objects one at a time as the
table is read.

Every sheet's header is found before any rows are read, and a sheet of REREAD_FROM_ROWS
rows or more (~420 MB parsed at 1,000,000 rows) is too big to keep while another big one
is parsed, so that a workbook's big sheets are never in memory together. The sheets are
parsed last to first: the first big sheet, whose rows are read first, is parsed last
and kept (`_Kept`) until they are; another big sheet is let go once its header is found
and parsed again when its rows are read. A sheet is parsed while a big one is kept only
when its part is small (xlsx_parts.py); otherwise the kept one is let go first.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, partial

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from roster.importing.sources.cells import Inexact, cell_text
from roster.importing.sources.header import RawRow
from roster.importing.sources.limits import Limits
from roster.importing.sources.memory import release_freed_memory
from roster.importing.sources.ods_spans import ods_row_spans
from roster.importing.sources.sniff import encrypted
from roster.importing.sources.source import Opened
from roster.importing.sources.table import ReadError, ReadErrorCode, Table
from roster.importing.sources.tabulate import HeaderFill, Reread, build_table
from roster.importing.sources.xlsx_parts import small_sheets

REREAD_FROM_ROWS = 200_000


def read_workbook(
    opened: Opened, limits: Limits, *, is_ods: bool = False
) -> tuple[list[Table], list[str]]:
    """Every visible tab as a table (empty tabs left out), and the names of hidden tabs."""
    tables: list[Table] = []
    skipped: list[str] = []
    worksheets: list[str] = []
    with _as_read_errors(), _open(opened) as book:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                skipped.append(meta.name)
            elif meta.typ == SheetTypeEnum.WorkSheet:
                worksheets.append(meta.name)
        kept = _Kept(opened.path)
        for name in reversed(worksheets):  # the first big sheet last, and kept
            table = _sheet_table(book, name, opened, limits, is_ods, kept)
            if table is not None:
                tables.append(table)
    tables.reverse()
    return tables, skipped


def _sheet_table(
    book: CalamineWorkbook, name: str, opened: Opened, limits: Limits, is_ods: bool, kept: "_Kept"
) -> Table | None:
    kept.before_parsing(name)
    sheet = book.get_sheet_by_name(name)
    fill = _merged_header_fill(sheet, opened, is_ods)
    reread = None
    if opened.path is not None and sheet.height >= REREAD_FROM_ROWS:
        reread = kept.keep(name, sheet)
    table = build_table(name, _raw_rows(sheet), limits, fill, reread)
    if table is None:
        kept.let_go(name)  # no rows will be read from it
    return table


class _Kept:
    """The one big sheet kept parsed from finding its header until its rows are read."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.name: str | None = None
        self.sheet: CalamineSheet | None = None

    @cached_property
    def small(self) -> frozenset[str]:
        """The small sheets, read from the workbook's index once a big sheet is kept."""
        return small_sheets(self.path) if self.path is not None else frozenset()

    def before_parsing(self, name: str) -> None:
        """Let the kept sheet go, unless the sheet about to be parsed is small."""
        if self.sheet is not None and name not in self.small:
            self._let_go()

    def keep(self, name: str, sheet: CalamineSheet) -> Reread:
        """Keep this big sheet (letting the one kept before go); its rows, when wanted."""
        self._let_go()
        self.name, self.sheet = name, sheet
        return partial(self._rows, name)

    def _rows(self, name: str) -> Iterator[RawRow]:
        """The sheet's rows from the start: the kept parse if it is still kept, or a new one."""
        if self.name != name or self.sheet is None:
            yield from _reread(self.path or "", name)
            return
        sheet, self.sheet, self.name = self.sheet, None, None
        yield from _raw_rows(sheet)
        del sheet
        release_freed_memory()

    def let_go(self, name: str) -> None:
        """Let this sheet go if it is the one kept."""
        if self.name == name:
            self._let_go()

    def _let_go(self) -> None:
        if self.sheet is not None:
            self.name = self.sheet = None
            release_freed_memory()


@contextmanager
def _as_read_errors() -> Iterator[None]:
    """calamine's errors raised as the ReadError the admin understands; others as they are."""
    try:
        yield
    except BaseException as error:
        if (read_error := _read_error(error)) is None:
            raise
        raise read_error from None


def _read_error(error: BaseException) -> ReadError | None:
    """The ReadError the admin understands for an error of calamine's; None for others."""
    if isinstance(error, PasswordError):
        return encrypted()
    # A bug in the Rust parser surfaces as pyo3's PanicException, a BaseException;
    # for the admin it is a file we cannot read, not a crash.
    if isinstance(error, CalamineError) or type(error).__name__ == "PanicException":
        return _unreadable(error)
    return None


def _reread(path: str, name: str) -> Iterator[RawRow]:
    """The sheet `name` of the workbook at `path`, parsed again, and let go at its end."""
    with _as_read_errors(), CalamineWorkbook.from_path(path) as book:
        sheet = book.get_sheet_by_name(name)
    yield from _raw_rows(sheet)
    del sheet
    release_freed_memory()


def _open(opened: Opened) -> CalamineWorkbook:
    if opened.path is not None:
        return CalamineWorkbook.from_path(opened.path)
    return CalamineWorkbook.from_filelike(opened.file)


def _raw_rows(sheet: CalamineSheet) -> Iterator[RawRow]:
    # iter_rows starts at the sheet's first row (empty rows included), so the index is
    # the sheet's own row number; columns start at the first used column.
    for index, values in enumerate(sheet.iter_rows()):
        # ASCII text (most cells) is taken as it is, without a call per cell.
        cells = [v if type(v) is str and v.isascii() else cell_text(v) for v in values]
        if Inexact in map(type, cells):
            lossy = frozenset(i for i, cell in enumerate(cells) if type(cell) is Inexact)
            yield index + 1, [str(cell) for cell in cells], lossy
        else:
            yield index + 1, cells, None


def _merged_header_fill(sheet: CalamineSheet, opened: Opened, is_ods: bool) -> HeaderFill | None:
    first_column = sheet.start[1] if sheet.start else 0
    merged = sheet.merged_cell_ranges or []
    if not merged and not is_ods:
        return None

    def spans(row: int) -> list[tuple[int, int]]:
        if is_ods:
            return ods_row_spans(opened.file, sheet.name, row)
        return [(left, right) for (top, left), (bottom, right) in merged if top <= row <= bottom]

    def fill(number: int, cells: list[str]) -> list[str]:
        """A header cell merged across columns names each column it covers."""
        filled = list(cells)
        for left, right in spans(number - 1):
            start, end = left - first_column, right - first_column
            if start < 0 or right <= left:
                continue
            if end >= len(filled):
                filled.extend([""] * (end + 1 - len(filled)))
            for column in range(start + 1, end + 1):
                filled[column] = filled[start]
        return filled

    return fill


def _unreadable(error: BaseException) -> ReadError:
    if "password" in str(error).lower() or "encrypt" in str(error).lower():
        return encrypted()
    return ReadError(
        ReadErrorCode.CORRUPT,
        "The workbook is damaged and cannot be read; open it in your spreadsheet program"
        " and save it again.",
    )
