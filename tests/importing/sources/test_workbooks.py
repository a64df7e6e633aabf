"""Workbooks as Excel, LibreOffice and Google Sheets leave them: tabs, titles, merges, numbers."""

import datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlsxwriter  # type: ignore[import-untyped]
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from roster.importing.sources import (
    ReadError,
    ReadErrorCode,
    ReadResult,
    read_file,
    workbook,
)
from tests.importing.sources.samples import (
    count_rereads,
    read_in_this_process,
    snapshot,
    write_ods,
    write_xlsx,
)

HEADER = ("First Name", "Last Name", "Phone")


def test_every_visible_tab_is_a_table_and_hidden_tabs_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    book = openpyxl.Workbook()
    students = book.active
    assert students is not None
    students.title = "Students"
    students.append(["First Name", "Email"])
    students.append(["Ann", "ann@x.org"])
    for title, state in (("Old", "hidden"), ("Lists", "veryHidden"), ("Parents", "visible")):
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        sheet.append(["First Name", "Email"])
        sheet.append([title, f"{title.lower()}@x.org"])
    book.create_sheet("Empty")
    book.save(path)
    result = read_file(path)
    assert result.skipped_sheets == ["Old", "Lists"]
    assert snapshot(result) == [
        ("Students", ("First Name", "Email"), 1, [(2, ("Ann", "ann@x.org"))]),
        ("Parents", ("First Name", "Email"), 1, [(2, ("Parents", "parents@x.org"))]),
    ]


def test_titles_above_the_header_and_a_merged_header_cell(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Roster")
    sheet.merge_range("A1:D1", "Spring Term Roster")  # a title merged across the table
    sheet.write("A2", "Exported 2024-09-01")
    sheet.write_row("A4", ["First Name", "Last Name"])
    sheet.merge_range("C4:D4", "Parent Email")  # names both parent columns
    sheet.write_row("A5", ["Ann", "Lee", "p1@x.org", "p2@x.org"])
    sheet.write_row("A7", ["Bob", "Ng", "p3@x.org"])
    book.close()
    assert snapshot(read_file(path)) == [
        (
            "Roster",
            ("First Name", "Last Name", "Parent Email", "Parent Email"),
            4,
            [(5, ("Ann", "Lee", "p1@x.org", "p2@x.org")), (7, ("Bob", "Ng", "p3@x.org", ""))],
        )
    ]


def test_cells_come_out_as_the_text_the_admin_saw(tmp_path: Path) -> None:
    path = tmp_path / "types.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Students")
    date = book.add_format({"num_format": "mm/dd/yyyy"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row("A1", ["Phone", "Id", "Born", "Active", "Full Name", "Grade", "Typed", "Seen"])
    sheet.write_number("A2", 4155550123)
    sheet.write_number("B2", 12345678901234567)  # a 17-digit id Excel kept as a float
    sheet.write_datetime("C2", datetime.datetime(2012, 3, 4), date)
    sheet.write_boolean("D2", True)
    sheet.write_formula("E2", '="Ann"&" "&"Lee"', None, "Ann Lee")
    sheet.write_number("F2", 7.5)
    sheet.write_string("G2", "0042")
    sheet.write_datetime("H2", datetime.datetime(2024, 9, 1, 13, 30), stamp)
    book.close()
    [table] = read_file(path).tables
    [row] = list(table.rows)
    assert row.cells == (
        "4155550123",
        "12345678901234570",
        "2012-03-04",
        "TRUE",
        "Ann Lee",
        "7.5",
        "0042",
        "2024-09-01 13:30:00",  # the seconds kept, though the format shows none (10.8)
    )
    assert row.lossy == frozenset({1})


def test_xls_from_xlwt(tmp_path: Path) -> None:
    path = tmp_path / "legacy.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("Instructors")
    sheet.write(0, 0, "Instructor Roster")
    sheet.write_merge(2, 2, 0, 1, "Name")
    sheet.write(2, 2, "Phone")
    sheet.write(3, 0, "Ada")
    sheet.write(3, 1, "Lovelace")
    sheet.write(3, 2, 4155550123)
    sheet.write(5, 0, "Zoë")
    sheet.write(5, 1, "Ångström")
    sheet.write(5, 2, 1.5)
    book.add_sheet("Hidden").visibility = 1
    book.save(str(path))
    result = read_file(path)
    assert result.skipped_sheets == ["Hidden"]
    assert snapshot(result) == [
        (
            "Instructors",
            ("Name", "Name", "Phone"),
            3,
            [(4, ("Ada", "Lovelace", "4155550123")), (6, ("Zoë", "Ångström", "1.5"))],
        )
    ]


def test_ods_from_odfpy(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "people.ods",
        {
            "Parents": [
                ["Parents of Room 4"],
                [],
                ["First Name", "Last Name", "Phone"],
                ["Zoe\u0308", "Lee", 4155550123.0],
                [None, None, None],
                ["Bo", None, "007"],
            ],
            "Scratch": [["First Name"], ["x"]],
        },
        hidden={"Scratch"},
    )
    result = read_file(path)
    assert result.skipped_sheets == ["Scratch"]
    assert snapshot(result) == [
        ("Parents", HEADER, 3, [(4, ("Zoë", "Lee", "4155550123")), (6, ("Bo", "", "007"))])
    ]


def test_ods_merged_header_cell_starting_in_column_b(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "merged.ods",
        {
            "Students": [
                [None, ("Students of Room 4", 3)],
                [None, "Email", ("Parent Email", 2)],
                [None, "a@x.org", "p1@x.org", "p2@x.org"],
            ]
        },
        hidden=set(),
    )
    assert snapshot(read_file(path)) == [
        (
            "Students",
            ("Email", "Parent Email", "Parent Email"),
            2,
            [(3, ("a@x.org", "p1@x.org", "p2@x.org"))],
        )
    ]


def test_header_only_tabs_are_left_out_when_another_tab_has_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "template.xlsx",
        {
            "Student": [("A1", "First Name"), ("B1", "Email"), ("A2", "Ann"), ("B2", "a@x.org")],
            "Parent": [("A1", "First Name"), ("B1", "Email")],
        },
    )
    assert [table.name for table in read_file(path).tables] == ["Student"]


@pytest.mark.parametrize("name", ["students.csv", "students.txt", "students"])
def test_a_workbook_with_the_wrong_name_is_still_a_workbook(tmp_path: Path, name: str) -> None:
    path = write_xlsx(tmp_path / name, {"S": [("A1", "Email"), ("A2", "a@x.org")]})
    assert snapshot(read_file(path)) == [("S", ("Email",), 1, [(2, ("a@x.org",))])]


def test_a_csv_named_xls_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "students.xls"
    path.write_bytes(b"Email,Name\r\na@x.org,Ann\r\n")
    assert snapshot(read_file(path)) == [
        ("students", ("Email", "Name"), 1, [(2, ("a@x.org", "Ann"))])
    ]


def test_an_upload_stream_without_a_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", {"S": [("A1", "Email"), ("A3", "a@x.org")]})
    with path.open("rb") as upload:
        result = read_file(upload, file_name="Upload.xlsx")
        assert snapshot(result) == [("S", ("Email",), 1, [(3, ("a@x.org",))])]
    assert result.file == "Upload.xlsx"


def test_dates_and_booleans_in_xls_and_ods(tmp_path: Path) -> None:
    xls = tmp_path / "dates.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for column, label in enumerate(["Born", "Active", "Start"]):
        sheet.write(0, column, label)
    sheet.write(1, 0, datetime.date(2012, 3, 4), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    sheet.write(1, 1, False)
    sheet.write(1, 2, datetime.datetime(2024, 9, 1, 8, 5, 30), xlwt.easyxf(num_format_str="h:mm"))
    book.save(str(xls))
    [table] = read_file(xls).tables
    assert [row.cells for row in table.rows] == [("2012-03-04", "FALSE", "2024-09-01 08:05:30")]

    document = OpenDocumentSpreadsheet()
    ods_table = Table(name="S")
    for cells in (
        [_text("Born"), _text("Active")],
        [
            TableCell(valuetype="date", datevalue="2012-03-04"),
            TableCell(valuetype="boolean", booleanvalue="true"),
        ],
    ):
        row = TableRow()
        for cell in cells:
            row.addElement(cell)
        ods_table.addElement(row)
    document.spreadsheet.addElement(ods_table)
    document.save(str(tmp_path / "dates.ods"))
    [table] = read_file(tmp_path / "dates.ods").tables
    assert [row.cells for row in table.rows] == [("2012-03-04", "TRUE")]


def _text(value: str) -> TableCell:
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=value))
    return cell


def _titled_workbook(path: Path) -> Path:
    """Two tabs, each with a title, a blank row, a lossy cell, rows past the limit test's."""
    book = xlsxwriter.Workbook(path)
    for name in ("Students", "Parents"):
        sheet = book.add_worksheet(name)
        sheet.merge_range("A1:C1", f"{name} roster")
        sheet.write_row("A3", HEADER)
        sheet.write_row("A4", ["Ann", "Lee"])
        sheet.write_row("A6", ["Bob", "Ng", "x"])  # after a blank row
        sheet.write_number("C7", 12345678901234567)
        sheet.write_row("A8", ["Cy", "Po", "", "", ""])
    book.close()
    return path


def _rows(
    result: ReadResult,
) -> list[tuple[str, int, list[tuple[int, tuple[str, ...], frozenset[int]]]]]:
    return [
        (t.name, t.header_row, [(r.number, r.cells, r.lossy) for r in t.rows])
        for t in result.tables
    ]


def test_a_big_sheet_read_again_later_gives_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _titled_workbook(tmp_path / "big.xlsx")
    held = _rows(read_in_this_process(path))
    calls = count_rereads(monkeypatch)
    result = read_in_this_process(path)
    assert calls == []  # nothing read again until the rows after the first are wanted
    assert _rows(result) == held
    # The first big sheet was parsed last and kept until its rows were read; the other
    # was let go once its header was found.
    assert calls == ["Parents"]
    assert held[0][2][0] == (4, ("Ann", "Lee", ""), frozenset())


def test_a_big_sheet_changed_before_it_is_read_again_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _titled_workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(workbook, "REREAD_FROM_ROWS", 3)
    [students, parents] = read_in_this_process(path).tables
    write_xlsx(path, {"Parents": [("A3", "Something else"), ("A4", "Zed")]})
    assert [row.cells[0] for row in students.rows] == ["Ann", "Bob", "", "Cy"]  # kept parsed
    with pytest.raises(ReadError) as error:
        list(parents.rows)
    assert error.value.code is ReadErrorCode.CORRUPT


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # Issue 10.8: was "1971-01-01 04:14", unlike docs/reading-files.md.
        (datetime.datetime(1971, 1, 1, 4, 14), "1971-01-01 04:14:00"),
        (datetime.datetime(2001, 2, 3, 4, 5, 6), "2001-02-03 04:05:06"),
        (datetime.datetime(2001, 2, 3, 4, 5, 6, 500_000), "2001-02-03 04:05:06.5"),
        (datetime.datetime(2001, 2, 3), "2001-02-03"),
        (datetime.time(4, 14), "04:14:00"),
    ],
)
def test_dates_with_times_keep_their_seconds(
    tmp_path: Path, value: datetime.datetime | datetime.time, text: str
) -> None:
    path = tmp_path / "times.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("S")
    sheet.write_row("A1", ["Email", "Started"])
    sheet.write("A2", "a@x.org")
    sheet.write_datetime("B2", value, book.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    book.close()
    [table] = read_file(path).tables
    assert [row.cells for row in table.rows] == [("a@x.org", text)]
