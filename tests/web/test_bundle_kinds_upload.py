"""Every bundle kind through Add Multiple Users (several files at once, and a zip) gives
the command line's answer: the same summary, issues and notes, the bundle's issues on its
link files included (ImportJob.bundle_issues), shown on the review and in the report.
"""

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from roster.accounts.models import Account, ExternalId, StudentInstructor
from roster.cli.main import main
from roster.importing import jobs
from roster.importing.models import ImportJob, ImportTab
from roster.orgs.models import Organization
from tests.cli import test_oneroster
from tests.cli.test_oneroster_ids import zipped
from tests.data import bundles
from tests.importing.test_door_equivalence import _cli_issues, _issues, _without_invites
from tests.web.test_bundle_upload import _apply, _cli, _start, _uploads

KINDS: dict[str, Callable[[Path], list[str]]] = {
    "oneroster-1.1": test_oneroster.bundle,
    "oneroster-1.2": bundles.oneroster12_bundle,
    "canvas": bundles.canvas_bundle,
    "clever": bundles.clever_bundle,
}
# Each kind's tabs: (file, sheet, role, id source, the id column's header).
TABS: dict[str, list[tuple[str, str, str, str, str | None]]] = {
    "oneroster-1.1": [
        ("users.csv", "users (Students)", "student", "oneroster", "sourcedId"),
        ("users.csv", "users (Instructors)", "instructor", "oneroster", "sourcedId"),
        ("users.csv", "users (Parents)", "parent", "oneroster", "sourcedId"),
    ],
    "oneroster-1.2": [
        ("users.csv", "users (Students)", "student", "oneroster", "sourcedId"),
        ("users.csv", "users (Instructors)", "instructor", "oneroster", "sourcedId"),
        ("users.csv", "users (Parents)", "parent", "oneroster", "sourcedId"),
    ],
    "canvas": [
        ("users.csv", "users (Instructors)", "instructor", "canvas", "user_id"),
        ("users.csv", "users (Students)", "student", "canvas", "user_id"),
        ("users.csv", "users (Parents)", "parent", "canvas", "user_id"),
    ],
    "clever": [
        ("students.csv", "students", "student", "clever", "Student_id"),
        ("students.csv", "students (contacts)", "parent", "", None),
        ("teachers.csv", "teachers", "instructor", "clever", "Teacher_id"),
    ],
}


def _tabs(job: ImportJob) -> list[tuple[object, ...]]:
    return [
        (
            tab.file_name,
            tab.sheet,
            tab.role,
            tab.id_source,
            tab.header[tab.id_column] if tab.id_column is not None else None,
        )
        for tab in ImportTab.objects.filter(job=job)
    ]


def _report(client: Client, job: ImportJob) -> list[list[str]]:
    response = client.get(f"/o/northside/imports/{job.pk}/issues.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.mark.parametrize("as_zip", [False, True], ids=["several-files", "zip"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_uploaded_gives_the_command_lines_answer(
    admin_client: Client,
    org: Organization,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    as_zip: bool,
) -> None:
    files = KINDS[kind](tmp_path)
    given = [zipped(tmp_path, files)] if as_zip else files
    job = _start(admin_client, parent_file=_uploads(given))  # any tab: the bundle says
    assert _tabs(job) == TABS[kind]
    out = _cli(given, org, capsys)
    assert _without_invites(job.preview) == _without_invites(out["summary"])
    assert _issues(job) == _cli_issues(out)
    assert main(["import", *given, "--org", org.slug, "--dry-run", "--no-invite"]) == 0
    notes = capsys.readouterr().err.splitlines()
    assert notes == [f"roster: note: {note}" for note in job.notes]

    # The link files' issues: on the job, as the command line lists them (after the
    # tables'), on the review with their file, row and column, and in the report.
    people_files = {tab[0] for tab in TABS[kind]}
    on_links = [issue for issue in out["issues"] if issue["file"] not in people_files]
    assert bool(on_links) == (kind != "oneroster-1.1")  # its bundle's links all resolve
    assert job.bundle_issues == on_links
    assert jobs.check_job(job)  # a full check keeps them
    job.refresh_from_db()
    assert job.bundle_issues == on_links
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    for issue in on_links:
        line = f"{issue['file']}, row {issue['row']}, {issue['column']}: {issue['message']}"
        assert line in page.replace("&ldquo;", "“").replace("&rdquo;", "”")
    report = _report(admin_client, job)
    assert len(report) == len(out["issues"])
    assert [row[:4] for row in report[len(report) - len(on_links) :]] == [
        [issue["file"], issue["sheet"], str(issue["row"]), issue["column"]] for issue in on_links
    ]


def test_the_link_files_issues_are_counted_on_the_confirmation(
    admin_client: Client, tmp_path: Path
) -> None:
    job = _start(admin_client, student_file=_uploads(bundles.canvas_bundle(tmp_path)))
    admin_client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": "no"})
    page = admin_client.get(f"/o/northside/imports/{job.pk}/confirm/").content.decode()
    assert "2 rows of the export's link files name an id of no one" in page


def test_a_canvas_zip_of_next_years_export_updates_the_same_people_by_id(
    admin_client: Client,
    org: Organization,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    job = _apply(
        admin_client,
        _start(admin_client, student_file=_uploads([zipped(first, bundles.canvas_bundle(first))])),
    )
    assert job.summary["create"] == {"student": 4, "instructor": 2, "parent": 2}
    ana = Account.objects.get(organization=org, email="ana@example.com")
    people = list(bundles.CANVAS_PEOPLE)
    people[0] = ("u1", "ana.r", "Ana", "Ruiz", "", "ana.r@example.com", "active")
    monkeypatch.setattr(bundles, "CANVAS_PEOPLE", people)
    enrolled = [*bundles.CANVAS_ENROLLMENT_ROWS, ("C2", "u1", "student", "", "active", "")]
    monkeypatch.setattr(bundles, "CANVAS_ENROLLMENT_ROWS", enrolled)
    second = tmp_path / "second"
    second.mkdir()
    given = [zipped(second, bundles.canvas_bundle(second))]
    job = _start(admin_client, student_file=_uploads(given))
    out = _cli(given, org, capsys)
    assert _without_invites(job.preview) == _without_invites(out["summary"])
    assert job.preview["update"] == {"student": 1, "instructor": 0, "parent": 0}
    assert job.preview["create"] == {"student": 0, "instructor": 0, "parent": 0}
    assert job.preview["associations"] == {"student_parent": 0, "student_instructor": 1}
    _apply(admin_client, job)
    ana.refresh_from_db()
    assert ana.email == "ana.r@example.com"  # the same account, found by its user_id
    ugo = Account.objects.get(organization=org, email="ugo@example.org")
    assert StudentInstructor.objects.filter(student=ana, instructor=ugo).exists()
    assert (
        ExternalId.objects.filter(organization=org, source="canvas", value="u1").get().account
        == ana
    )
    again = _start(admin_client, student_file=_uploads(given))
    assert again.preview["unchanged"] == {"student": 4, "instructor": 2, "parent": 2}
    assert again.preview["update"] == again.preview["create"] == job.preview["create"]
    assert json.dumps(again.preview["associations"]) == json.dumps(
        {"student_parent": 0, "student_instructor": 0}
    )
