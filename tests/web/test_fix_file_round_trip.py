"""The review's fix file through the web door: download the rows to fix, correct them in
a spreadsheet, upload them back; those rows are replaced, every other edit kept (issue 12)."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from roster.accounts.models import Account
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.fix_file import FixRow, FixTab, write_fix_file
from roster.importing.models import ImportJob, ImportRow
from roster.orgs.models import Organization
from tests.web.test_import_wizard import PARENTS, STUDENTS, flag_codes, start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(job: ImportJob, number: int) -> list[str]:
    return list(ImportRow.objects.get(job=job, tab__role="student", number=number).cells)


def _download(client: Client, job: ImportJob, query: str = "") -> Any:
    response = client.get(f"/o/northside/imports/{job.pk}/fix-rows.xlsx{query}")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def _upload(client: Client, job: ImportJob, data: bytes, name: str = "fixed.xlsx") -> str:
    response = client.post(
        f"/o/northside/imports/{job.pk}/fix-rows/",
        {"fix_file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def _saved(book: Any) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_rows_to_fix_come_with_their_flags(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    book = _download(admin_client, job)
    assert book.sheetnames == ["Student", "Parent"]
    sheet = book["Student"]
    assert [cell.value for cell in sheet[1]] == [
        "Roster row",
        "First Name",
        "Last Name",
        "Email",
        "Parent Email",
        "What to fix",
    ]
    assert sheet.max_row == 2  # only Alan's row needs attention
    assert sheet["A2"].value == "3" and sheet["D2"].value == "not-an-email"
    assert "Email:" in sheet["F2"].value and sheet["D2"].comment is not None
    every = _download(admin_client, job, "?rows=all")["Student"]
    assert [every.cell(row, 1).value for row in range(2, every.max_row + 1)] == ["2", "3", "4"]


def test_a_fixed_file_replaces_its_rows_and_keeps_every_other_edit(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    assert (3, "invalid_email") in flag_codes(job)
    book = _download(admin_client, job)
    edit = {"tab": 0, "row": 4, "column": 0, "value": "Gracie"}  # an edit made meanwhile
    assert admin_client.post(f"/o/northside/imports/{job.pk}/cell/", edit).status_code == 302
    book["Student"]["D2"] = "alan@example.com"
    page = _upload(admin_client, job, _saved(book))
    assert "1 row replaced from the fixed file" in page
    assert _cells(job, 3) == ["Alan", "Turing", "alan@example.com", ""]
    assert _cells(job, 4)[0] == "Gracie"
    codes = {code for _, code in flag_codes(job)}
    assert "invalid_email" not in codes and "unknown_column" not in codes
    assert ImportJob.objects.get(pk=job.pk).flags_current


def test_a_file_that_is_not_this_reviews_fix_file_changes_nothing(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    revision = ImportJob.objects.get(pk=job.pk).revision
    page = _upload(admin_client, job, STUDENTS.encode(), name="Student.csv")
    assert "Nothing was changed" in page and "Roster row" in page
    assert ImportJob.objects.get(pk=job.pk).revision == revision
    assert _cells(job, 3)[2] == "not-an-email"


def test_a_row_deleted_since_the_download_is_not_brought_back(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    book = _download(admin_client, job)
    data = {"tab": 0, "rows": [3]}
    assert admin_client.post(f"/o/northside/imports/{job.pk}/delete/", data).status_code == 302
    book["Student"]["D2"] = "alan@example.com"
    page = _upload(admin_client, job, _saved(book))
    assert "1 not brought back" in page
    assert ImportRow.objects.get(job=job, tab__role="student", number=3).deleted


def test_a_value_longer_than_a_spreadsheet_cell_survives_the_round_trip(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    long = "L" * 40_000  # Excel's cells hold 32,767 characters
    edit = {"tab": 0, "row": 3, "column": 1, "value": long}
    assert admin_client.post(f"/o/northside/imports/{job.pk}/cell/", edit).status_code == 302
    book = _download(admin_client, job)
    assert len(book["Student"]["C2"].value) == 32_767
    book["Student"]["D2"] = "alan@example.com"
    _upload(admin_client, job, _saved(book))
    assert _cells(job, 3)[1:3] == [long, "alan@example.com"]


def test_a_tab_whose_role_is_not_chosen_is_neither_sent_nor_taken(
    admin_client: Client, admin: Account, org: Organization, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    text = b"Given,Family,Contact\nAnn,Lee,ann@example.com\n"
    upload = SimpleUploadedFile("export.csv", text)
    job = jobs.create_job(org, admin, [jobs.NewSource(role=None, upload=upload)], by=SYSTEM)
    assert jobs.undecided_tabs(job)
    assert "export.csv" not in _download(admin_client, job, "?rows=all").sheetnames
    stream = io.BytesIO()
    rows = [FixRow(2, ["Ann", "Lee", "ann@example.com"])]
    write_fix_file([FixTab("export.csv", ["Given", "Family", "Contact"], rows)], stream)
    page = _upload(admin_client, job, stream.getvalue())
    assert "Choose whom tab “export.csv” lists" in page and "Nothing was changed" in page


def test_a_fixed_file_is_one_step_that_undo_takes_back_and_redo_puts_again(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    before = _cells(job, 3)
    book = _download(admin_client, job)
    book["Student"]["D2"] = "alan@example.com"
    _upload(admin_client, job, _saved(book))
    assert jobs.next_steps(job).undo is not None
    assert "fix file" in str(jobs.next_steps(job).undo)
    assert admin_client.post(f"/o/northside/imports/{job.pk}/undo/", {"tab": 0}).status_code == 302
    assert _cells(job, 3) == before
    assert (3, "invalid_email") in flag_codes(job)
    assert admin_client.post(f"/o/northside/imports/{job.pk}/redo/", {"tab": 0}).status_code == 302
    assert _cells(job, 3) == ["Alan", "Turing", "alan@example.com", ""]
    assert (3, "invalid_email") not in flag_codes(job)
