"""Zips of files given together (sources/zipped.py): members read as files, hostile
archives refused with one sentence, before anything large is inflated."""

import io
import zipfile
from pathlib import Path

import pytest

from roster.importing.sources import Limits, ReadError, ReadErrorCode, read_given
from tests.importing.sources.samples import snapshot, write_xlsx

USERS = b"First Name,Last Name,Email\nAna,Ruiz,ana@example.com\n"


def make_zip(members: dict[str, bytes], *, encrypted: bool = False) -> io.BytesIO:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    if encrypted:  # zipfile cannot encrypt: mark every member as a password-protected one is
        raw = bytearray(data.getvalue())
        for magic, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = raw.find(magic)
            while at != -1:
                raw[at + offset] |= 0x1
                at = raw.find(magic, at + 4)
        data = io.BytesIO(bytes(raw))
    data.seek(0)
    return data


def refused(data: io.BytesIO, limits: Limits | None = None) -> ReadError:
    with pytest.raises(ReadError) as caught:
        given = read_given(data, file_name="export.zip", limits=limits or Limits())
        for result in given.results:
            snapshot(result)
    error = caught.value
    assert error.message.endswith(".") and "\n" not in error.message
    return error


def test_members_are_read_as_files_and_hidden_ones_are_a_note(tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "teachers.xlsx", {"Teachers": [("A1", "Email"), ("A2", "t@x.org")]}
    )
    data = make_zip(
        {
            "export/": b"",
            "export/students.csv": USERS,
            "export/teachers.xlsx": book.read_bytes(),
            "__MACOSX/export/._students.csv": b"\0\5\26\7",
            "export/.DS_Store": b"Bud1",
        }
    )
    given = read_given(data, file_name="export.zip")
    assert [result.file for result in given.results] == ["students.csv", "teachers.xlsx"]
    assert snapshot(given.results[0])[0][3] == [(2, ("Ana", "Ruiz", "ana@example.com"))]
    assert snapshot(given.results[1])[0][0] == "Teachers"  # parsed in its child process
    assert given.notes == [
        "2 hidden or system file(s) in export.zip were left out"
        " (__MACOSX/export/._students.csv, export/.DS_Store)."
    ]


def test_a_workbook_is_not_taken_for_a_zip_of_files(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "people.xlsx", {"Students": [("A1", "Email"), ("A2", "a@x.org")]})
    given = read_given(book)
    assert [result.file for result in given.results] == ["people.xlsx"]
    assert given.notes == []


def test_a_zip_bomb_is_refused_from_its_directory() -> None:
    error = refused(make_zip({"users.csv": USERS + b" " * (50 * 1024 * 1024)}))
    assert error.code == ReadErrorCode.UNSAFE
    assert error.message == (
        "export.zip holds far more data than its files can hold when unpacked (a zip bomb);"
        " it was refused as unsafe."
    )


def test_members_beyond_the_unpacking_budget_are_refused() -> None:
    """Each member within the upload limit, all of them together beyond the budget."""
    members = {f"part{n}.csv": USERS + b"x" * 400_000 for n in range(3)}
    limits = Limits(max_bytes=500_000, max_unpacked_bytes=1_000_000)
    assert refused(make_zip(members), limits).code == ReadErrorCode.UNSAFE
    one = refused(make_zip({"big.csv": USERS + b"x" * 600_000}), limits)
    assert (one.code, one.message) == (
        ReadErrorCode.TOO_LARGE,
        "big.csv (in export.zip): The file is larger than 0 MB; split it into smaller files.",
    )


@pytest.mark.parametrize("name", ["../users.csv", "/etc/users.csv", "a/../../users.csv"])
def test_a_name_reaching_outside_the_archive_is_refused(name: str) -> None:
    error = refused(make_zip({"students.csv": USERS, name: USERS}))
    assert (error.code, error.message) == (
        ReadErrorCode.UNSAFE,
        f"export.zip holds a file whose name points outside it ({name}); it was refused as unsafe.",
    )


def test_a_zip_inside_a_zip_is_refused() -> None:
    inner = make_zip({"users.csv": USERS}).getvalue()
    for name in ("inner.zip", "inner.dat"):
        error = refused(make_zip({"students.csv": USERS, name: inner}))
        assert (error.code, error.message) == (
            ReadErrorCode.UNSUPPORTED,
            f"export.zip holds another zip archive ({name}); unzip it and upload the files inside.",
        )


def test_a_password_protected_member_is_refused() -> None:
    error = refused(make_zip({"users.csv": USERS}, encrypted=True))
    assert (error.code, error.message) == (
        ReadErrorCode.ENCRYPTED,
        "users.csv in export.zip is protected with a password; zip the files again without one.",
    )


def test_ten_thousand_members_are_refused_unread() -> None:
    error = refused(make_zip({f"f{n}.csv": b"" for n in range(10_000)}))
    assert (error.code, error.message) == (
        ReadErrorCode.TOO_MANY_FILES,
        "export.zip holds 10,000 entries, more than the 200 an export holds; it was refused.",
    )


def test_two_members_of_one_name_and_an_empty_zip() -> None:
    error = refused(make_zip({"a/users.csv": USERS, "b/users.csv": USERS}))
    assert error.message == "export.zip holds two files named users.csv; zip one export at a time."
    assert refused(make_zip({"x/": b"", ".hidden": b"1"})).code == ReadErrorCode.EMPTY


def test_an_unreadable_member_is_named() -> None:
    error = refused(make_zip({"users.csv": USERS, "notes.csv": b"First Name\n"}))
    assert error.message == (
        "notes.csv (in export.zip): The file has a header row but no rows of people below it."
    )
