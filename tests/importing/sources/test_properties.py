"""Properties: any bytes give tables or a ReadError, and what csv writes reads back unchanged."""

import csv
import io
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roster.importing.sources import ReadError, read_file, read_text
from tests.importing.sources.samples import snapshot, write_xlsx

PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"Email,Name\r\n",
    b"Email\tName\n",
]


def read_or_refuse(read: object) -> None:
    try:
        snapshot(read())  # type: ignore[operator]
    except ReadError as error:
        assert error.message and error.code


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000))
def test_any_bytes_give_tables_or_a_read_error(prefix: bytes, body: bytes) -> None:
    read_or_refuse(lambda: read_file(io.BytesIO(prefix + body), file_name="x.csv"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=500))
def test_any_text_gives_tables_or_a_read_error(text: str) -> None:
    read_or_refuse(lambda: read_text(text))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_damaged_workbooks_give_tables_or_a_read_error(tmp_path: Path, data: st.DataObject) -> None:
    original = tmp_path / "p.xlsx"
    if not original.exists():
        write_xlsx(original, {"S": [("A1", "Email"), ("B1", "Name"), ("A2", "a@x.org")]})
    content = bytearray(original.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(content)))
    read_or_refuse(lambda: read_file(io.BytesIO(bytes(content[:cut]))))


CELL = st.text(
    alphabet=st.sampled_from('abcXYZ 019@.-é"\n,;\t|:^~'), min_size=1, max_size=12
).filter(lambda cell: cell.strip() != "")


@settings(max_examples=200, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t", "|", ":", "^", "~"]),
    width=st.integers(2, 5),
    data=st.data(),
)
def test_what_csv_writes_reads_back(delimiter: str, width: int, data: st.DataObject) -> None:
    header = [f"Column {n}" for n in range(width)]
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    result = read_file(io.BytesIO(buffer.getvalue().encode("utf-8")), file_name="p.csv")
    assert snapshot(result) == [
        (
            "p",
            tuple(header),
            1,
            [
                # The header is record 1; a line break inside a cell does not start a record.
                (number, tuple(unicodedata.normalize("NFC", cell) for cell in row))
                for number, row in enumerate(rows, 2)
            ],
        )
    ]


TEXT_CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda cell: cell.strip() != "" and not cell.startswith(("=", "{")))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(
            st.one_of(TEXT_CELL, st.integers(-(10**15) + 1, 10**15 - 1)), min_size=3, max_size=3
        ),
        min_size=1,
        max_size=20,
    )
)
def test_what_xlsxwriter_writes_reads_back(tmp_path: Path, rows: list[list[str | int]]) -> None:
    cells: list[tuple[str, str | int]] = [("A1", "First Name"), ("B1", "Email"), ("C1", "Phone")]
    for number, row in enumerate(rows, 2):
        cells += [(f"{column}{number}", value) for column, value in zip("ABC", row, strict=True)]
    path = write_xlsx(tmp_path / "round.xlsx", {"S": cells})
    [(_, header, _, got)] = snapshot(read_file(path))
    assert header == ("First Name", "Email", "Phone")
    assert got == [
        (number, tuple(unicodedata.normalize("NFC", str(value)) for value in row))
        for number, row in enumerate(rows, 2)
    ]
