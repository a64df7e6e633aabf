"""Text or binary, decided on evidence that does not depend on the file's size (issue 10.4).

A NUL byte, or bytes that are not valid in the detected encoding, make a file binary;
other control characters are text, kept in the cells for validation to remove and flag.
"""

import io

import pytest

from roster.importing.sources import ReadError, ReadErrorCode, read_file, read_text
from tests.importing.sources.samples import snapshot

HEADER = "First Name,Last Name,Email\n"
ODD_ROWS = [
    ("Ann\x07", "\x1b[31mLee\x1b[0m", "ann@x.org"),
    ("Bo\x07", "Ng\x1b[31m", "bo@x.org"),
    ("Cy", "Fo\x1b[1m", "cy@x.org"),
]
PLAIN_ROWS = [(f"Dee{n}", f"Wu{n}", f"dee{n}@x.org") for n in range(497)]


def text(rows: list[tuple[str, str, str]]) -> str:
    return HEADER + "".join(",".join(row) + "\n" for row in rows)


def cells(result: object) -> list[tuple[str, ...]]:
    [(_, _, _, rows)] = snapshot(result)  # type: ignore[arg-type]
    return [cells for _, cells in rows]


@pytest.mark.parametrize("rows", [ODD_ROWS, ODD_ROWS + PLAIN_ROWS, PLAIN_ROWS + ODD_ROWS])
def test_control_characters_give_the_same_cells_in_a_small_file_a_big_one_and_a_paste(
    rows: list[tuple[str, str, str]],
) -> None:
    as_file = cells(read_file(io.BytesIO(text(rows).encode()), file_name="s.csv"))
    as_paste = cells(read_text(text(rows)))
    assert as_file == as_paste == rows  # kept as they were: validation removes and flags them


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_control_characters_are_text_in_every_encoding(encoding: str) -> None:
    data = text(ODD_ROWS).encode(encoding)
    assert cells(read_file(io.BytesIO(data), file_name="s.csv")) == ODD_ROWS


@pytest.mark.parametrize("where", [0, 1, 499])
def test_a_nul_byte_makes_a_file_binary_wherever_it_is(where: int) -> None:
    rows = [",".join(row) for row in ODD_ROWS + PLAIN_ROWS]
    rows[where] = rows[where].replace(",", "\0,", 1)
    with pytest.raises(ReadError) as caught:
        snapshot(read_file(io.BytesIO((HEADER + "\n".join(rows)).encode()), file_name="s.csv"))
    assert caught.value.code == ReadErrorCode.UNSUPPORTED
    assert "binary data, not text" in caught.value.message


def test_fifty_megabytes_of_nul_bytes_are_binary_data_not_a_long_cell() -> None:
    # Issue 11.10: this was called cell_too_long, as if it were one gigantic line of text.
    with pytest.raises(ReadError) as caught:
        read_file(io.BytesIO(bytes(50 * 1024 * 1024)), file_name="export.csv")
    assert caught.value.code == ReadErrorCode.UNSUPPORTED
    assert caught.value.message.startswith("The file holds binary data, not text")


def test_utf16_that_is_not_valid_utf16_is_not_text() -> None:
    data = "\ufeffEmail\r\na@x.org\r\n".encode("utf-16-le") + b"\x00\xd8A\x00"  # a lone surrogate
    with pytest.raises(ReadError) as caught:
        read_file(io.BytesIO(data), file_name="s.txt")
    assert caught.value.code == ReadErrorCode.UNSUPPORTED


def test_pasted_text_holding_a_nul_is_refused() -> None:
    with pytest.raises(ReadError) as caught:
        read_text(text(ODD_ROWS).replace("Cy", "C\0y"))
    assert caught.value.code == ReadErrorCode.UNSUPPORTED
    assert "pasted text" in caught.value.message
