"""Add Multiple Users through the portal's pages: paste or upload, review, Finish, Yes."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.accounts.models import Account, Invitation, Role
from roster.importing.models import ImportFlag, ImportJob, ImportTab, JobStatus
from roster.orgs.models import Organization

STUDENTS = (
    "First Name,Last Name,Email,Parent Email\n"
    "Ada,Lovelace,ada@example.com,pat@example.com\n"
    "Alan,Turing,not-an-email,\n"
    "Grace,Hopper,grace@example.com,\n"
)
PARENTS = "First Name\tLast Name\tEmail\tStudent\nPat\tLovelace\tpat@example.com\tada@example.com\n"


def start(client: Client, **fields: Any) -> ImportJob:
    response = client.post("/o/northside/users/add-multiple/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def flag_codes(job: ImportJob) -> set[tuple[int | None, str]]:
    return set(ImportFlag.objects.filter(job=job).values_list("row", "code"))


def test_user_management_card_leads_to_add_multiple_users(admin_client: Client) -> None:
    page = admin_client.get("/o/northside/users/").content.decode()
    assert 'href="/o/northside/users/add-multiple/"' in page
    wizard = admin_client.get("/o/northside/users/add-multiple/").content.decode()
    for words in ("Student", "Instructor", "Parent", "Upload file", "Next", "Download Template"):
        assert words in wizard


def test_pasted_text_is_reviewed_with_its_flags(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    assert job.status == JobStatus.REVIEWING
    assert (3, "invalid_email") in flag_codes(job)
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    assert 'id="c-3-2"' in page and "aria-invalid" in page
    assert "Auto-invite new users upon close?" in page


def test_a_file_that_cannot_be_read_gets_one_clear_sentence(admin_client: Client) -> None:
    upload = SimpleUploadedFile("users.xlsx", b"\x00\x01garbage" * 10)
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_file": upload})
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0
    assert b"form-error" in response.content


def test_nothing_given_is_refused(admin_client: Client) -> None:
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_text": "  "})
    assert response.status_code == 400


def test_fixing_a_cell_clears_its_flag(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
    response = admin_client.post(
        f"/o/northside/imports/{job.pk}/cell/",
        {"tab": tab.position, "row": 3, "column": 2, "value": "alan@example.com"},
        headers={"X-Roster-Grid": "1"},
    )
    assert response.status_code == 200
    assert 'id="c-3-2"' in response.content.decode()
    assert (3, "invalid_email") not in flag_codes(job)


def test_ignoring_a_required_column_flags_the_tab(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    tab = ImportTab.objects.get(job=job)
    admin_client.post(
        f"/o/northside/imports/{job.pk}/column/", {"tab": tab.position, "column": 1, "field": ""}
    )
    assert (None, "unmapped_required_column") in flag_codes(job)
    admin_client.post(
        f"/o/northside/imports/{job.pk}/column/",
        {"tab": tab.position, "column": 1, "field": "last_name"},
    )
    assert (None, "unmapped_required_column") not in flag_codes(job)


def test_deleted_rows_are_not_imported(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    tab = ImportTab.objects.get(job=job)
    admin_client.post(f"/o/northside/imports/{job.pk}/delete/", {"tab": tab.position, "rows": [3]})
    assert (3, "invalid_email") not in flag_codes(job)
    job.refresh_from_db()
    assert job.total == 2


def test_finish_needs_an_answer_to_the_invite_question(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    response = admin_client.post(f"/o/northside/imports/{job.pk}/finish/", {})
    assert response.status_code == 400
    assert b"Choose Yes or No before Finish." in response.content


def test_finish_yes_applies_once_and_invites(admin_client: Client, org: Organization) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    finish = admin_client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": "yes"})
    assert finish["Location"] == f"/o/northside/imports/{job.pk}/confirm/"
    confirm = admin_client.get(finish["Location"]).content.decode()
    assert "Import summary" in confirm and 'id="yes"' in confirm
    for _ in range(2):  # a double click
        admin_client.post(f"/o/northside/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED
    assert job.summary["create"] == {"student": 2, "instructor": 0, "parent": 1}
    assert job.summary["skipped"]["student"] == 1
    assert Account.objects.in_org(org).people().count() == 3
    assert Invitation.objects.filter(organization=org).count() == 3
    result = admin_client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    assert "done" in result
    history = admin_client.get("/o/northside/imports/").content.decode()
    assert f"Import {job.pk}" in history


def test_the_issues_report_downloads(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    response = admin_client.get(f"/o/northside/imports/{job.pk}/issues.csv")
    text = response.content.decode("utf-8-sig")
    assert "invalid_email" in text
    xlsx = admin_client.get(f"/o/northside/imports/{job.pk}/issues.xlsx")
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_upload_by_file(admin_client: Client, kind: str) -> None:
    data = STUDENTS.encode()
    if kind == "xlsx":
        import xlsxwriter  # type: ignore[import-untyped]

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out)
        sheet = book.add_worksheet("Students")
        for r, line in enumerate(STUDENTS.strip().split("\n")):
            sheet.write_row(r, 0, line.split(","))
        book.close()
        data = out.getvalue()
    job = start(admin_client, student_file=SimpleUploadedFile(f"people.{kind}", data))
    assert job.total == 3
    assert (3, "invalid_email") in flag_codes(job)


def test_a_file_over_the_configured_limit_is_refused(admin_client: Client, settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 2
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_text": STUDENTS})
    assert response.status_code == 400
    assert b"form-error" in response.content
    assert ImportJob.objects.count() == 0


def test_pasted_text_longer_than_django_default_reaches_the_readers(admin_client: Client) -> None:
    notes = "n" * 250
    rows = "".join(f"Kid{i},Family{i},kid{i}@example.com,{notes}\n" for i in range(12_000))
    text = "First Name,Last Name,Email,Notes\n" + rows
    assert len(text) > 2.5 * 1024 * 1024  # Django's default cap on a form field
    job = start(admin_client, student_text=text)
    assert job.total == 12_000


def test_an_uploaded_file_over_the_row_limit_is_refused(
    admin_client: Client, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 2
    upload = SimpleUploadedFile("students.csv", STUDENTS.encode())
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_file": upload})
    assert response.status_code == 400
    assert b"form-error" in response.content
    assert ImportJob.objects.count() == 0
