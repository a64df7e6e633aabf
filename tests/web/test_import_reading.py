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


def test_a_colon_delimited_upload_is_read_as_columns(admin_client: Client) -> None:
    data = (SAMPLES / "students-colon-delimited.txt").read_bytes()
    job = started(admin_client.post(WIZARD, {"student_file": SimpleUploadedFile("s.txt", data)}))
    assert job.status == JobStatus.REVIEWING
    assert job.tabs.get().header == ["First Name", "Last Name", "Email", "Phone"]


def test_an_unclear_delimiter_is_one_sentence_on_the_page(admin_client: Client) -> None:
    text = "First Name/Last Name/Email\nAnn/Lee/ann@example.com\nBo/Ng/bo@example.com\n"
    response = admin_client.post(WIZARD, {"student_text": text})
    assert response.status_code == 400
    assert "The columns seem to be separated by" in response.content.decode()
