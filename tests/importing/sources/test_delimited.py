"""CSV, TSV and .txt files as admins' tools write them: encodings, delimiters, quirks."""

import io
from pathlib import Path

import pytest

from roster.importing.sources import Limits, ReadErrorCode, read_file
from roster.importing.sources.table import ReadError
from tests.importing.sources.samples import Snapshot, snapshot

PEOPLE = "First Name,Last Name,Email\nZoë,Ångström,zoe@example.org\nJosé,Müller,jose@example.org\n"
EXPECTED = [
    (
        "people",
        ("First Name", "Last Name", "Email"),
        1,
        [
            (2, ("Zoë", "Ångström", "zoe@example.org")),
            (3, ("José", "Müller", "jose@example.org")),
        ],
    )
]


def read_bytes(tmp_path: Path, data: bytes, name: str = "people.csv") -> Snapshot:
    path = tmp_path / name
    path.write_bytes(data)
    return snapshot(read_file(path))


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\r\n"),  # Excel "CSV UTF-8": the BOM must not stick to "First Name"
        ("utf-16", "\r\n"),  # Excel "Unicode Text" writes UTF-16 LE with a BOM
        ("utf-16-be-bom", "\r\n"),
        ("cp1252", "\r\n"),  # Excel "CSV" on Windows
        ("mac_roman", "\r"),  # Excel for Mac "CSV": Mac Roman, and old Macs end lines with CR
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, newline: str) -> None:
    text = PEOPLE.replace("\n", newline)
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    assert read_bytes(tmp_path, data) == EXPECTED


def test_utf16_without_bom_is_detected(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, PEOPLE.encode("utf-16-le")) == EXPECTED


def test_one_cp1252_letter_far_down_the_file_decides_the_whole_file(tmp_path: Path) -> None:
    rows = "".join(f"Ann,Lee{n},a{n}@example.org\n" for n in range(50_000))
    data = ("First Name,Last Name,Email\n" + rows + "Renée,Côté,r@example.org\n").encode("cp1252")
    [(_, _, _, got)] = read_bytes(tmp_path, data)
    assert got[-1] == (50_002, ("Renée", "Côté", "r@example.org"))


def test_text_is_nfc_normalised(tmp_path: Path) -> None:
    decomposed = "First Name,Email\nZoe\u0308,zoe@example.org\n"
    [(_, _, _, rows)] = read_bytes(tmp_path, decomposed.encode())
    assert rows == [(2, ("Zo\u00eb", "zoe@example.org"))]


@pytest.mark.parametrize(
    ("delimiter", "row"),
    [
        (";", 'Müller, Anna;"a;b"@x.org;+49 30 1234,5'),  # decimal-comma locales
        ("\t", "Müller, Anna\ta;b@x.org\t+49 30 1234,5"),
        ("|", "Müller, Anna|a;b@x.org|+49 30 1234,5"),
        (",", '"Müller, Anna",a;b@x.org,"+49 30 1234,5"'),
    ],
)
def test_delimiters_are_detected_when_cells_hold_the_others(
    tmp_path: Path, delimiter: str, row: str
) -> None:
    header = delimiter.join(["Name", "Email", "Phone"])
    data = "\n".join([header, row, row, ""]).encode()
    expected_row = ("Müller, Anna", "a;b@x.org", "+49 30 1234,5")
    assert read_bytes(tmp_path, data, "people.txt") == [
        ("people", ("Name", "Email", "Phone"), 1, [(2, expected_row), (3, expected_row)])
    ]


def test_quoted_fields_and_record_numbers(tmp_path: Path) -> None:
    data = (
        b"First Name,Last Name,Notes\r\n"
        b'Ann,"O""Brien","line one\r\nline two, with comma"\r\n'
        b"Bob,Lee,plain\r\n"
    )
    assert read_bytes(tmp_path, data) == [
        (
            "people",
            ("First Name", "Last Name", "Notes"),
            1,
            [
                (2, ("Ann", 'O"Brien', "line one\r\nline two, with comma")),
                (3, ("Bob", "Lee", "plain")),  # the third record, though the fourth line
            ],
        )
    ]


def test_lines_above_the_header_and_blank_rows_count_but_are_not_rows(tmp_path: Path) -> None:
    data = (
        b"version:v1.0\n"
        b"\n"
        b"Email,First Name,Last Name,,\n"  # trailing empty columns on every row
        b"a@example.org,Ann,Lee,,\n"
        b",,,,\n"  # only delimiters
        b"   \n"  # only whitespace
        b"b@example.org,Bob\n"  # a short row
        b"c@example.org,Cy,Ng,\n"  # a trailing delimiter
        b"\n\n,,,\n"  # trailing empty rows
        b"d@example.org,Di,Fo"  # no final newline
    )
    assert read_bytes(tmp_path, data) == [
        (
            "people",
            ("Email", "First Name", "Last Name"),
            3,
            [
                (4, ("a@example.org", "Ann", "Lee")),
                (7, ("b@example.org", "Bob", "")),
                (8, ("c@example.org", "Cy", "Ng")),
                (12, ("d@example.org", "Di", "Fo")),
            ],
        )
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_ending(tmp_path: Path, newline: str) -> None:
    data = newline.join(["Email,Name", "a@x.org,Ann", "", "b@x.org,Bob", ""]).encode()
    assert read_bytes(tmp_path, data) == [
        ("people", ("Email", "Name"), 1, [(2, ("a@x.org", "Ann")), (4, ("b@x.org", "Bob"))])
    ]


def test_cells_keep_their_text_beyond_the_header(tmp_path: Path) -> None:
    data = b"Email,Name\na@x.org,Ann,extra\n"
    assert read_bytes(tmp_path, data) == [
        ("people", ("Email", "Name"), 1, [(2, ("a@x.org", "Ann", "extra"))])
    ]


def test_a_cell_over_the_safety_cap_is_refused_with_its_row(tmp_path: Path) -> None:
    data = ('Email,Notes\na@x.org,ok\nb@x.org,"' + "x" * 300_000 + '"\n').encode()
    with pytest.raises(ReadError) as caught:
        # Refused while reading the file or while its rows stream, whichever comes first.
        limits = Limits(max_cell_chars=100_000)
        snapshot(read_file(io.BytesIO(data), file_name="people.csv", limits=limits))
    assert caught.value.code == ReadErrorCode.CELL_TOO_LONG
    assert "Row 3 " in caught.value.message


def test_a_huge_field_within_the_limit_is_read(tmp_path: Path) -> None:
    data = ('Email,Notes\nb@x.org,"' + "x\n" * 150_000 + '"\nc@x.org,ok\n').encode()
    result = read_file(io.BytesIO(data), limits=Limits(max_cell_chars=400_000))
    rows = list(result.tables[0].rows)
    assert [(row.number, len(row.cells[1])) for row in rows] == [(2, 300_000), (3, 2)]


def test_a_file_object_is_read_and_left_open() -> None:
    stream = io.BytesIO(b"Email,Name\na@x.org,Ann\n")
    result = read_file(stream, file_name="Roster Export.csv")
    assert snapshot(result) == [("Roster Export", ("Email", "Name"), 1, [(2, ("a@x.org", "Ann"))])]
    assert result.file == "Roster Export.csv"
    assert not stream.closed


def test_excel_unicode_text_is_utf16_and_tab_separated(tmp_path: Path) -> None:
    data = PEOPLE.replace(",", "\t").replace("\n", "\r\n").encode("utf-16")
    assert read_bytes(tmp_path, data, "people.txt") == EXPECTED


def test_excels_separator_hint_line_decides_and_is_not_a_row(tmp_path: Path) -> None:
    data = b"sep=;\r\nName;Email\r\nLee, Ann;ann@x.org\r\n"
    assert read_bytes(tmp_path, data) == [
        ("people", ("Name", "Email"), 1, [(2, ("Lee, Ann", "ann@x.org"))])
    ]


def test_whitespace_inside_cells_reaches_validation_unchanged(tmp_path: Path) -> None:
    # docs/reading-files.md, "Cell text": the readers trim nothing inside a row.
    data = 'Email,Name,Notes\n a@x.org ,Ann\u00a0Marie\u3000Lee,"tab\there\r\nnext line"\n'
    assert read_bytes(tmp_path, data.encode()) == [
        (
            "people",
            ("Email", "Name", "Notes"),
            1,
            [(2, (" a@x.org ", "Ann\u00a0Marie\u3000Lee", "tab\there\r\nnext line"))],
        )
    ]
