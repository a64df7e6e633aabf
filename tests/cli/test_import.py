"""`roster import` end to end, on generated files: PRODUCT.md's rules through the door."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]

from roster.accounts.models import Account, Invitation, Role, StudentParent
from roster.cli.main import main
from roster.importing.issues import IssueCode
from roster.orgs.models import Organization
from tests.conftest import make_account

STUDENTS = (
    "First Name,Last Name,Email,Username,Phone,Parent Email,Instructor Email\n"
    "Ann,Lee,ann@example.com,,(415) 555-0100,pat@example.com,tim@example.com\n"
    "Dee,Wu,,dee1,,pat@example.com,\n"
)
PARENTS = "First Name,Last Name,Email,Phone,Student\nPat,Lee,pat@example.com,,dee1\n"
TEACHERS = "First Name,Last Name,Email,Phone,Student\nTim,Tutor,tim@example.com,,ann@example.com\n"


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["import", *argv, "--json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


@pytest.fixture
def family(tmp_path: Path) -> list[str]:
    return [
        write(tmp_path, "students.csv", STUDENTS),
        write(tmp_path, "parents.csv", PARENTS),
        write(tmp_path, "teachers.csv", TEACHERS),
    ]


def test_several_files_form_one_import_and_a_second_run_changes_nothing(
    org: Organization, family: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(capsys, *family, "--org", org.slug, "--invite")
    assert first["summary"] == {
        "create": {"student": 2, "instructor": 1, "parent": 1},
        "update": {"student": 0, "instructor": 0, "parent": 0},
        "unchanged": {"student": 0, "instructor": 0, "parent": 0},
        "skipped": {"student": 0, "instructor": 0, "parent": 0},
        "associations": {"student_parent": 2, "student_instructor": 1},
        "invites": 3,
    }
    assert first["issues"] == []
    again = run(capsys, *family, "--org", org.slug, "--invite")
    summary = again["summary"]
    assert isinstance(summary, dict)
    assert summary["unchanged"] == {"student": 2, "instructor": 1, "parent": 1}
    assert summary["associations"] == {"student_parent": 0, "student_instructor": 0}
    assert summary["invites"] == 0
    assert Invitation.objects.filter(organization=org).count() == 3


def test_dry_run_changes_and_records_nothing(
    org: Organization, family: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, *family, "--org", org.slug, "--invite", "--dry-run")
    summary = result["summary"]
    assert isinstance(summary, dict) and summary["invites"] == 3
    assert not Account.objects.in_org(org).exists()
    assert not Invitation.objects.exists()


def test_upsert_by_email_and_username_ignoring_case_and_spaces(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_account(org, Role.STUDENT, "Ann@Example.com", first_name="Ann", last_name="Lee")
    make_account(org, Role.STUDENT, "", username="DEE1", first_name="Dee", last_name="Wu")
    pat = make_account(org, Role.PARENT, "pat@example.com", first_name="Pat", last_name="Lee")
    text = (
        "First Name,Last Name,Email,Username,Phone,Parent Email\n"
        "Annie,Lee,  ANN@example.com ,,,pat@example.com\n"
        "Dee,Wu,, dee1 ,,PAT@EXAMPLE.COM\n"
    )
    result = run(capsys, write(tmp_path, "kids.csv", text), "--org", org.slug, "--role", "student")
    summary = result["summary"]
    assert isinstance(summary, dict)
    assert summary["update"]["student"] == 1 and summary["unchanged"]["student"] == 1
    assert summary["associations"]["student_parent"] == 2
    assert Account.objects.in_org(org).count() == 3
    assert StudentParent.objects.filter(parent=pat).count() == 2


def test_tenancy_the_same_email_elsewhere_is_never_touched_or_linked(
    org: Organization, other_org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = make_account(other_org, Role.PARENT, "pat@example.com", first_name="Zed")
    text = "First Name,Last Name,Email,Parent Email\nAnn,Lee,ann@example.com,pat@example.com\n"
    result = run(capsys, write(tmp_path, "students.csv", text), "--org", org.slug)
    issues = result["issues"]
    assert isinstance(issues, list)
    assert [issue["code"] for issue in issues] == ["unknown_association"]
    theirs.refresh_from_db()
    assert theirs.first_name == "Zed"
    assert not StudentParent.objects.exists()


def test_every_issue_code_end_to_end(
    org: Organization, admin: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_account(org, Role.INSTRUCTOR, "tim@example.com")
    path = tmp_path / "everyone.xlsx"
    book = xlsxwriter.Workbook(str(path))
    rows = {
        "Students": [
            ["First Name", "Last Name", "Email", "Username", "Phone", "Parent Email", "Shoe"],
            ["Ann", "Lee", "ann@example.com", "", "+1 415 555 0100", "", ""],
            ["", "Lee", "x@example.com", "", "", "", ""],
            ["Bo", "Ng", "bo@@example", "", "", "", ""],
            ["Cy", "Ng", "", "c!", "", "", ""],
            ["Di", "Ng", "ANN@example.com", "", "", "", ""],
            ["Ed", "Ng", "admin@northside.example", "", "", "", ""],
            ["Fi", "Ng", "fi@example.com", "", "", "nobody@example.com", ""],
            ["Gu", "Ng", "gu@example.com", "", "", "tim@example.com", ""],
            ["Hu", "Ng", "", "hu1", "", "", ""],
            ["x" * 101, "Ng", "iv@example.com", "", "", "", ""],
            ["=Jo", "Ng", "jo@example.com", "", "call me", "", ""],
            ["Ke\x07n", "Ng", "ke@example.com", "", "", "", ""],
        ],
        "Parents": [["Full Name", "Email"], ["Pat Lee", "pat@example.com"]],
        "Teachers": [
            ["First Name", "Email", "Email"],
            ["Tim", "tim@example.com", "tim@example.com"],
        ],
    }
    for name, cells in rows.items():
        sheet = book.add_worksheet(name)
        for number, row in enumerate(cells):
            for column, value in enumerate(row):
                sheet.write_string(number, column, value)  # "=Jo" as typed text
    book.close()
    result = run(capsys, str(path), "--org", org.slug)
    issues = result["issues"]
    assert isinstance(issues, list)
    # A school system's id is only carried by a bundle's rows: test_oneroster_ids.py.
    bundle_only = {IssueCode.EXTERNAL_ID_CONFLICT.value}
    assert {issue["code"] for issue in issues} == {code.value for code in IssueCode} - bundle_only
    first = issues[0]
    assert (first["file"], first["sheet"], first["row"]) == ("everyone.xlsx", "Students", None)
    assert {issue["row"] for issue in issues if issue["code"] == "missing_required"} == {3}


def test_failures_exit_non_zero_with_one_line(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "people.csv", "First Name,Last Name,Email\nA,B,a@example.com\n")
    assert main(["import", good, "--org", "nowhere"]) != 0
    assert capsys.readouterr().err.strip().endswith(" [unknown_organization]")
    empty = write(tmp_path, "students.csv", "")
    assert main(["import", empty, "--org", org.slug]) != 0
    err = capsys.readouterr().err
    assert err.startswith("roster: students.csv: ") and err.endswith(" [empty_file]\n")
    assert main(["import", str(tmp_path / "missing.csv"), "--org", org.slug]) != 0
    err = capsys.readouterr().err
    assert err.startswith("roster: missing.csv: ") and err.endswith(" [cannot_open_file]\n")
    assert main(["import", good, "--org", org.slug]) != 0
    err = capsys.readouterr().err
    assert "--role" in err and len(err.strip().splitlines()) == 1
    assert err.startswith("roster: people.csv: ") and err.endswith(" [unclear_role]\n")
    assert not Account.objects.in_org(org).exists()


def test_a_role_column_routes_rows_of_one_table(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "sourcedId,role,givenName,familyName,email\n"
        "1,student,Ann,Lee,ann@example.com\n2,teacher,Tim,Tutor,tim@example.com\n"
        "3,guardian,Pat,Lee,pat@example.com\n"
    )
    result = run(capsys, write(tmp_path, "users.csv", text), "--org", org.slug)
    summary = result["summary"]
    assert isinstance(summary, dict)
    assert summary["create"] == {"student": 1, "instructor": 1, "parent": 1}


def test_the_installed_script(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "python"), "manage.py", "migrate", "-v0"], env=env, check=True)
    roster = str(bin_dir / "roster")
    create = [roster, "org", "create", "acme", "--name", "Acme", "--owner-email", "o@example.com"]
    subprocess.run(create, env=env, check=True, capture_output=True)
    files = [
        write(tmp_path, "students.csv", STUDENTS),
        write(tmp_path, "parents.csv", PARENTS),
        write(tmp_path, "teachers.csv", TEACHERS),
    ]
    done = subprocess.run(
        [roster, "import", *files, "--org", "acme", "--invite", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout)["summary"]["invites"] == 3
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
