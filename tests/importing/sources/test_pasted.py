"""Text pasted into the import page: typed with commas, or copied from a spreadsheet (tabs)."""

from roster.importing.sources import read_text
from tests.importing.sources.samples import snapshot


def test_typed_comma_separated_text() -> None:
    result = read_text("First Name, Last Name, Email\nAnn, Lee, ann@x.org\n")
    assert result.file is None
    assert snapshot(result) == [
        ("", ("First Name", "Last Name", "Email"), 1, [(2, ("Ann", " Lee", " ann@x.org"))])
    ]


def test_cells_copied_from_a_spreadsheet_are_tab_separated() -> None:
    # Excel and Google Sheets copy with tabs and CRLF, and quote cells holding line breaks.
    pasted = 'Name\tEmail\tNotes\r\nLee, Ann\tann@x.org\t"two\nlines"\r\nNg, Bo\tbo@x.org\t\r\n'
    assert snapshot(read_text(pasted)) == [
        (
            "",
            ("Name", "Email", "Notes"),
            1,
            [(2, ("Lee, Ann", "ann@x.org", "two\nlines")), (3, ("Ng, Bo", "bo@x.org", ""))],
        )
    ]


def test_a_paste_with_blank_lines_and_a_bom() -> None:
    pasted = "\ufeffEmail\tName\n\n  \nann@x.org\tAnn\n\n"
    assert snapshot(read_text(pasted)) == [("", ("Email", "Name"), 1, [(4, ("ann@x.org", "Ann"))])]


def test_a_single_column_paste() -> None:
    assert snapshot(read_text("Email\nann@x.org\nbo@x.org")) == [
        ("", ("Email",), 1, [(2, ("ann@x.org",)), (3, ("bo@x.org",))])
    ]
