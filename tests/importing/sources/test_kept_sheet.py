"""A workbook's first big sheet is parsed once: kept from its header to its rows.

Other big sheets are let go once their headers are found and parsed again when their rows
are read; a sheet is parsed while a big one is kept only when its part is small.
"""

import io
import zipfile
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]

from roster.importing.sources import ReadError, workbook, xlsx_parts
from roster.importing.sources.xlsx_parts import small_sheets
from roster.importing.template import template_bytes
from tests.importing.sources.samples import count_rereads, read_in_this_process, write_ods

HEADER = ["First Name", "Last Name", "Email"]


def _template_ordered(path: Path) -> Path:
    """As the product's template orders its tabs: Instructions first, then the roles."""
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Instructions").write("A1", "Fill in one tab per role.")
    for name, count in (("Student", 6), ("Instructor", 1), ("Parent", 4)):
        sheet = book.add_worksheet(name)
        sheet.write_row("A1", HEADER)
        for number in range(count):
            sheet.write_row(number + 1, 0, [f"{name}{number}", "Lee", f"{name}{number}@x.org"])
    book.close()
    return path


def _read_counting(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The sheets parsed again, in order, and each table's first names."""
    calls = count_rereads(monkeypatch)
    result = read_in_this_process(path)
    names = [",".join(row.cells[0] for row in table.rows) for table in result.tables]
    return calls, names


def test_the_first_big_sheet_is_kept_while_small_tabs_before_it_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls, names = _read_counting(_template_ordered(tmp_path / "t.xlsx"), monkeypatch)
    assert calls == ["Parent"]  # Student (6 rows) kept; Instructor is under 3 rows
    assert names == [  # the Instructions tab holds no table
        ",".join(f"Student{n}" for n in range(6)),
        "Instructor0",
        ",".join(f"Parent{n}" for n in range(4)),
    ]


def test_a_kept_sheet_is_let_go_before_a_tab_whose_part_is_not_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_parts, "SMALL_PART", 0)
    calls, names = _read_counting(_template_ordered(tmp_path / "t.xlsx"), monkeypatch)
    assert calls == ["Student", "Parent"]  # both parsed again: never two big sheets at once
    assert names[0].startswith("Student0,Student1")


def test_each_sheet_of_the_template_is_found_small_by_its_part(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_bytes())
    assert small_sheets(str(path)) == {"Instructions", "Student", "Instructor", "Parent"}


def test_a_sheet_whose_part_is_larger_is_not_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _template_ordered(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as archive:
        sizes = {i.filename: i.file_size for i in archive.infolist()}
    # Parent's part (sheet4) is larger than Instructor's (sheet3), which is the limit.
    assert sizes["xl/worksheets/sheet4.xml"] > sizes["xl/worksheets/sheet3.xml"]
    monkeypatch.setattr(xlsx_parts, "SMALL_PART", sizes["xl/worksheets/sheet3.xml"])
    assert small_sheets(str(path)) == {"Instructions", "Instructor"}


def test_absolute_targets_and_prefixed_elements_are_followed(tmp_path: Path) -> None:
    path = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="x"><Relationship Id="rId1" Target="/book/main.xml"'
            ' Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "book/_rels/main.xml.rels",
            '<Relationships xmlns="x"><Relationship Id="a" Target="/book/s/one.xml" Type="w"/>'
            '<Relationship Id="b" Target="s/two.xml" Type="w"/></Relationships>',
        )
        archive.writestr(
            "book/main.xml",
            '<x:workbook xmlns:x="m" xmlns:q="r"><x:sheets><x:sheet name="One" sheetId="1"'
            ' q:id="a"/><x:sheet name="Two &amp; more" sheetId="2" q:id="b"/>'
            '<x:sheet name="Lost" sheetId="3" q:id="c"/></x:sheets></x:workbook>',
        )
        archive.writestr("book/s/one.xml", "<worksheet/>")
        archive.writestr("book/s/two.xml", "<worksheet/>")
    assert small_sheets(str(path)) == {"One", "Two & more"}


@pytest.mark.parametrize("kind", ["ods", "csv", "entities"])
def test_a_file_it_cannot_follow_has_no_small_sheets(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"file.{kind}"
    if kind == "ods":
        write_ods(path, {"S": [["Email"], ["a@x.org"]]}, hidden=set())
    elif kind == "csv":
        path.write_text("Email\na@x.org\n")
    else:
        with (
            zipfile.ZipFile(io.BytesIO(template_bytes())) as template,
            zipfile.ZipFile(path, "w") as archive,
        ):
            for info in template.infolist():
                if info.filename != "_rels/.rels":
                    archive.writestr(info, template.read(info))
            archive.writestr("_rels/.rels", '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>')
    assert small_sheets(str(path)) == frozenset()


def test_a_big_sheet_that_holds_no_table_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "blank.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Blank").write_column("A1", [" "] * 5)  # rows of blanks: no header
    book.close()
    monkeypatch.setattr(workbook, "REREAD_FROM_ROWS", 3)
    let_go: list[str | None] = []
    real = workbook._Kept._let_go

    def watched(kept: workbook._Kept) -> None:
        let_go.append(kept.name)
        real(kept)

    monkeypatch.setattr(workbook._Kept, "_let_go", watched)
    with pytest.raises(ReadError):
        read_in_this_process(path)  # the file has no data
    assert "Blank" in let_go


def test_the_index_is_read_only_when_a_big_sheet_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _template_ordered(tmp_path / "t.xlsx")
    read: list[str] = []

    def counted(at: str) -> frozenset[str]:
        read.append(at)
        return small_sheets(at)

    monkeypatch.setattr(workbook, "small_sheets", counted)
    read_in_this_process(path)  # no sheet of 200,000 rows: nothing kept
    assert read == []
    _read_counting(path, monkeypatch)  # sheets of 3 rows are big: Parent, then Student kept
    assert read == [str(path)]
