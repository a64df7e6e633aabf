"""The stored import's lifecycle: create from a file or paste, check, edit, apply once."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.jobs.edit import EditError
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportTab, JobStatus
from roster.importing.sources import ReadError
from roster.orgs.models import Organization

STUDENTS = (
    "First Name,Last Name,Email,Parent Email\n"
    "Ada,Lovelace,ada@example.com,pat@example.com\n"
    "Bob,,bob@example.com,\n"
    "Cy,Young,not-an-email,\n"
)
PARENTS = "First Name\tLast Name\tEmail\nPat\tLovelace\tpat@example.com\n"


def paste(org: Organization, admin: Account, *texts: tuple[Role, str]) -> ImportJob:
    job = jobs.create_job(
        org, admin, [jobs.NewSource(role, text=text) for role, text in texts], by=SYSTEM
    )
    jobs.check_job(job)
    return job


def codes(job: ImportJob, row: int | None = None) -> set[str]:
    flags = ImportFlag.objects.filter(job=job)
    if row is not None:
        flags = flags.filter(row=row)
    return set(flags.values_list("code", flat=True))


def test_pasted_tabs_become_rows_and_flags(org: Organization, admin: Account) -> None:
    job = paste(org, admin, (Role.STUDENT, STUDENTS), (Role.PARENT, PARENTS))
    tabs = list(ImportTab.objects.filter(job=job))
    assert [(t.sheet, t.role, t.rows) for t in tabs] == [
        ("Student", "student", 3),
        ("Parent", "parent", 1),
    ]
    assert job.status == JobStatus.REVIEWING and job.checked
    assert codes(job, 3) == {"missing_required"}
    assert codes(job, 4) == {"invalid_email"}
    assert codes(job, 2) == set()
    student = tabs[0]
    assert (student.errors, student.flagged_rows) == (2, 2)
    flag = ImportFlag.objects.get(job=job, row=4)
    assert (flag.column, flag.column_label) == (2, "Email")
    assert set(
        ImportRow.objects.filter(tab=student, severity=2).values_list("number", flat=True)
    ) == {3, 4}
    assert job.preview["create"] == {"student": 1, "instructor": 0, "parent": 1}
    assert job.preview["skipped"]["student"] == 2


def test_fixing_a_cell_clears_its_flag(org: Organization, admin: Account) -> None:
    job = paste(org, admin, (Role.STUDENT, STUDENTS))
    tab = ImportTab.objects.get(job=job)
    jobs.edit_cell(job, tab, 4, 2, "cy@example.com", by=SYSTEM)
    assert not job.checked
    jobs.check_job(job)
    assert codes(job, 4) == set()
    assert ImportRow.objects.get(tab=tab, number=4).cells == ["Cy", "Young", "cy@example.com", ""]


def test_ignoring_a_required_column_flags_the_tab(org: Organization, admin: Account) -> None:
    job = paste(org, admin, (Role.STUDENT, STUDENTS))
    tab = ImportTab.objects.get(job=job)
    jobs.choose_column(job, tab, 1, None, by=SYSTEM)
    jobs.check_job(job)
    assert "unmapped_required_column" in codes(job)
    jobs.choose_column(job, tab, 1, "last_name", by=SYSTEM)
    jobs.check_job(job)
    assert "unmapped_required_column" not in codes(job)


def test_deleted_rows_are_not_imported(org: Organization, admin: Account) -> None:
    job = paste(org, admin, (Role.STUDENT, STUDENTS), (Role.PARENT, PARENTS))
    tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
    assert jobs.delete_rows(job, tab, [3, 4], by=SYSTEM) == 2
    jobs.check_job(job)
    tab.refresh_from_db()
    assert (tab.rows, tab.errors) == (1, 0)
    assert job.preview["skipped"]["student"] == 0


def test_apply_runs_once_and_records_the_summary(org: Organization, admin: Account) -> None:
    job = paste(org, admin, (Role.STUDENT, STUDENTS), (Role.PARENT, PARENTS))
    assert not jobs.start_apply(job), "the invite question is unanswered"
    jobs.answer_invite(job, invite=True)
    assert jobs.start_apply(job)
    assert not jobs.start_apply(job)
    jobs.apply_job(job.pk, by=SYSTEM)
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED
    assert job.summary["create"] == {"student": 1, "instructor": 0, "parent": 1}
    assert job.summary["invites"] == 2
    assert Account.objects.in_org(org).filter(role=Role.STUDENT).count() == 1
    jobs.apply_job(job.pk, by=SYSTEM)  # a second worker run does nothing
    assert Account.objects.in_org(org).filter(role=Role.STUDENT).count() == 1
    with pytest.raises(EditError):
        jobs.edit_cell(job, ImportTab.objects.filter(job=job).first(), 2, 0, "X", by=SYSTEM)  # type: ignore[arg-type]


def test_an_unreadable_upload_keeps_nothing(
    org: Organization, admin: Account, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("users.xlsx", b"PK\x03\x04 not really a workbook")
    with pytest.raises(ReadError):
        jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, upload=upload)], by=SYSTEM)
    assert not ImportJob.objects.exists()
    assert not any(tmp_path.rglob("*.xlsx"))


def filled_template() -> bytes:
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from roster.importing.template import template_bytes

    book = load_workbook(io.BytesIO(template_bytes()))
    book["Student"].append(["Ada", "Lovelace", "ada@example.com", "", "", "pat@example.com", ""])
    book["Parent"].append(["Pat", "Lovelace", "pat@example.com", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_tab_takes_its_role_from_its_name(
    org: Organization, admin: Account, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("users.xlsx", filled_template())
    job = jobs.create_job(org, admin, [jobs.NewSource(Role.INSTRUCTOR, upload=upload)], by=SYSTEM)
    tabs = ImportTab.objects.filter(job=job)
    assert [(t.sheet, t.role, t.rows) for t in tabs] == [
        ("Student", "student", 1),
        ("Parent", "parent", 1),
    ]
    jobs.check_job(job)
    assert codes(job) == set()


def test_stored_rows_keep_the_cells_and_what_the_file_lost(
    org: Organization, admin: Account, tmp_path: Any
) -> None:
    import xlsxwriter  # type: ignore[import-untyped]

    path = tmp_path / "kids.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Students")
    sheet.write_row(0, 0, ["First Name", "Last Name", "Email", "Phone"])
    sheet.write_row(1, 0, ["Zoë", "O'Brien “Jr”", "zoe@example.com"])
    sheet.write_number(1, 3, 12345678901234567)  # Excel keeps only 15 digits of it
    book.close()
    upload = SimpleUploadedFile("kids.xlsx", path.read_bytes())
    job = jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, upload=upload)], by=SYSTEM)
    row = ImportRow.objects.get(job=job)
    assert row.number == 2
    assert row.cells[:3] == ["Zoë", "O'Brien “Jr”", "zoe@example.com"]
    assert row.lossy == [3]
    assert (row.deleted, row.severity) == (False, 0)
