"""The fix file at the core: written with comments and a What to fix column, read back by
the ordinary readers into the tab's own columns, refused in words when it is not one."""

import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from roster.importing.fix_file import (
    ROW_ID,
    WHAT_TO_FIX,
    FixFileError,
    FixRow,
    FixTab,
    fixed_rows,
    sheet_names,
    write_fix_file,
)
from roster.importing.sources import read_file

HEADER = ("First Name", "Last Name", "Email")


def _written(*tabs: FixTab) -> bytes:
    stream = io.BytesIO()
    write_fix_file(tabs, stream)
    return stream.getvalue()


def _student_tab(rows: list[FixRow]) -> FixTab:
    return FixTab("Student", HEADER, rows)


def test_a_flagged_cell_gets_a_comment_and_its_row_says_what_to_fix() -> None:
    rows = [
        FixRow(2, ["Ada", "Lovelace", "ada@example.com"]),
        FixRow(3, ["Alan", "Turing", "alan@"], [(2, "Email: “alan@” is not an email address.")]),
    ]
    book = load_workbook(io.BytesIO(_written(_student_tab(rows))))
    sheet = book["Student"]
    assert [cell.value for cell in sheet[1]] == [ROW_ID, *HEADER, WHAT_TO_FIX]
    assert sheet.column_dimensions["A"].hidden
    assert [cell.value for cell in sheet[3]] == [
        "3",
        "Alan",
        "Turing",
        "alan@",
        "Email: “alan@” is not an email address.",
    ]
    assert sheet["D3"].comment.text == "Email: “alan@” is not an email address."
    assert sheet["D2"].comment is None and sheet["E2"].value is None


def test_read_back_by_the_readers_it_gives_the_tabs_own_columns() -> None:
    risky = '=HYPERLINK("http://x")'
    rows = [FixRow(7, ["@Bobby", risky, "bob@example.com"], [(0, "First Name: odd")])]
    result = read_file(io.BytesIO(_written(_student_tab(rows))), file_name="fix.xlsx")
    found = fixed_rows(result, {"Student": HEADER})
    assert [(row.number, row.cells) for row in found["Student"]] == [
        (7, ("@Bobby", risky, "bob@example.com"))
    ]


def test_two_thousand_flagged_rows_do_not_look_like_a_zip_bomb() -> None:
    problem = [(2, "Email: “x@” is not an email address."), (-1, "Row: used twice")]
    rows = [FixRow(n, ["Ann", "Lee", "x@"], problem) for n in range(2, 2002)]
    result = read_file(io.BytesIO(_written(_student_tab(rows))), file_name="fix.xlsx")
    assert len(fixed_rows(result, {"Student": HEADER})["Student"]) == 2000


def test_sheet_names_follow_excels_rules_and_stay_unique() -> None:
    long = "Students of the autumn term: group A/B"
    names = sheet_names([long, long, "Parent", "parent", ""])
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert len({name.casefold() for name in names}) == 5


@pytest.mark.parametrize(
    ("header", "rows", "said"),
    [
        (("First Name", "Last Name", "Email", "Phone"), [["2", "A", "B", "a@b.c", ""]], "columns"),
        ((ROW_ID, *HEADER, WHAT_TO_FIX), [["", "A", "B", "a@b.c", ""]], "no Roster row number"),
    ],
)
def test_a_file_that_is_not_this_imports_fix_file_is_refused_in_words(
    header: tuple[str, ...], rows: list[list[str]], said: str
) -> None:
    text = "\n".join(",".join(line) for line in [list(header), *rows]) + "\n"
    result = read_file(io.BytesIO(text.encode()), file_name="Student.csv")
    with pytest.raises(FixFileError) as refused:
        fixed_rows(result, {"Student": HEADER})
    assert said in refused.value.message


def test_a_tab_of_another_import_is_refused() -> None:
    tab = FixTab("Teachers", HEADER, [FixRow(2, ["Tim", "Tutor", "tim@example.com"])])
    result = read_file(io.BytesIO(_written(tab)), file_name="x.xlsx")
    with pytest.raises(FixFileError, match="not a tab of this import"):
        fixed_rows(result, {"Student": HEADER})
