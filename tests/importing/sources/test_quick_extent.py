"""The quick .xlsx extent check against its reference, the exact one (issue 15).

check_xlsx_sheet measures a worksheet with regular expressions first and leaves the
verdict to check_xlsx_sheet_exactly whenever its wider bounds fail or the part is unusual.
Whatever the sheet, the two must refuse the same sheets with the same sentence, and pass
the same sheets.
"""

import io
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roster.importing.sources import DEFAULT_LIMITS, Limits, ReadError, xlsx_extent
from roster.importing.sources.xlsx_extent import check_xlsx_sheet, check_xlsx_sheet_exactly

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SMALL = Limits(max_rows=40, max_columns=12, max_cells=300)
# References near and beyond SMALL's edges, and a few far ones.
REFERENCES = ["A1", "B2", "C3", "L9", "M9", "A41", "A42", "K40", "Z5", "a7", "XFD1048576"]
REFERENCES += ["A1048576", "AAA3", "B0", "7", "A01", "AB12345678"]


def _verdict(check: Callable[[], None]) -> str:
    try:
        check()
    except ReadError as error:
        return f"{error.code.value}: {error.message}"
    return "read"


def _both(data: bytes, limits: Limits) -> tuple[str, str]:
    def open_member() -> BinaryIO:
        return io.BytesIO(data)

    quick = _verdict(lambda: check_xlsx_sheet(open_member, limits))
    exact = _verdict(lambda: check_xlsx_sheet_exactly(open_member(), limits))
    return quick, exact


USUAL_STARTS = ['<c r="{0}"', '<c r="{0}" s="1"', '<c r="{0}" t="s"']
ODD_STARTS = [
    '<c s="1" r="{0}"',
    "<c r='{0}'",
    '<c\tr="{0}"',
    "<c",
    '<c t="s"',
    '<x:c xmlns:x="' + MAIN + '" r="{0}"',
]
USUAL_BODIES = [
    "/>",
    "></c>",
    "><v>1</v></c>",
    "><f>A1</f><v>2</v></c>",
    '><f t="shared" si="0"/></c>',
    ' t="inlineStr"><is><t>x</t></is></c>',
]
ODD_BODIES = ["> <v>1</v></c>", "><!-- c --><v>1</v></c>", "><v><![CDATA[1]]></v></c>"]


@st.composite
def cells(draw: st.DrawFn, odd: bool) -> str:
    reference = draw(st.sampled_from(REFERENCES))
    start = draw(st.sampled_from(USUAL_STARTS + ODD_STARTS if odd else USUAL_STARTS))
    body = draw(st.sampled_from(USUAL_BODIES + ODD_BODIES if odd else USUAL_BODIES))
    if start.startswith("<x:c"):
        body = body.replace("</c>", "</x:c>")
    return start.format(reference) + body


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    """Mostly sheets the quick way reads; now and then one odd cell or heading among them."""
    rows = []
    for number in range(1, draw(st.integers(0, 6)) + 1):
        attribute = draw(st.sampled_from([f' r="{number}"', "", ' r="50"', ' spans="1:3"']))
        row = draw(st.lists(cells(odd=False), max_size=5))
        if draw(st.integers(0, 9)) == 0:
            row.insert(draw(st.integers(0, len(row))), draw(cells(odd=True)))
        rows.append(f"<row{attribute}>{''.join(row)}</row>")
    head = draw(
        st.sampled_from(
            [
                "",
                '<dimension ref="A1:C3"/>',
                '<dimension ref="A1:XFD1048576"/>',
                '<dimension ref="A1:L40"/>',
                "<dimension ref='A1:Z99'/>",
                '<dimension ref="A1"/>',
            ]
        )
    )
    declaration = draw(
        st.sampled_from(
            ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'] * 4
            + ["", '<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0"?><?pi x?>']
        )
    )
    text = (
        f'{declaration}<worksheet xmlns="{MAIN}">{head}'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    if declaration == "" and draw(st.booleans()):
        return text.encode("utf-16")  # with its byte-order mark, as Excel never writes
    return text.encode("utf-8")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=sheets(), limits=st.sampled_from([SMALL, DEFAULT_LIMITS]))
def test_the_quick_check_gives_the_exact_verdict(data: bytes, limits: Limits) -> None:
    quick, exact = _both(data, limits)
    assert quick == exact
    if not quick.startswith("corrupt"):
        scan = xlsx_extent._Quick()
        scan.scan(io.BytesIO(data))
        event("read the quick way" if scan.usual() else "left to the exact way")


@settings(max_examples=300, deadline=None)
@given(data=sheets(), cut=st.integers(0, 400), junk=st.binary(max_size=8))
def test_a_damaged_part_gets_the_exact_verdict(data: bytes, cut: int, junk: bytes) -> None:
    quick, exact = _both(data[: len(data) - cut] + junk, SMALL)
    assert quick == exact


def _sheet(rows: int, columns: int = 7) -> bytes:
    letters = "ABCDEFGHIJKL"[:columns]
    body = "".join(
        f'<row r="{row}">'
        + "".join(f'<c r="{letter}{row}" t="inlineStr"><is><t>v</t></is></c>' for letter in letters)
        + "</row>"
        for row in range(1, rows + 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="A1:{letters[-1]}{rows}"/><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def test_a_usual_sheet_is_decided_the_quick_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # Across chunk boundaries too: 3 MB of rows, read 1 MB at a time.
    def no_exact(*_: object) -> None:
        raise AssertionError("the exact way was used")

    monkeypatch.setattr(xlsx_extent, "check_xlsx_sheet_exactly", no_exact)
    data = _sheet(20_000)
    assert len(data) > 3 * 1024 * 1024
    check_xlsx_sheet(lambda: io.BytesIO(data), DEFAULT_LIMITS)


def test_a_far_cell_across_a_chunk_boundary_is_refused() -> None:
    # The far cell's tag straddles the first 1 MB boundary; its value follows it.
    data = _sheet(6_000)
    cut = 1024 * 1024 - 5
    at = data.rfind(b"<c ", 0, cut)
    far = b'<c r="XFD9"><v>1</v></c>'
    data = data[:at] + far + data[at:]
    assert data.find(far) < 1024 * 1024 < data.find(far) + len(far)
    quick, exact = _both(data, DEFAULT_LIMITS)
    assert quick == exact
    assert quick.startswith("too_many_columns")


def test_the_benchmark_workbook_is_read_the_same_both_ways(tmp_path: Path) -> None:
    # A workbook as XlsxWriter writes it (shared strings, styles), member by member.
    import xlsxwriter  # type: ignore[import-untyped]

    path = tmp_path / "people.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Students")
    for row in range(3000):
        sheet.write_row(row, 0, [f"First {row}", "Last", f"s{row}@x.org", "", 4155550000 + row])
    book.close()
    with zipfile.ZipFile(path) as archive:
        name = "xl/worksheets/sheet1.xml"
        check_xlsx_sheet(partial(archive.open, name), DEFAULT_LIMITS)
        quick = xlsx_extent._Quick()
        with archive.open(name) as member:
            quick.scan(member)
        assert quick.usual()
        assert (quick.cells().last_row, quick.cells().last_column) == (2999, 4)


def _with_far_cell(
    cell: str, *, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>'
) -> bytes:
    usual = '<c r="A1"><v>1</v></c><c r="B2" t="inlineStr"><is><t>x</t></is></c>'
    return (
        f'{declaration}<worksheet xmlns="{MAIN}"><sheetData>'
        f'<row r="1">{usual}{cell}</row></sheetData></worksheet>'
    ).encode()


@pytest.mark.parametrize("start", ODD_STARTS + USUAL_STARTS)
@pytest.mark.parametrize("body", ODD_BODIES + USUAL_BODIES)
def test_each_kind_of_cell_far_away_gets_the_exact_verdict(start: str, body: str) -> None:
    if start.startswith("<x:c"):
        body = body.replace("</c>", "</x:c>")
    data = _with_far_cell(start.format("XFD1048576") + body)
    quick, exact = _both(data, SMALL)
    assert quick == exact


@pytest.mark.parametrize(
    "declaration",
    ["", '<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0"?><?pi x?>'],
)
def test_each_kind_of_heading_gets_the_exact_verdict(declaration: str) -> None:
    far = '<c r="XFD1048576"><v>1</v></c>'
    in_utf_16 = _with_far_cell(far, declaration=declaration).decode().encode("utf-16")
    quick, exact = _both(in_utf_16, SMALL)
    assert quick == exact
    for data in (
        _with_far_cell(far, declaration=declaration),
        _with_far_cell(far + "<!-- a note -->", declaration=declaration),
    ):
        quick, exact = _both(data, SMALL)
        assert quick == exact
        assert quick.startswith("too_many_columns")


def test_empty_styled_cells_far_away_do_not_refuse_a_sheet() -> None:
    # The quick bounds take in empty styled cells, which calamine leaves out: 120,000 rows
    # of them across ten columns fail the quick way, and the exact way reads the sheet.
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" s="1"/><c r="J{n}" s="1"/></row>' for n in range(1, 120_001)
    )
    data = _with_far_cell('<c r="C3"><v>1</v></c>').replace(
        b"</sheetData>", rows.encode() + b"</sheetData>"
    )
    assert _both(data, DEFAULT_LIMITS) == ("read", "read")


def _sparse(extra: str = "") -> bytes:
    """11,000 values in column A and one at J120000: 1.2 M cells for 11,001 values, sparse."""
    values = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 11_001))
    far = '<row r="120000"><c r="J120000"><v>1</v></c></row>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        f"{values}{far}</sheetData>{extra}</worksheet>"
    ).encode()


FAKE_CELLS = '<c r="B1"><v>1</v></c>' * 2000


@pytest.mark.parametrize(
    "extra",
    [
        "",
        f"<!-- {FAKE_CELLS} -->",
        f"<?note {FAKE_CELLS}?>",
        f'<extLst><ext><t xmlns="urn:x"><![CDATA[{FAKE_CELLS}]]></t></ext></extLst>',
    ],
    ids=["plain", "comment", "processing instruction", "cdata"],
)
def test_a_sparse_sheet_is_refused_both_ways_whatever_text_looks_like_cells(extra: str) -> None:
    # Cells the exact way never sees (inside a comment, an instruction or CDATA) must not
    # count as values the quick way, or they would hide the sheet's emptiness.
    quick, exact = _both(_sparse(extra), DEFAULT_LIMITS)
    assert quick == exact
    assert quick.startswith("too_many_rows")


def _rows_then_far_cell(rows: int) -> bytes:
    """`rows` rows of 7 cells with values, then one cell with a value in row 200,000."""
    far = b'<row r="200000"><c r="A200000"><v>1</v></c></row></sheetData>'
    return _sheet(rows).replace(b"</sheetData>", far)


def test_cells_with_values_are_counted_only_until_no_sheet_could_be_sparse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A rectangle of 200,000 x 7 = 1,400,000 cells is sparse below 14,000 cells with a
    # value; within these limits no rectangle is once 20,000 are counted.
    limits = Limits(max_cells=2_000_000)
    assert xlsx_extent.enough_values(limits) == 20_000
    sparse, dense = _rows_then_far_cell(1_000), _rows_then_far_cell(20_000)
    quick, exact = _both(sparse, limits)
    assert quick == exact
    assert quick.startswith("too_many_rows")
    assert _both(dense, limits) == ("read", "read")
    chunks: list[int] = []
    valued = xlsx_extent.VALUED_CELL

    class Counting:
        def findall(self, data: bytes) -> list[bytes]:
            chunks.append(len(data))
            return valued.findall(data)

    def no_exact(*_: object) -> None:
        raise AssertionError("the exact way was used")

    monkeypatch.setattr(xlsx_extent, "check_xlsx_sheet_exactly", no_exact)
    monkeypatch.setattr(xlsx_extent, "VALUED_CELL", Counting())
    check_xlsx_sheet(lambda: io.BytesIO(dense), limits)
    assert len(dense) > 3 * 1024 * 1024
    assert len(chunks) == 1  # 1 MB holds ~42,000 cells with a value: enough
