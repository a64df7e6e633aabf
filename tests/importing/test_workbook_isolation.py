"""A workbook parser that dies costs one file, never the process serving everyone (issue 11).

calamine aborts its process when an allocation fails (SIGABRT cannot be caught), so it
runs in a child process (sources/isolated.py). Here the child is made to die: by
os.abort(), by SIGKILL, and for real, by a memory limit too small for a sheet that passes
the extent checks. Each door answers with a clear error and goes on serving.
"""

import gc
import html
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.accounts.models import Account
from roster.cli.main import main
from roster.importing.models import ImportJob
from roster.importing.sources import (
    Limits,
    ReadError,
    ReadErrorCode,
    Row,
    isolated,
    read_file,
)
from roster.importing.upload_limits import upload_limits
from roster.orgs.models import Organization
from tests.importing.sources import faults
from tests.importing.sources.samples import rewrite_zip, write_xlsx


def students_xlsx(folder: Path) -> Path:
    cells = [("A1", "First Name"), ("B1", "Last Name"), ("C1", "Email")]
    cells += [("A2", "Ann"), ("B2", "Lee"), ("C2", "ann@example.com")]
    return write_xlsx(folder / "students.xlsx", {"Students": cells})


def test_a_child_that_aborts_is_a_clear_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolated, "CHILD", faults.aborts)
    with pytest.raises(ReadError) as caught:
        read_file(students_xlsx(tmp_path))
    assert caught.value.code is ReadErrorCode.WORKBOOK_CRASHED
    assert caught.value.message.startswith("This workbook could not be read safely")


def test_a_child_killed_while_rows_are_read_is_a_clear_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolated, "CHILD", faults.killed_while_rows_are_read)
    [table] = read_file(students_xlsx(tmp_path)).tables
    with pytest.raises(ReadError) as caught:
        list(table.rows)
    assert caught.value.code is ReadErrorCode.WORKBOOK_CRASHED


def test_a_real_allocation_failure_ends_only_the_child(tmp_path: Path) -> None:
    # A shared-string count within the limits (calamine reserves ~450 MB for 19,000,000
    # strings before reading one) does not fit in 150 MB, so the Rust allocator aborts.
    base = students_xlsx(tmp_path)
    with zipfile.ZipFile(base) as archive:
        strings = archive.read("xl/sharedStrings.xml")
    many = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="19000000"', strings)
    path = rewrite_zip(base, tmp_path / "many.xlsx", {"xl/sharedStrings.xml": many})
    with pytest.raises(ReadError) as caught:
        read_file(path, limits=Limits(max_parse_bytes=150 * 1024 * 1024))
    assert caught.value.code is ReadErrorCode.WORKBOOK_CRASHED
    assert read_file(base).tables  # and the next file reads


def test_the_command_line_answers_with_the_code_and_goes_on(
    org: Organization,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(students_xlsx(tmp_path))
    monkeypatch.setattr(isolated, "CHILD", faults.aborts)
    assert main(["import", path, "--org", org.slug, "--role", "student", "--json"]) == 1
    error: dict[str, Any] = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["file"]) == ("workbook_crashed", "students.xlsx")
    monkeypatch.undo()
    assert main(["import", path, "--org", org.slug, "--role", "student", "--json"]) == 0
    assert Account.objects.in_org(org).filter(email="ann@example.com").exists()


def test_the_upload_page_answers_with_a_sentence_and_goes_on(
    admin_client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = students_xlsx(tmp_path).read_bytes()
    monkeypatch.setattr(isolated, "CHILD", faults.aborts)
    upload = SimpleUploadedFile("students.xlsx", data)
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_file": upload})
    assert response.status_code == 400
    assert "This workbook could not be read safely" in response.content.decode()
    assert ImportJob.objects.count() == 0
    monkeypatch.undo()
    upload = SimpleUploadedFile("students.xlsx", data)
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_file": upload})
    assert response.status_code == 302


def test_the_installation_sets_the_parsers_memory(settings: Any) -> None:
    settings.IMPORT_WORKBOOK_MEMORY_MB = 150
    assert upload_limits().max_parse_bytes == 150 * 1024 * 1024


# The extent checks run in a second child while the first parses (isolated._Checker).


def read_all(source: Any) -> list[list[tuple[str, ...]]]:
    return [[row.cells for row in table.rows] for table in read_file(source).tables]


def test_the_checks_refusal_is_the_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolated, "CHECKER", faults.refuses)
    with pytest.raises(ReadError) as caught:
        read_all(students_xlsx(tmp_path))
    assert caught.value.message == "Refused by the checks."


def _first_row_then_flag(source: Path | io.BytesIO, flag: Path) -> tuple[Row, Iterator[Row]]:
    """The first row of the file's only table, then the flag its checking child waits for
    (faults.py), and the table's other rows still to read."""
    [table] = read_file(source).tables
    rows = iter(table.rows)
    first = next(rows)
    flag.touch()
    return first, rows


def test_no_table_ends_before_the_checks_have_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parser has sent every row when the checks refuse: the table must not end well.
    path = students_xlsx(tmp_path)
    monkeypatch.setattr(isolated, "CHECKER", faults.refuses_late)
    first, rows = _first_row_then_flag(path, Path(f"{path}.read"))
    assert first.cells == ("Ann", "Lee", "ann@example.com")
    with pytest.raises(ReadError) as caught:
        list(rows)
    assert caught.value.message == "Refused by the checks."


def test_the_checks_refusal_wins_over_the_parsers_death(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolated, "CHILD", faults.aborts)
    monkeypatch.setattr(isolated, "CHECKER", faults.refuses_after_a_moment)
    with pytest.raises(ReadError) as caught:
        read_file(students_xlsx(tmp_path))
    assert caught.value.message == "Refused by the checks."


def test_rows_are_read_while_the_checks_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # These checks answer only once a row has been read: a parent that waited for them
    # before its first row would wait 20 s and then be refused.
    path = students_xlsx(tmp_path)
    monkeypatch.setattr(isolated, "CHECKER", faults.passes_once_a_row_is_read)
    first, rows = _first_row_then_flag(path, Path(f"{path}.read"))
    assert [first.cells, *(row.cells for row in rows)] == [("Ann", "Lee", "ann@example.com")]


def test_checks_that_die_refuse_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolated, "CHECKER", faults.aborts)
    with pytest.raises(ReadError) as caught:
        read_all(students_xlsx(tmp_path))
    assert caught.value.code is ReadErrorCode.WORKBOOK_CRASHED


def test_a_file_without_a_path_is_copied_once_for_both_children_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = students_xlsx(tmp_path).read_bytes()
    copies = tmp_path / "copies"
    copies.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(copies))
    # Checks that answer once a row is read: both children are at work on the copy.
    monkeypatch.setattr(isolated, "CHECKER", faults.passes_once_a_row_is_read)
    [table] = read_file(io.BytesIO(data)).tables
    rows = iter(table.rows)
    next(rows)
    [copy] = copies.iterdir()
    Path(f"{copy}.read").touch()
    assert list(rows) == []
    assert list(copies.iterdir()) == [Path(f"{copy}.read")]  # the read table let it go
    Path(f"{copy}.read").unlink()
    monkeypatch.setattr(isolated, "CHECKER", faults.refuses)
    with pytest.raises(ReadError):
        read_all(io.BytesIO(data))
    gc.collect()
    assert list(copies.iterdir()) == []


def test_a_workbook_the_checks_refuse_gets_their_sentence_through_every_door(
    org: Organization,
    admin_client: Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Its sheet says it reaches row 2,000,000; its two rows parse well: the checks refuse
    # it while its rows are read, and nothing of it is kept.
    base = students_xlsx(tmp_path)
    with zipfile.ZipFile(base) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    far = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C2000000"', sheet)
    assert far != sheet
    (tmp_path / "far").mkdir()
    path = rewrite_zip(base, tmp_path / "far" / "students.xlsx", {"xl/worksheets/sheet1.xml": far})
    sentence = "A sheet's cells reach row 2,000,000"
    assert main(["import", str(path), "--org", org.slug, "--role", "student", "--json"]) == 1
    error: dict[str, Any] = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["file"]) == ("too_many_rows", "students.xlsx")
    assert error["message"].startswith(sentence)
    upload = SimpleUploadedFile("students.xlsx", path.read_bytes())
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_file": upload})
    assert response.status_code == 400
    assert sentence in html.unescape(response.content.decode())
    assert ImportJob.objects.count() == 0
    assert not Account.objects.filter(email="ann@example.com").exists()
