"""Remembered mappings: a column mapped in the review maps the next file's same header
the same way, on the web and on the command line, until an admin forgets it (issue 12)."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.audit.log import SYSTEM
from roster.cli.main import main
from roster.importing import jobs
from roster.importing.jobs.mappings import mapping_choices
from roster.importing.models import ImportFlag, ImportJob, ImportTab, RememberedMapping
from roster.orgs.models import Organization
from tests.importing.test_door_equivalence import _cli_issues, _issues, _without_invites
from tests.web.test_import_wizard import start

STUDENTS = (
    "First Name,Last Name,Email,Household Email,Notes\n"
    "Ada,Lovelace,ada@example.com,pat@example.com,likes maths\n"
    "Alan,Turing,alan@example.com,nobody@example.com,\n"
)
PARENTS = "First Name,Last Name,Email\nPat,Lovelace,pat@example.com\n"
HOUSEHOLD, NOTES = 3, 4


@pytest.fixture
def students_csv(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    path = tmp_path / "students.csv"
    path.write_text(STUDENTS)
    return path


def _upload(client: Client, path: Path) -> ImportJob:
    return start(
        client,
        student_file=SimpleUploadedFile(path.name, path.read_bytes()),
        parent_text=PARENTS,
    )


def _students(job: ImportJob) -> ImportTab:
    return ImportTab.objects.get(job=job, role="student")


def _map(client: Client, job: ImportJob, column: int, field: str) -> None:
    data = {"tab": _students(job).position, "column": column, "field": field}
    assert client.post(f"/o/northside/imports/{job.pk}/column/", data).status_code == 302


def _cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], list[str]]:
    argv = ["import", str(path), "--org", "northside", "--role", "student", "--dry-run"]
    assert main([*argv, "--json", "--no-invite"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert main([*argv, "--no-invite"]) == 0
    return out, capsys.readouterr().err.splitlines()


def _flags(job: ImportJob) -> list[ImportFlag]:
    return list(ImportFlag.objects.filter(job=job))


def _unknown_columns(job: ImportJob) -> set[str]:
    return {flag.column_label for flag in _flags(job) if flag.code == "unknown_column"}


def test_a_mapping_is_remembered_and_applied_to_the_next_upload(
    admin_client: Client, org: Organization, students_csv: Path
) -> None:
    first = _upload(admin_client, students_csv)
    assert _unknown_columns(first) == {"Household Email", "Notes"}
    _map(admin_client, first, HOUSEHOLD, "parent_emails")
    _map(admin_client, first, NOTES, "")
    remembered = RememberedMapping.objects.in_org(org)
    assert sorted(remembered.values_list("scope", "header_key", "field")) == [
        ("student", "household email", "parent_emails"),
        ("student", "notes", ""),
    ]

    second = _upload(admin_client, students_csv)
    assert _students(second).choices == {"3": "parent_emails", "4": ""}
    assert _unknown_columns(second) == set()
    assert "unknown_association" in {flag.code for flag in _flags(second)}  # nobody@ names nobody
    page = admin_client.get(f"/o/northside/imports/{second.pk}/").content.decode()
    assert "Mapped as last time: Household Email → Parent Email" in page
    assert "Mapped as last time: Notes → Ignored" in page


def test_the_command_line_maps_as_the_review_remembers(
    admin_client: Client,
    org: Organization,
    students_csv: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _upload(admin_client, students_csv)
    _map(admin_client, first, HOUSEHOLD, "parent_emails")
    _map(admin_client, first, NOTES, "")
    web = start(admin_client, student_file=SimpleUploadedFile("students.csv", STUDENTS.encode()))
    out, notes = _cli(students_csv, capsys)
    assert _without_invites(web.preview) == _without_invites(out["summary"])
    assert _issues(web) == _cli_issues(out)
    assert (
        "roster: note: Student (students.csv): Mapped as last time: Household Email → Parent Email"
        in notes
    )


def test_forget_maps_the_column_by_the_first_guess_again_everywhere(
    admin_client: Client,
    org: Organization,
    students_csv: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _upload(admin_client, students_csv)
    _map(admin_client, first, HOUSEHOLD, "parent_emails")
    second = _upload(admin_client, students_csv)
    tab = _students(second)
    data = {"tab": tab.position, "column": HOUSEHOLD}
    assert admin_client.post(f"/o/northside/imports/{second.pk}/forget/", data).status_code == 302
    assert not RememberedMapping.objects.exists()
    tab.refresh_from_db()
    assert tab.choices == {} and tab.recalled == []
    page = admin_client.get(f"/o/northside/imports/{second.pk}/").content.decode()
    assert "Mapped as last time" not in page
    assert "Household Email" in _unknown_columns(ImportJob.objects.get(pk=second.pk))
    third = _upload(admin_client, students_csv)
    assert _students(third).choices == {}
    out, notes = _cli(students_csv, capsys)
    assert "Household Email" in {
        i["column"] for i in out["issues"] if i["code"] == "unknown_column"
    }
    assert not [note for note in notes if "as last time" in note]


def test_mapping_back_to_the_first_guess_forgets_and_forgetting_twice_is_refused(
    admin_client: Client, org: Organization, students_csv: Path
) -> None:
    job = _upload(admin_client, students_csv)
    _map(admin_client, job, 2, "username")  # Email → Username, then back
    assert RememberedMapping.objects.in_org(org).count() == 1
    _map(admin_client, job, 2, "email")
    assert not RememberedMapping.objects.exists()
    data = {"tab": _students(job).position, "column": 2}
    response = admin_client.post(f"/o/northside/imports/{job.pk}/forget/", data)
    assert response.status_code == 409


def test_another_organization_does_not_use_our_memory(
    admin_client: Client,
    other_org: Organization,
    students_csv: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    job = _upload(admin_client, students_csv)
    _map(admin_client, job, HOUSEHOLD, "parent_emails")
    assert not RememberedMapping.objects.in_org(other_org).exists()
    argv = ["import", str(students_csv), "--org", other_org.slug, "--role", "student"]
    assert main([*argv, "--dry-run", "--json", "--no-invite"]) == 0
    out = json.loads(capsys.readouterr().out)
    unknown = {i["column"] for i in out["issues"] if i["code"] == "unknown_column"}
    assert unknown == {"Household Email", "Notes"}


def test_a_role_column_tabs_menu_offers_what_its_first_guess_and_memory_use(
    admin_client: Client,
) -> None:
    # Rows carry their own roles: the first guess and the memory map with every role's
    # fields, so the review's menu offers them too (a parent's Student column on the
    # Student tab), and the admin may map to them.
    text = "Role,First Name,Last Name,Email,Kids\nparent,Pat,Lee,pat@example.com,ada@example.com\n"
    job = start(admin_client, student_text=text)
    tab = ImportTab.objects.get(job=job)
    offered = dict(mapping_choices(tab))
    assert {"students", "parent_emails", "username"} <= offered.keys()
    jobs.choose_column(job, tab, 4, "students", by=SYSTEM)
    assert ImportTab.objects.get(pk=tab.pk).choices["4"] == "students"
