"""Hostile workbooks (issue 11, findings 1 and 7): each refused with its code, never a crash.

Every file here is read by `read_file` in a separate process under a 1 GB address-space
limit (and calamine's own child under that), so a file that made a parser allocate
without bound would fail these tests instead of passing by luck on a big machine.
"""

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from roster.importing.sources import DEFAULT_LIMITS, ReadError, ReadErrorCode
from roster.importing.sources.xls_extent import check_xls
from tests.importing.sources.samples import rewrite_zip, write_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TINY_CELLS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>a@x.org</t></is></c></row>'
)
FAR = "<c r='XFD1048576'><v>1</v></c>"  # 16,384 x 1,048,576 cells: calamine asks for 512 GB
MEMORY_LIMIT = 1024 * 1024 * 1024
READ_UNDER_LIMIT = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from roster.importing.sources import ReadError, read_file
codes = {{}}
for path in sys.argv[1:]:
    try:
        result = read_file(path)
        codes[path] = sum(1 for table in result.tables for _ in table.rows)
    except ReadError as error:
        codes[path] = error.code.value
print(json.dumps(codes))
"""


def sheet(cells: str, head: str = "", root: str = "worksheet") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{root} xmlns="{MAIN}">'
        f"{head}<sheetData>{cells}</sheetData></{root}>"
    ).encode()


def with_sheet(base: Path, target: Path, data: bytes) -> Path:
    return rewrite_zip(base, target, {"xl/worksheets/sheet1.xml": data})


def renamed_sheet_part(base: Path, target: Path) -> Path:
    """The sheet moved to sheet1.dat, the relationship and content type following it."""
    with zipfile.ZipFile(base) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.dat"] = sheet(TINY_CELLS + f'<row r="3">{FAR}</row>')
    del members["xl/worksheets/sheet1.xml"]
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        members[name] = members[name].replace(b"sheet1.xml", b"sheet1.dat")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each variant's file and the code it must be refused with."""
    base = write_xlsx(folder / "base.xlsx", {"S": [("A1", "Email"), ("A2", "a@x.org")]})
    far_row = f'<row r="3">{FAR}</row>'
    variants = {
        "single quotes": (sheet(TINY_CELLS + far_row), "too_many_columns"),
        "tab before r=": (
            sheet(TINY_CELLS + '<row r="3"><c\tr="XFD1048576"><v>1</v></c></row>'),
            "too_many_columns",
        ),
        "spaces around =": (
            sheet(TINY_CELLS + '<row r="3"><c r = "XFD1048576" ><v>1</v></c></row>'),
            "too_many_columns",
        ),
        "lower-case reference": (
            sheet(TINY_CELLS + '<row><c r="xfd1048576"><v>1</v></c></row>'),
            "too_many_columns",
        ),
        "a prefix on every element": (
            sheet(TINY_CELLS + far_row)
            .replace(b"<sheetData>", b'<x:sheetData xmlns:x="' + MAIN.encode() + b'">')
            .replace(b"</sheetData>", b"</x:sheetData>")
            .replace(far_row.encode(), b"<x:row><x:c r='XFD1048576'><x:v>1</x:v></x:c></x:row>"),
            "too_many_columns",
        ),
        "cells without references": (
            sheet(TINY_CELLS + '<row r="1048576">' + "<c><v>1</v></c>" * 1100 + "</row>"),
            "too_many_columns",
        ),
        "huge dimension, tiny data": (
            sheet(TINY_CELLS, head='<dimension ref="A1:XFD1048576"/>'),
            "too_many_columns",
        ),
        "a sheet in UTF-16": (
            sheet(TINY_CELLS + far_row).replace(b'"UTF-8"', b'"UTF-16"').decode().encode("utf-16"),
            "too_many_columns",
        ),
        "another root element": (
            sheet(TINY_CELLS + far_row, root="styleSheet"),
            "too_many_columns",
        ),
    }
    files = {
        name: (with_sheet(base, folder / f"{index}.xlsx", data), code)
        for index, (name, (data, code)) in enumerate(variants.items())
    }
    files["a renamed sheet part"] = (
        renamed_sheet_part(base, folder / "renamed.xlsx"),
        "too_many_columns",
    )
    with zipfile.ZipFile(base) as archive:
        strings = archive.read("xl/sharedStrings.xml")
    huge_count = strings.replace(b'uniqueCount="2"', b'uniqueCount="4000000000"')
    files["shared strings claiming 4 billion"] = (
        rewrite_zip(base, folder / "strings.xlsx", {"xl/sharedStrings.xml": huge_count}),
        "unsafe_file",
    )
    files["the first hostile file of the issue"] = (
        write_xlsx(folder / "stray.xlsx", {"S": [("A1", "Email"), ("XFD1048576", "x")]}),
        "too_many_columns",
    )
    files["a harmless control"] = (base, "1")
    files.update(hostile_ods(folder))
    files.update(hostile_xls(folder))
    return files


def hostile_xls(folder: Path) -> dict[str, tuple[Path, str]]:
    """An .xls whose records declare or place cells far away (finding 7), and a control."""
    control = xls(folder / "control.xls", {(0, 0): "Email", (1, 0): "a@x.org"})
    data = control.read_bytes()
    # DIMENSIONS (0x0200, 14 bytes): first row, last row + 1, first column, last column + 1.
    at = data.index(b"\x00\x02\x0e\x00") + 4
    billion = data[:at] + struct.pack("<IIHH", 0, 1_000_000_000, 0, 1) + data[at + 12 :]
    # The second shared-string cell (LABELSST, 0x00FD): its row and column, moved.
    cell = data.index(b"\xfd\x00\x0a\x00", data.index(b"\xfd\x00\x0a\x00") + 1) + 4
    far = data[:cell] + struct.pack("<HH", 65535, 65535) + data[cell + 4 :]
    sparse = {(0, 0): "Email", (1, 0): "a@x.org", (65535, 255): "x"}
    (folder / "billion.xls").write_bytes(billion)
    (folder / "far.xls").write_bytes(far)
    return {
        "xls: a billion rows declared": (folder / "billion.xls", "too_many_rows"),
        "xls: a cell at column 65,536": (folder / "far.xls", "too_many_columns"),
        "xls: a value far below a short list": (
            xls(folder / "sparse.xls", sparse),
            "too_many_rows",
        ),
        "xls: a harmless control": (control, "1"),
    }


def xls(path: Path, cells: dict[tuple[int, int], str]) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    book.save(str(path))
    return path


def hostile_ods(folder: Path) -> dict[str, tuple[Path, str]]:
    """Rows and cells repeated (finding 7): counted before calamine expands them."""
    five_million = repeated_ods(folder / "five-million.ods", rows=5_000_000, columns=1)
    wide = repeated_ods(folder / "wide.ods", rows=1_000_000, columns=1000)
    # As LibreOffice saves a sheet: empty rows and cells repeated to the sheet's edge.
    edges = repeated_ods(folder / "edges.ods", rows=1, columns=1, empty_rows=1_048_000)
    assert five_million.stat().st_size < 5000
    return {
        "ods: one row repeated 5,000,000 times": (five_million, "too_many_rows"),
        "ods: 1,000 cells repeated over 1,000,000 rows": (wide, "too_many_rows"),
        "ods: empty rows and cells repeated to the edge": (edges, "1"),
    }


def repeated_ods(path: Path, *, rows: int, columns: int, empty_rows: int = 0) -> Path:
    document = OpenDocumentSpreadsheet()
    table = Table(name="S")
    header, people = TableRow(), TableRow(numberrowsrepeated=rows)
    header.addElement(ods_text("Email"))
    header.addElement(TableCell(numbercolumnsrepeated=1023))
    people.addElement(ods_text("a@x.org", numbercolumnsrepeated=columns))
    table.addElement(header)
    table.addElement(people)
    if empty_rows:
        empty = TableRow(numberrowsrepeated=empty_rows)
        empty.addElement(TableCell(numbercolumnsrepeated=1024))
        table.addElement(empty)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def ods_text(text: str, **repeat: int) -> TableCell:
    cell = TableCell(valuetype="string", **repeat)
    cell.addElement(P(text=text))
    return cell


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Every variant read in one process under the memory limit: (expected, what happened)."""
    files = hostile_files(tmp_path_factory.mktemp("hostile"))
    done = subprocess.run(
        [sys.executable, "-c", READ_UNDER_LIMIT.format(limit=MEMORY_LIMIT)]
        + [str(path) for path, _ in files.values()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    codes = json.loads(done.stdout)
    return {name: (code, str(codes[str(path)])) for name, (path, code) in files.items()}


@pytest.mark.parametrize(
    "variant",
    [
        "single quotes",
        "tab before r=",
        "spaces around =",
        "lower-case reference",
        "a prefix on every element",
        "cells without references",
        "huge dimension, tiny data",
        "a sheet in UTF-16",
        "another root element",
        "a renamed sheet part",
        "shared strings claiming 4 billion",
        "the first hostile file of the issue",
        "a harmless control",
        "ods: one row repeated 5,000,000 times",
        "ods: 1,000 cells repeated over 1,000,000 rows",
        "ods: empty rows and cells repeated to the edge",
        "xls: a billion rows declared",
        "xls: a cell at column 65,536",
        "xls: a value far below a short list",
        "xls: a harmless control",
    ],
)
def test_a_hostile_workbook_is_refused_before_it_is_parsed(
    outcomes: dict[str, tuple[str, str]], variant: str
) -> None:
    expected, happened = outcomes[variant]
    assert happened == expected


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_xls_check_of_a_damaged_file_refuses_or_passes_it_on(data: st.DataObject) -> None:
    # Whatever the damage, the check answers with a ReadError or leaves the file to
    # calamine's child: it never raises anything else, and never reads beyond the file.
    content = bytearray(DAMAGED_XLS_BASE)
    for _ in range(data.draw(st.integers(1, 12))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(512, len(content)))
    try:
        check_xls(io.BytesIO(bytes(content[:cut])), DEFAULT_LIMITS)
    except ReadError as error:
        assert error.code in {ReadErrorCode.TOO_MANY_ROWS, ReadErrorCode.TOO_MANY_COLUMNS}


def _xls_bytes() -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for row, value in enumerate(["Email", "a@x.org", "b@x.org"]):
        sheet.write(row, 0, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DAMAGED_XLS_BASE = _xls_bytes()
