"""Drafts: Imports lists files, state and who last touched each; a draft can be discarded
(rows, flags and stored file gone) and then neither changes nor applies (issue 12)."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.importing.models import (
    ImportFlag,
    ImportJob,
    ImportKey,
    ImportRow,
    ImportSource,
    JobStatus,
)
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.web.test_import_in_background import run_worker
from tests.web.test_import_wizard import STUDENTS, start


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client: Client, name: str = "autumn-students.csv") -> ImportJob:
    return start(client, student_file=SimpleUploadedFile(name, STUDENTS.encode()))


def _imports_page(client: Client) -> str:
    response = client.get("/o/northside/imports/")
    assert response.status_code == 200
    return response.content.decode()


def test_imports_shows_files_state_and_who_last_touched(
    admin_client: Client, org: Organization, media: Path
) -> None:
    job = _upload(admin_client)
    colleague = make_account(org, Role.ADMIN, "kim@northside.example", status=Status.ACTIVE)
    colleague.first_name, colleague.last_name = "Kim", "Colleague"
    colleague.save()
    other = Client()
    other.force_login(colleague)
    data = {"tab": 0, "row": 3, "column": 2, "value": "alan@example.com"}
    assert other.post(f"/o/northside/imports/{job.pk}/cell/", data).status_code == 302
    page = _imports_page(admin_client)
    assert "autumn-students.csv" in page
    assert "In review" in page
    assert "Kim Colleague" in page
    assert f'href="/o/northside/imports/{job.pk}/discard/"' in page


def test_a_refused_change_does_not_count_as_a_touch(
    admin_client: Client, admin: Account, media: Path
) -> None:
    job = _upload(admin_client)
    before = ImportJob.objects.get(pk=job.pk).touched_at
    data = {"tab": 0, "row": 99, "column": 0, "value": "Zed"}
    assert admin_client.post(f"/o/northside/imports/{job.pk}/cell/", data).status_code == 409
    assert ImportJob.objects.get(pk=job.pk).touched_at == before


def test_discard_asks_first_then_deletes_rows_flags_and_the_stored_file(
    admin_client: Client, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _upload(admin_client)
    stored = Path(ImportSource.objects.get(job=job).file.path)
    assert stored.exists() and ImportFlag.objects.filter(job=job).exists()
    confirm = admin_client.get(f"/o/northside/imports/{job.pk}/discard/")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.REVIEWING  # a GET asks only

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/o/northside/imports/{job.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == "/o/northside/imports/"
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.DISCARDED
    assert not ImportRow.objects.filter(job=job).exists()
    assert not ImportFlag.objects.filter(job=job).exists()
    assert not ImportKey.objects.filter(job=job).exists()
    assert not stored.exists()
    assert ImportSource.objects.get(job=job).file_name == "autumn-students.csv"
    page = _imports_page(admin_client)
    assert "Discarded" in page and "autumn-students.csv" in page
    assert "was discarded" in page  # the banner after the redirect


def test_a_discarded_import_can_neither_change_nor_be_applied(
    admin_client: Client, media: Path
) -> None:
    job = _upload(admin_client)
    admin_client.post(f"/o/northside/imports/{job.pk}/invite/", {"invite": "no"})
    admin_client.post(f"/o/northside/imports/{job.pk}/discard/")
    base = f"/o/northside/imports/{job.pk}"
    review = admin_client.get(f"{base}/")
    assert review.status_code == 410 and "was discarded" in review.content.decode()
    assert admin_client.get(f"{base}/confirm/").status_code == 410
    for action, data in [
        ("cell", {"tab": 0, "row": 2, "column": 0, "value": "Zed"}),
        ("column", {"tab": 0, "column": 0, "field": ""}),
        ("delete", {"tab": 0, "rows": [2]}),
        ("finish", {"invite": "no"}),
        ("apply", {}),
        ("discard", {}),
    ]:
        response = admin_client.post(f"{base}/{action}/", data)
        assert response.status_code == 409, action
        assert "discarded" in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.DISCARDED
    assert Account.objects.filter(role=Role.STUDENT).count() == 0


def test_an_applied_import_cannot_be_discarded(admin_client: Client, media: Path) -> None:
    job = _upload(admin_client)
    base = f"/o/northside/imports/{job.pk}"
    admin_client.post(f"{base}/finish/", {"invite": "no"})
    admin_client.post(f"{base}/apply/")
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.APPLIED
    assert admin_client.post(f"{base}/discard/").status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.APPLIED
    assert ImportRow.objects.filter(job=job).exists()
    assert f"{base}/discard/" not in _imports_page(admin_client)


def test_another_organizations_draft_is_not_found(
    admin_client: Client, stranger: Account, media: Path
) -> None:
    job = _upload(admin_client)
    client = Client()
    client.force_login(stranger)
    response = client.post(f"/o/southside/imports/{job.pk}/discard/")
    assert response.status_code == 404
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.REVIEWING


@pytest.mark.django_db(transaction=True)
def test_a_big_drafts_rows_are_deleted_by_the_worker(
    admin_client: Client, media: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr("roster.importing.jobs.check.SYNC_ROWS", 2)  # 3 rows count as big
    job = _upload(admin_client)
    admin_client.post(f"/o/northside/imports/{job.pk}/discard/")
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.DISCARDED
    assert ImportRow.objects.filter(job=job).exists()  # until the worker has run
    run_worker()
    assert not ImportRow.objects.filter(job=job).exists()
