"""A OneRoster 1.1 bundle through Add Multiple Users: several files at once, or a zip, on
one tab are one import; its tables become tabs, its flags and notes stay with the review.

The bundle is test_oneroster.py's; the command line's answer for the same files is the
one the review must give (door equivalence for bundles).
"""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.accounts.models import Account, ExternalId, StudentInstructor, StudentParent
from roster.cli.main import main
from roster.importing import jobs
from roster.importing.models import ImportFlag, ImportJob, ImportTab, JobStatus
from roster.orgs.models import Organization
from tests.cli.test_oneroster import ENROLLMENTS, PEOPLE, USERS, bundle
from tests.cli.test_oneroster_ids import zipped
from tests.importing.test_door_equivalence import _cli_issues, _issues, _without_invites

ADD = "/o/northside/users/add-multiple/"
AGENTS = USERS.index("agentSourcedIds")
SUMMARY = "OneRoster 1.1 bundle: users.csv — 12 people; enrollments.csv — 10 class enrollments."


def _uploads(paths: list[str]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(Path(path).name, Path(path).read_bytes()) for path in paths]


def _start(client: Client, **fields: Any) -> ImportJob:
    response = client.post(ADD, fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _cli(paths: list[str], org: Organization, capsys: pytest.CaptureFixture[str]) -> Any:
    assert main(["import", *paths, "--org", org.slug, "--dry-run", "--json", "--no-invite"]) == 0
    return json.loads(capsys.readouterr().out)


def _apply(client: Client, job: ImportJob) -> ImportJob:
    client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": "no"})
    client.post(f"/o/northside/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED
    return job


@pytest.mark.parametrize("as_zip", [False, True], ids=["several-files", "zip"])
def test_a_bundle_uploaded_on_one_tab_is_one_import_as_on_the_command_line(
    admin_client: Client,
    org: Organization,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    as_zip: bool,
) -> None:
    files = bundle(tmp_path)
    given = [zipped(tmp_path, files)] if as_zip else files
    job = _start(admin_client, instructor_file=_uploads(given))  # any tab: the bundle says
    tabs = ImportTab.objects.filter(job=job).values_list(
        "file_name", "sheet", "role", "rows", "id_source", "id_column"
    )
    assert list(tabs) == [
        ("users.csv", "users (Students)", "student", 6, "oneroster", 0),
        ("users.csv", "users (Instructors)", "instructor", 2, "oneroster", 0),
        ("users.csv", "users (Parents)", "parent", 3, "oneroster", 0),
    ]
    out = _cli(given, org, capsys)
    assert _without_invites(job.preview) == _without_invites(out["summary"])
    assert _issues(job) == _cli_issues(out)
    assert main(["import", *given, "--org", org.slug, "--dry-run", "--no-invite"]) == 0
    notes = capsys.readouterr().err.splitlines()
    assert notes == [f"roster: note: {note}" for note in job.notes]
    assert job.notes[1 if as_zip else 0] == SUMMARY  # a zip's own note comes first
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    assert SUMMARY in page
    assert "orgs.csv was left out: it lists schools and districts" in page
    assert (
        "People on this tab are matched to their accounts by their OneRoster id (sourcedId)"
        " first" in page
    )

    job = _apply(admin_client, job)
    assert job.summary["create"] == {"student": 5, "instructor": 2, "parent": 3}
    assert StudentParent.objects.filter(organization=org).count() == 5
    assert StudentInstructor.objects.filter(organization=org).count() == 6
    assert ExternalId.objects.filter(organization=org, source="oneroster").count() == 10
    again = _start(admin_client, student_file=_uploads(given))
    assert again.preview["unchanged"] == {"student": 5, "instructor": 2, "parent": 3}
    assert again.preview["create"] == again.preview["update"] == job.summary["update"]


def test_the_bundles_flags_survive_edits_until_their_cell_is_edited(
    admin_client: Client, tmp_path: Path
) -> None:
    job = _start(admin_client, student_file=_uploads(bundle(tmp_path)))
    students = ImportTab.objects.get(job=job, sheet="users (Students)")
    flagged = ImportFlag.objects.filter(job=job, code="unknown_association")
    assert list(flagged.values_list("tab", "row", "column")) == [(students.pk, 7, AGENTS)]
    cell = f"/o/northside/imports/{job.pk}/cell/"
    grid = {"X-Roster-Grid": "1"}
    edit = {"tab": students.position, "row": 2, "column": USERS.index("givenName")}
    admin_client.post(cell, {**edit, "value": "Anna"}, headers=grid)  # another row
    admin_client.post(cell, {**edit, "row": 7, "value": "Gianna"}, headers=grid)  # its row
    assert flagged.count() == 1
    job.refresh_from_db()
    assert jobs.check_job(job)  # the full check keeps it too
    assert list(flagged.values_list("row", "message")) == [
        (
            7,
            "This link names no one in your organization or this import."
            " “p99” in agentSourcedIds is the sourcedId of no one in users.csv.",
        )
    ]
    admin_client.post(cell, {**edit, "row": 7, "column": AGENTS, "value": ""}, headers=grid)
    assert not flagged.exists()
    job.refresh_from_db()
    assert jobs.check_job(job)
    assert not flagged.exists()


def test_next_years_export_uploaded_updates_the_same_people_by_id(
    admin_client: Client, org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    assert main(["import", zipped(first, bundle(first)), "--org", org.slug, "--no-invite"]) == 0
    capsys.readouterr()
    ana = Account.objects.get(organization=org, email="ana@example.com")
    original = list(PEOPLE), list(ENROLLMENTS)
    PEOPLE[0] = ("s1", "student", "ana.ruiz", "Ana", "Ruiz", "ana.r@example.com", "", "g1")
    ENROLLMENTS.append(("c2", "s1", "student"))
    try:
        second = tmp_path / "second"
        second.mkdir()
        job = _start(admin_client, parent_file=_uploads([zipped(second, bundle(second))]))
    finally:
        PEOPLE[:], ENROLLMENTS[:] = original
    assert job.preview["update"] == {"student": 1, "instructor": 0, "parent": 0}
    assert job.preview["create"] == {"student": 0, "instructor": 0, "parent": 0}
    job = _apply(admin_client, job)
    ana.refresh_from_db()
    assert ana.email == "ana.r@example.com"
    assert StudentInstructor.objects.filter(student=ana).count() == 2


def _bomb() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.csv", b"First Name,Last Name,Email\n" + b" " * (50 * 1024 * 1024))
    return data.getvalue()


def _many() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for n in range(10_000):
            archive.writestr(f"f{n}.csv", b"")
    return data.getvalue()


def _with(name: str, content: bytes) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("students.csv", b"First Name,Last Name,Email\nA,B,a@example.com\n")
        archive.writestr(name, content)
    return data.getvalue()


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (_bomb, "holds far more data than its files can hold when unpacked (a zip bomb)"),
        (lambda: _with("../../etc/x.csv", b"a"), "a file whose name points outside it"),
        (lambda: _with("inner.zip", _with("a.csv", b"a")), "holds another zip archive"),
        (_many, "holds 10,000 entries, more than the 200 an export holds"),
    ],
    ids=["bomb", "traversal", "nested", "ten-thousand"],
)
def test_a_hostile_zip_is_refused_with_a_sentence_and_the_next_request_is_answered(
    admin_client: Client, content: Any, sentence: str
) -> None:
    upload = SimpleUploadedFile("export.zip", content())
    response = admin_client.post(ADD, {"student_file": [upload]})
    assert response.status_code == 400
    assert sentence in " ".join(response.content.decode().split())
    assert not ImportJob.objects.exists()
    assert admin_client.get(ADD).status_code == 200


def test_more_files_than_one_upload_takes_are_refused_with_a_sentence(
    admin_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    csv = b"First Name,Last Name,Email\nA,B,a@example.com\n"
    uploads = [SimpleUploadedFile(f"s{n}.csv", csv) for n in range(4)]
    response = admin_client.post(ADD, {"student_file": uploads})
    assert response.status_code == 400
    assert "Upload at most 3 files at once; zip the others, or import them next." in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
