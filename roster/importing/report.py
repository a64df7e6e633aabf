"""The issues report: every flagged cell as a spreadsheet (.xlsx) or a CSV file to download.

Report cells repeat what admins' files contained (a column name, a sheet name, a value
quoted in a message), so nothing in them may run as a formula when the report is opened:
see `neutralise`. Both writers stream, one issue at a time, so a report of 1,000,000
issues never holds them all in memory.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

import xlsxwriter  # type: ignore[import-untyped]  # no type information shipped
from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from roster.importing.issues import Issue

COLUMNS = ("File", "Tab", "Row", "Column", "Code", "Severity", "Message", "What it means")
_WIDTHS = (24, 16, 8, 24, 26, 10, 60, 60)
# OWASP's CSV injection guidance: a cell starting with one of these is run as a formula
# by Excel, LibreOffice or Google Sheets (tab and carriage return included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's last row is 1,048,576; past it the report continues on a new tab.
MAX_ROWS = 1_048_576
_BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with a byte order mark

# File, tab, row, column, code, severity, message, description.
ReportRow = tuple[str, str, int | None, str, str, str, str, str]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # its media type


def neutralise(value: str) -> str:
    """The value with a leading single quote if a spreadsheet would run it as a formula."""
    return f"'{value}" if is_formula_like(value) else value


def is_formula_like(value: str) -> bool:
    # " =1+1" runs too in some spreadsheets: leading spaces are skipped before checking.
    return value.lstrip(" ").startswith(FORMULA_STARTS)


def report_rows(issues: Iterable[Issue]) -> Iterator[ReportRow]:
    """One row per issue, in COLUMNS order, values not yet neutralised."""
    for issue in issues:
        yield (
            issue.file or "",
            issue.sheet,
            issue.row,
            issue.column or "",
            str(issue.code),
            str(issue.severity),
            issue.message,
            issue.code.description,
        )


def write_issues_csv(issues: Iterable[Issue], stream: TextIO) -> None:
    """Write the report as CSV (UTF-8 with a byte order mark) to a text stream."""
    stream.write(_BOM)
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for row in report_rows(issues):
        writer.writerow(
            "" if value is None else neutralise(value) if isinstance(value, str) else value
            for value in row
        )


def write_issues_xlsx(
    issues: Iterable[Issue], stream: BinaryIO, *, rows_per_tab: int = MAX_ROWS
) -> None:
    """Write the report as an .xlsx workbook to a binary stream.

    A tab holds at most `rows_per_tab` rows, header included; the report goes on in
    "Issues (2)", "Issues (3)"… past Excel's limit.
    """
    # constant_memory writes each row to a temporary file as soon as the next one starts.
    workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "in_memory": False})
    formats = _Formats(workbook)
    sheet, row = _new_sheet(workbook, formats, 1), 1
    for values in report_rows(issues):
        if row == rows_per_tab:
            sheet.autofilter(0, 0, row - 1, len(COLUMNS) - 1)
            sheet, row = _new_sheet(workbook, formats, len(workbook.worksheets()) + 1), 1
        _write_row(sheet, row, values, formats)
        row += 1
    sheet.autofilter(0, 0, row - 1, len(COLUMNS) - 1)
    workbook.close()


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"}
        )
        # Excel's own "text, even when edited" marker: the value stays exactly as it was.
        self.inert = workbook.add_format({"quote_prefix": True})


def _new_sheet(workbook: Workbook, formats: _Formats, number: int) -> Worksheet:
    sheet = workbook.add_worksheet("Issues" if number == 1 else f"Issues ({number})")
    for column, (title, width) in enumerate(zip(COLUMNS, _WIDTHS, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, title, formats.header)
    sheet.freeze_panes(1, 0)
    return sheet


def _write_row(sheet: Worksheet, row: int, values: ReportRow, formats: _Formats) -> None:
    for column, value in enumerate(values):
        if isinstance(value, int):
            sheet.write_number(row, column, value)
        elif isinstance(value, str) and value:
            # write_string, never write(): a string is stored as text, whatever it starts with.
            inert = formats.inert if is_formula_like(value) else None
            sheet.write_string(row, column, value, inert)
