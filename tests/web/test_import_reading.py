"""The paste box and the upload field on text the readers used to refuse or misread."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.importing.models import ImportJob, ImportRow, JobStatus

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
WIZARD = "/o/northside/users/add-multiple/"


def started(response: object) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]  # type: ignore[attr-defined]
    location = response["Location"]  # type: ignore[index]
    return ImportJob.objects.get(pk=int(location.rstrip("/").rsplit("/", 1)[1]))


def row_count(job: ImportJob) -> int:
    return ImportRow.objects.filter(job=job).count()


def test_pasted_rows_with_control_characters_are_reviewed_not_refused(
    admin_client: Client,
) -> None:
    text = (SAMPLES / "students-control-characters.csv").read_text()
    job = started(admin_client.post(WIZARD, {"student_text": text}))
    assert job.status == JobStatus.REVIEWING
    assert row_count(job) == 3


def test_an_uploaded_file_with_control_characters_is_reviewed_not_refused(
    admin_client: Client,
) -> None:
    data = (SAMPLES / "students-control-characters.csv").read_bytes()
    upload = SimpleUploadedFile("students.csv", data)
    job = started(admin_client.post(WIZARD, {"student_file": upload}))
    assert job.status == JobStatus.REVIEWING
    assert row_count(job) == 3
