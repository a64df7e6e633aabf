"""The rest of the writers: forget a mapping and send back a fix file (web), the command
line's import and organization, an apply run by the task worker, and bulk actions as one
entry each whatever their size (issue 14, audit log)."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from roster.accounts.models import Account, Role
from roster.audit.log import By, record
from roster.audit.models import Action, AuditEntry, Door
from roster.cli.main import main
from roster.importing import jobs
from roster.importing.models import ImportFlag, ImportJob, JobStatus
from roster.importing.tasks import apply_import_job
from roster.orgs.models import Organization
from tests.audit.entries import one_entry
from tests.web.test_fix_file_round_trip import _download, _saved
from tests.web.test_fix_file_round_trip import _upload as _send_back
from tests.web.test_import_wizard import PARENTS, STUDENTS, start
from tests.web.test_remembered_mappings import (
    HOUSEHOLD,
    _map,
    _students,
    students_csv,  # noqa: F401  (a fixture)
)
from tests.web.test_remembered_mappings import _upload as _upload_csv


def test_forgetting_a_remembered_mapping(
    admin_client: Client,
    admin: Account,
    org: Organization,
    students_csv: Path,  # noqa: F811
) -> None:
    _map(admin_client, _upload_csv(admin_client, students_csv), HOUSEHOLD, "parent_emails")
    second = _upload_csv(admin_client, students_csv)
    data = {"tab": _students(second).position, "column": HOUSEHOLD}
    url = f"/o/northside/imports/{second.pk}/forget/"
    forgot = one_entry(org, lambda: admin_client.post(url, data))
    assert (forgot.action, forgot.door, forgot.actor_id) == (
        Action.FORGOT_MAPPING,
        Door.WEB,
        admin.pk,
    )
    assert forgot.detail == {"tab": "Student", "column": "Household Email"}


def test_sending_back_a_fix_file(admin_client: Client, admin: Account, org: Organization) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    book = _download(admin_client, job)
    book["Student"]["D2"] = "alan@example.com"
    sent = one_entry(org, lambda: _send_back(admin_client, job, _saved(book)))
    assert (sent.action, sent.door, sent.actor_id) == (Action.SENT_FIX_FILE, Door.WEB, admin.pk)
    assert (sent.import_job_id, sent.detail) == (job.pk, {"changed": 1, "unchanged": 0, "gone": 0})


def _students_file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "students.csv"
    lines = [f"Kid{n},Family{n},kid{n}@example.com" for n in range(rows)]
    path.write_text("First Name,Last Name,Email\n" + "\n".join(lines) + "\n")
    return path


def test_the_command_lines_import_is_one_entry_of_the_system_at_the_command_line(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(_students_file(tmp_path, 1_500))
    argv = ["import", path, "--org", "northside", "--role", "student", "--no-invite", "--json"]
    assert main([*argv, "--dry-run"]) == 0  # a dry run changes nothing, records nothing
    assert not AuditEntry.objects.exists()
    applied = one_entry(org, lambda: main(argv))
    assert (applied.action, applied.door, applied.actor_id, applied.ip) == (
        Action.APPLIED,
        Door.CLI,
        None,
        None,
    )
    # The command line stores its imports (listed by `roster imports`, undone by `roster undo`).
    assert applied.import_job_id == ImportJob.objects.get(organization=org).pk
    printed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert applied.detail["create"] == sum(printed["summary"]["create"].values()) == 1_500


def test_creating_an_organization_at_the_command_line(db: None) -> None:
    argv = ["org", "create", "eastside", "--name", "Eastside", "--owner-email", "boss@east.example"]
    assert main(argv) == 0
    east = Organization.objects.get(slug="eastside")
    entry = AuditEntry.objects.get(organization=east)
    owner = Account.objects.in_org(east).get(role=Role.OWNER)
    assert (entry.action, entry.door, entry.actor_id) == (
        Action.CREATED_ORGANIZATION,
        Door.CLI,
        None,
    )
    assert entry.account_id == owner.pk


def test_an_apply_in_the_task_worker_names_who_pressed_yes(
    admin: Account, org: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    by = By.account(admin, Door.WEB, "198.51.100.7")
    job = jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, text=STUDENTS)], by=by)
    jobs.check_job(job)
    jobs.answer_invite(job, invite=False)
    assert jobs.start_apply(job)
    applied = one_entry(org, lambda: apply_import_job.call(job.pk, by.as_json()))
    assert (applied.action, applied.door, applied.actor_id) == (Action.APPLIED, Door.WEB, admin.pk)
    assert (applied.ip, applied.import_job_id) == ("198.51.100.7", job.pk)
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.APPLIED


def test_a_group_fix_over_thousands_of_rows_is_one_entry(admin: Account, org: Organization) -> None:
    text = "First Name,Last Name,Email,Parent Email\n" + "".join(
        f"Kid{n},Family{n},kid{n}@example.com,nobody{n}@example.com\n" for n in range(3_000)
    )
    by = By.account(admin, Door.API)
    job = jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, text=text)], by=by)
    assert jobs.check_job(job)
    flag = ImportFlag.objects.filter(job=job, code="unknown_association").first()
    assert flag is not None
    tab = flag.tab
    group = jobs.Group(flag.code, flag.column or 0)
    fixed = one_entry(org, lambda: jobs.fix_group(job, tab, group, "drop_link", by=by))
    assert (fixed.action, fixed.door, fixed.detail["rows"]) == (Action.FIXED_GROUP, Door.API, 3_000)


def test_an_entry_rolls_back_with_the_change_it_records(admin: Account, org: Organization) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record(org, Action.EDITED_USER, by=By.account(admin, Door.WEB), account=admin)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()


def test_an_entry_never_names_another_organizations_import_or_account(
    admin: Account, org: Organization, other_org: Organization, stranger: Account
) -> None:
    theirs = ImportJob.objects.create(organization=other_org)
    by = By.account(admin, Door.WEB)
    with pytest.raises(AssertionError):
        record(org, Action.RESENT, by=by, account=stranger)
    with pytest.raises(AssertionError):
        record(org, Action.APPLIED, by=by, import_job=theirs)
    assert not AuditEntry.objects.exists()
