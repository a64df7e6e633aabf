"""Files whose encoding is mixed or easy to mistake: no name is ever turned into mojibake (11.8)."""

import io

import pytest

from roster.importing.sources import read_file
from tests.importing.sources.samples import snapshot

HEADER = "First Name,Last Name,Email\n"


def names(data: bytes) -> list[tuple[str, str]]:
    [(_, _, _, rows)] = snapshot(read_file(io.BytesIO(data), file_name="s.csv"))
    return [(cells[0], cells[1]) for _, cells in rows]


def utf8_rows(count: int) -> bytes:
    return "".join(f"José{n},Müller,j{n}@x.org\n" for n in range(count)).encode()


def test_one_windows_row_after_a_thousand_utf8_rows() -> None:
    # Was: the whole file read as cp1252, 1,000 names like "JosÃ©0 MÃ¼ller".
    data = HEADER.encode() + utf8_rows(1000) + "Renée,Côté,r@x.org\r\n".encode("cp1252")
    got = names(data)
    assert got[0] == ("José0", "Müller") and got[999] == ("José999", "Müller")
    assert got[-1] == ("Renée", "Côté")
    assert not any("Ã" in first + last for first, last in got)


def test_windows_rows_first_then_utf8_rows() -> None:
    data = HEADER.encode("cp1252") + "Renée,Côté,r@x.org\n".encode("cp1252") + utf8_rows(3)
    assert names(data) == [
        ("Renée", "Côté"),
        ("José0", "Müller"),
        ("José1", "Müller"),
        ("José2", "Müller"),
    ]


def test_a_utf8_file_with_a_bom_and_one_windows_row() -> None:
    data = b"\xef\xbb\xbf" + HEADER.encode() + utf8_rows(2) + "Zoë,Ng,z@x.org\n".encode("cp1252")
    [(_, header, _, _)] = snapshot(read_file(io.BytesIO(data), file_name="s.csv"))
    assert header == ("First Name", "Last Name", "Email")
    assert names(data) == [("José0", "Müller"), ("José1", "Müller"), ("Zoë", "Ng")]


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [
        # Only typographic apostrophes: cp1252's 0x92 is í in Mac Roman ("OíBrien").
        ("cp1252", [("Seán", "O’Brien"), ("Ann", "D’Arcy")]),
        ("cp1252", [("Ann", "O’Neil"), ("Bo", "D’Souza")]),
        # Mac Roman's apostrophe 0xD5 is Õ in cp1252, its ñ 0x96 a dash.
        ("mac_roman", [("Ann", "O’Neil"), ("Ana", "Peña")]),
        ("mac_roman", [("Renée", "Lefèvre")]),
        ("cp1252", [("Jürgen", "Weiß"), ("Zoë", "Brontë")]),
    ],
)
def test_the_code_page_is_the_one_that_makes_names(
    encoding: str, rows: list[tuple[str, str]]
) -> None:
    text = HEADER + "".join(
        f"{first},{last},x{n}@x.org\r\n" for n, (first, last) in enumerate(rows)
    )
    assert names(text.encode(encoding)) == rows


def test_utf8_letters_whose_bytes_cp1252_leaves_undefined_do_not_make_mac_roman() -> None:
    # "Ł" is C5 81 in UTF-8; 0x81 alone would mean Mac Roman, but it is part of a UTF-8
    # letter. 20,000 Windows rows first, so the vote's sample is full before it comes.
    windows = "".join(f"Renée{n},Côté,r{n}@x.org\n" for n in range(20_000)).encode("cp1252")
    data = HEADER.encode() + windows + "Łukasz,Żółć,l@x.org\n".encode()
    got = names(data)
    assert got[0] == ("Renée0", "Côté") and got[-1] == ("Łukasz", "Żółć")
