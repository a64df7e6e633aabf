import csv
import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from roster.importing.issues import Issue, IssueCode
from roster.importing.report import (
    COLUMNS,
    is_formula_like,
    neutralise,
    write_issues_csv,
    write_issues_xlsx,
)

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]

PLAIN = Issue(
    code=IssueCode.INVALID_EMAIL,
    message="This is not a valid email address.",
    file="users.xlsx",
    sheet="Student",
    row=7,
    column="Email",
)
TAB_LEVEL = Issue(
    code=IssueCode.UNMAPPED_REQUIRED_COLUMN,
    message="No column is matched to Email.",
    file=None,
    sheet="Parent",
    row=None,
    column=None,
)
HOSTILE = Issue(
    code=IssueCode.FORMULA_LIKE_VALUE,
    message='=HYPERLINK("http://evil.example","click")',
    file="=cmd|' /C calc'!A0.csv",
    sheet="+Sheet",
    row=3,
    column="@Email",
)


def xlsx_rows(issues: list[Issue]) -> list[list[object]]:
    stream = io.BytesIO()
    write_issues_xlsx(issues, stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue()))["Issues"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(issues: list[Issue]) -> list[list[str]]:
    stream = io.StringIO()
    write_issues_csv(issues, stream)
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_like_values_are_neutralised(value: str) -> None:
    assert is_formula_like(value)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ada", "ada@example.org", "", "1+1", "a=b", "'=quoted"])
def test_ordinary_values_are_left_alone(value: str) -> None:
    assert neutralise(value) == value


def test_leading_spaces_do_not_hide_a_formula() -> None:
    assert neutralise("  =1+1") == "'  =1+1"


def test_csv_lists_every_issue_with_location_code_severity_and_description() -> None:
    rows = csv_rows([PLAIN, TAB_LEVEL])
    assert rows[0] == list(COLUMNS)
    assert rows[1] == [
        "users.xlsx",
        "Student",
        "7",
        "Email",
        "invalid_email",
        "error",
        "This is not a valid email address.",
        IssueCode.INVALID_EMAIL.description,
    ]
    assert rows[2][:6] == ["", "Parent", "", "", "unmapped_required_column", "error"]


def test_csv_cells_that_look_like_formulas_begin_with_a_quote() -> None:
    file, sheet, _row, column, _code, _severity, message, _what = csv_rows([HOSTILE])[1]
    assert file == "'" + HOSTILE.file  # type: ignore[operator]
    assert sheet == "'+Sheet"
    assert column == "'@Email"
    assert message == "'" + HOSTILE.message
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in csv_rows([HOSTILE])[1])


def test_xlsx_lists_every_issue() -> None:
    rows = xlsx_rows([PLAIN, TAB_LEVEL])
    assert rows[0] == list(COLUMNS)
    assert rows[1][:7] == [
        "users.xlsx",
        "Student",
        7,
        "Email",
        "invalid_email",
        "error",
        "This is not a valid email address.",
    ]
    assert rows[2][:6] == [None, "Parent", None, None, "unmapped_required_column", "error"]


def test_xlsx_cells_that_look_like_formulas_are_text_and_keep_their_value() -> None:
    stream = io.BytesIO()
    write_issues_xlsx([HOSTILE], stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue()))["Issues"]
    file, tab, _row, column, _code, _severity, message = sheet[2][:7]
    for cell, expected in ((file, HOSTILE.file), (tab, "+Sheet"), (column, "@Email")):
        assert cell.data_type != "f"
        assert cell.value == expected
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert message.data_type != "f"
    assert message.value == HOSTILE.message


def test_xlsx_header_is_frozen_and_filterable() -> None:
    stream = io.BytesIO()
    write_issues_xlsx([PLAIN, PLAIN], stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue()))["Issues"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H3"


def test_an_empty_report_has_only_the_header() -> None:
    assert xlsx_rows([]) == [list(COLUMNS)]
    assert csv_rows([]) == [list(COLUMNS)]


def test_issues_are_streamed_from_an_iterator_and_overflow_onto_new_tabs() -> None:
    consumed: list[int] = []

    def issues() -> Iterator[Issue]:
        for number in range(7):
            consumed.append(number)
            yield Issue(code=IssueCode.UNKNOWN_COLUMN, message="m", sheet="S", row=number)

    stream = io.BytesIO()
    write_issues_xlsx(issues(), stream, rows_per_tab=4)
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    assert consumed == list(range(7))
    assert workbook.sheetnames == ["Issues", "Issues (2)", "Issues (3)"]
    rows = [cell.value for sheet in workbook for (cell,) in sheet.iter_rows(min_col=3, max_col=3)]
    assert [row for row in rows if row != "Row"] == list(range(7))


class WriteOnly:
    """A stream that can only be written to, like a streaming HTTP response."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def test_xlsx_can_be_written_to_a_stream_that_cannot_seek() -> None:
    stream = WriteOnly()
    write_issues_xlsx([PLAIN], stream)  # type: ignore[arg-type]
    sheet = load_workbook(io.BytesIO(b"".join(stream.chunks)))["Issues"]
    assert sheet["E2"].value == "invalid_email"
