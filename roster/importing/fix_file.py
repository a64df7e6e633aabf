"""The fix file: an import's rows as a workbook to correct in a spreadsheet, and back.

One worksheet per tab of the import, named after it, with the tab's own header; before it
a hidden "Roster row" column (the row's number in the import, which is how the rows find
their place again), after it a "What to fix" column, and a comment on every flagged cell.
Uploaded back, it is read by the same readers as any file (sources/), and only the tab's
own columns are taken: the two extra columns never reach the engine.

Every value is written as text (write_string), never as a formula; a value a spreadsheet
would run as one is marked as text (report.neutralise's rule), as in the issues report.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import xlsxwriter  # type: ignore[import-untyped]  # no type information shipped
from xlsxwriter.format import Format  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from roster.importing.report import is_formula_like
from roster.importing.sources import ReadResult

ROW_ID = "Roster row"
# Excel's longest cell: a longer value is written cut to it, and comes back cut (see
# jobs/fix_rows.py, which keeps the review's whole value then).
EXCEL_CELL_CHARS = 32_767
WHAT_TO_FIX = "What to fix"
# Excel's rules for a worksheet's name: at most 31 characters, none of these.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31


@dataclass(frozen=True, slots=True)
class FixRow:
    number: int  # the row's number in the import, as the review shows it
    cells: Sequence[str]
    # What is wrong: (column index, or -1 for the row as a whole; the sentence to show).
    problems: Sequence[tuple[int, str]] = ()


@dataclass(frozen=True, slots=True)
class FixTab:
    sheet: str  # the worksheet's name (sheet_names)
    header: Sequence[str]
    rows: Iterable[FixRow]


@dataclass(frozen=True, slots=True)
class FixedRow:
    """A row of an uploaded fix file, in its tab's columns."""

    number: int
    cells: tuple[str, ...]
    lossy: frozenset[int]  # the readers' Row.lossy, in the tab's column indexes


class FixFileError(Exception):
    """An uploaded file that is not a fix file of this import; the sentence says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sheet_names(sheets: Sequence[str]) -> list[str]:
    """A worksheet name per tab, as Excel allows them (31 characters, no []:*?/\\) and
    unique; the same tabs always give the same names, so an upload finds its tabs."""
    names: list[str] = []
    for sheet in sheets:
        base = _NOT_IN_SHEET_NAMES.sub(" ", sheet).strip(" '") or "Sheet"
        name, number = base[:_SHEET_NAME_LENGTH], 1
        while name.casefold() in {each.casefold() for each in names}:
            number += 1
            suffix = f" ({number})"
            name = base[: _SHEET_NAME_LENGTH - len(suffix)] + suffix
        names.append(name)
    return names


def write_fix_file(tabs: Iterable[FixTab], stream: BinaryIO) -> None:
    """Write the fix file to a binary stream, one worksheet per tab."""
    # constant_memory writes each row to a temporary file once the next one starts (only
    # the comments are held until the tab ends): a 100,000-row tab is never all in memory.
    workbook = xlsxwriter.Workbook(
        stream, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False}
    )
    header = workbook.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"})
    inert = workbook.add_format({"quote_prefix": True})  # text, even when edited
    flagged = workbook.add_format({"bg_color": "#FDE2E1"})
    for tab in tabs:
        sheet = workbook.add_worksheet(tab.sheet)
        titles = [ROW_ID, *tab.header, WHAT_TO_FIX]
        for column, title in enumerate(titles):
            sheet.write_string(0, column, title, header)
        sheet.set_column(0, 0, 10, None, {"hidden": True})
        sheet.set_column(1, len(tab.header), 18)
        sheet.set_column(len(tab.header) + 1, len(tab.header) + 1, 60)
        sheet.freeze_panes(1, 1)
        for line, row in enumerate(tab.rows, start=1):
            _write_row(sheet, line, row, len(tab.header), (inert, flagged))
    workbook.close()


def _write_row(
    sheet: Worksheet, line: int, row: FixRow, width: int, formats: tuple[Format, Format]
) -> None:
    inert, flagged = formats
    write, comment = sheet.write_string, sheet.write_comment
    write(line, 0, str(row.number))
    by_column: dict[int, list[str]] = {}
    for column, message in row.problems:
        by_column.setdefault(column, []).append(message)
    for column, value in enumerate(list(row.cells)[:width]):
        problems = by_column.get(column)
        style = inert if is_formula_like(value) else flagged if problems else None
        if value or style is not None:
            write(line, column + 1, value, style)
        if problems:
            comment(line, column + 1, "\n".join(problems), {"author": "Roster"})
    if row.problems:
        what = "; ".join(message for _, message in row.problems)
        write(
            line,
            width + 1,
            what[: EXCEL_CELL_CHARS - 1] + "…" if len(what) > EXCEL_CELL_CHARS else what,
        )


def fixed_rows(
    result: ReadResult, headers: Mapping[str, Sequence[str]]
) -> dict[str, list[FixedRow]]:
    """The rows of an uploaded fix file per worksheet name, in their tab's columns.

    `headers` gives each tab's worksheet name (sheet_names) and header. Raises
    FixFileError when a worksheet is not one of this import's tabs, its columns are not
    the tab's, or a row has no Roster row number: nothing is taken then.
    """
    found: dict[str, list[FixedRow]] = {}
    for table in result.tables:
        header = headers.get(table.name)
        if header is None:
            raise FixFileError(
                f"The tab “{table.name}” is not a tab of this import. Upload the file"
                " “Download rows to fix” gave, with its tabs' names unchanged."
            )
        expected = [ROW_ID, *header, WHAT_TO_FIX]
        if [cell.strip() for cell in table.header] != [title.strip() for title in expected]:
            raise FixFileError(
                f"The columns of tab “{table.name}” are not those of the file Roster gave:"
                " keep every column (the hidden “Roster row” first, “What to fix” last),"
                " in the same order, and edit only the cells."
            )
        found[table.name] = [
            _fixed(table.name, row.number, row.cells, row.lossy, len(header)) for row in table.rows
        ]
    return found


def _fixed(
    name: str, line: int, cells: Sequence[str], lossy: frozenset[int], width: int
) -> FixedRow:
    padded = [*cells, *[""] * (width + 2 - len(cells))]
    number = padded[0].strip()
    if not number.isdigit():
        raise FixFileError(
            f"Row {line} of tab “{name}” has no Roster row number, so Roster cannot tell"
            " which row it replaces. Add new people in a new import."
        )
    return FixedRow(
        number=int(number),
        cells=tuple(padded[1 : width + 1]),
        lossy=frozenset(index - 1 for index in lossy if 1 <= index <= width),
    )
