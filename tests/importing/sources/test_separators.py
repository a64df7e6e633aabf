"""Which character separates the columns (issue 10.7): the usual four, and colon, caret, tilde."""

import io

import pytest

from roster.importing.sources import ReadError, ReadErrorCode, read_file, read_text
from tests.importing.sources.samples import snapshot


def table(text: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The header and rows, the same whether the text is a file or pasted."""
    [(_, header, _, rows)] = snapshot(read_file(io.BytesIO(text.encode()), file_name="p.txt"))
    [(_, pasted_header, _, pasted_rows)] = snapshot(read_text(text))
    assert (pasted_header, pasted_rows) == (header, rows)
    return header, [cells for _, cells in rows]


def refusal(text: str) -> ReadError:
    with pytest.raises(ReadError) as caught:
        snapshot(read_file(io.BytesIO(text.encode()), file_name="p.txt"))
    with pytest.raises(ReadError) as pasted:
        snapshot(read_text(text))
    assert (caught.value.code, caught.value.message) == (pasted.value.code, pasted.value.message)
    return caught.value


@pytest.mark.parametrize("delimiter", [":", "^", "~"])
def test_colon_caret_and_tilde_files_are_read_as_columns(delimiter: str) -> None:
    text = f"First Name{delimiter}Last Name{delimiter}Email\nAnn{delimiter}Lee{delimiter}a@x.org\n"
    assert table(text) == (("First Name", "Last Name", "Email"), [("Ann", "Lee", "a@x.org")])


def test_a_colon_file_whose_names_hold_commas() -> None:
    text = "Name:Email\nLee, Ann:ann@x.org\nNg, Bo:bo@x.org\nWu, Cy:cy@x.org\n"
    assert table(text) == (
        ("Name", "Email"),
        [("Lee, Ann", "ann@x.org"), ("Ng, Bo", "bo@x.org"), ("Wu, Cy", "cy@x.org")],
    )


def test_a_colon_file_with_times_and_links_in_quotes() -> None:
    text = 'Name:Start:Site\nAnn:"09:30":"https://x.org"\nBo:"10:15":"http://y.org/a:b"\n'
    assert table(text) == (
        ("Name", "Start", "Site"),
        [("Ann", "09:30", "https://x.org"), ("Bo", "10:15", "http://y.org/a:b")],
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_times_and_links_in_every_row_do_not_make_a_colon_file(delimiter: str) -> None:
    rows = [["Name", "Website", "Start"], ["Ann", "https://x.org", "09:30"]]
    rows += [["Bo", "http://y.org", "10:15"], ["Cy", "https://z.org:8443/a", "11:00:30"]]
    text = "".join(delimiter.join(row) + "\n" for row in rows)
    assert table(text) == (tuple(rows[0]), [tuple(row) for row in rows[1:]])


def test_a_comma_file_with_a_title_line_holding_a_colon() -> None:
    text = "version:v1.0\nEmail,First Name\na@x.org,Ann\nb@x.org,Bo\n"
    assert table(text) == (("Email", "First Name"), [("a@x.org", "Ann"), ("b@x.org", "Bo")])


def test_a_one_column_file_is_still_one_column() -> None:
    assert table("Email\na@x.org\nb@x.org\n") == (("Email",), [("a@x.org",), ("b@x.org",)])


def test_ragged_rows_under_a_header_are_a_table() -> None:
    text = "Email,First Name,Last Name\na@x.org\nb@x.org,Bo\nc@x.org\nd@x.org\n"
    header, rows = table(text)
    assert header == ("Email", "First Name", "Last Name") and len(rows) == 4


def test_no_delimiter_splitting_the_rows_consistently_is_said_in_one_sentence() -> None:
    # A one-column list whose names hold commas here and there: neither one column nor a table.
    error = refusal("Students\nLee, Ann\nBo\nCy\nNg, Di\nEd\n")
    assert error.code == ReadErrorCode.UNCLEAR_DELIMITER
    assert error.message.startswith("No separator (comma, tab, semicolon, pipe, colon, caret")


def test_a_separator_roster_does_not_read_is_named() -> None:
    error = refusal("First Name/Last Name/Email\nAnn/Lee/a@x.org\nBo/Ng/b@x.org\n")
    assert error.code == ReadErrorCode.UNCLEAR_DELIMITER
    assert error.message.startswith('The columns seem to be separated by "/"')


def test_title_lines_above_a_small_table_are_not_an_unclear_delimiter() -> None:
    text = "Northside Tutoring\nStudents 2026\nExported by the office\nEmail,Name\na@x.org,Ann\n"
    assert table(text) == (("Email", "Name"), [("a@x.org", "Ann")])


def test_a_header_with_rows_missing_their_last_cells_is_a_table() -> None:
    text = "Email,Name\na@x.org\nb@x.org\nc@x.org\nd@x.org,Di\n"
    assert table(text)[0] == ("Email", "Name")
