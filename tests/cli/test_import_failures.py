"""`roster import` that cannot run: the installation's limits, stable codes, --json errors."""

import json
from pathlib import Path
from typing import Any

import pytest

from roster.accounts.models import Account
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.cli.test_import import PARENTS, STUDENTS, write

THREE_STUDENTS = (
    "First Name,Last Name,Email\n"
    "Ann,Lee,ann@example.com\nBo,Ng,bo@example.com\nCy,Wu,cy@example.com\n"
)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, Any], str]:
    """Run a failing import with --json: its error object, and the line on stderr."""
    assert main(["import", *argv, "--json"]) == 1
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and err.startswith("roster: ")
    error: dict[str, Any] = json.loads(out)["error"]
    assert set(error) == {"code", "file", "message"} and error["message"]
    assert err.rstrip("\n").endswith(f" [{error['code']}]")
    return error, err


def test_the_configured_row_limit_refuses_the_file(
    org: Organization, tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.IMPORT_MAX_ROWS = 2
    path = write(tmp_path, "students.csv", THREE_STUDENTS)
    error, err = refused(capsys, path, "--org", org.slug, "--role", "student")
    assert (error["code"], error["file"]) == ("too_many_rows", "students.csv")
    assert err.startswith("roster: students.csv: ")
    assert not Account.objects.in_org(org).exists()


def test_a_limit_reached_in_a_later_file_names_that_file(
    org: Organization, tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.IMPORT_MAX_ROWS = 2
    parents = PARENTS + "Kim,Lee,kim@example.com,,\nLou,Lee,lou@example.com,,\n"
    files = [write(tmp_path, "students.csv", STUDENTS), write(tmp_path, "parents.csv", parents)]
    error, _ = refused(capsys, *files, "--org", org.slug)
    assert (error["code"], error["file"]) == ("too_many_rows", "parents.csv")
    assert not Account.objects.in_org(org).exists()


def test_the_configured_upload_size_refuses_the_file(
    org: Organization, tmp_path: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.IMPORT_MAX_UPLOAD_MB = 0
    path = write(tmp_path, "students.csv", THREE_STUDENTS)
    error, _ = refused(capsys, path, "--org", org.slug, "--role", "student")
    assert (error["code"], error["file"]) == ("file_too_large", "students.csv")


def test_an_unreadable_file_gives_the_readers_code(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "users.csv", "First Name,Last Name,Email\n")
    error, err = refused(capsys, path, "--org", org.slug, "--role", "student")
    assert (error["code"], error["file"]) == ("only_header", "users.csv")
    assert err.startswith("roster: users.csv: ")


def test_other_failures_have_codes_too(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = write(tmp_path, "people.csv", THREE_STUDENTS)
    error, _ = refused(capsys, people, "--org", org.slug)
    assert (error["code"], error["file"]) == ("unclear_role", "people.csv")
    error, _ = refused(capsys, people, "--org", "nowhere")
    assert (error["code"], error["file"]) == ("unknown_organization", None)
    error, _ = refused(capsys, str(tmp_path / "gone.csv"), "--org", org.slug)
    assert (error["code"], error["file"]) == ("cannot_open_file", "gone.csv")


def test_without_json_a_failure_prints_nothing_on_stdout(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "users.csv", "First Name,Last Name,Email\n")
    assert main(["import", path, "--org", org.slug, "--role", "student"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.rstrip("\n").endswith(" [only_header]")
