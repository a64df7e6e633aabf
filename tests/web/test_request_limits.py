"""Request bodies: a few MB for anyone, the import limit only for an admin adding users.

A body over its caller's limit is refused from its Content-Length, before anything reads
it (issue 11, finding 3: a 250 MB POST to a login page was read whole before its 403).
"""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.audit.log import By
from roster.importing import jobs
from roster.importing.models import ImportJob, ImportSource
from roster.orgs.models import Organization
from tests.conftest import make_account

MB = 1024 * 1024
ADD_USERS = "/o/northside/users/add-multiple/"


class CountingInput:
    """A request body of `size` bytes that is only produced as it is read, counting them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.read_bytes
        wanted = left if size is None or size < 0 else min(size, left)
        self.read_bytes += wanted
        return b"a" * wanted

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def post_unread(client: Client, url: str, size: int, content_type: str) -> tuple[int, int]:
    """POST a body announced as `size` bytes; returns (status, bytes the server read)."""
    body = CountingInput(size)
    environ: dict[str, Any] = {"wsgi.input": body, "CONTENT_LENGTH": str(size)}
    response = client.generic("POST", url, CONTENT_TYPE=content_type, **environ)
    return response.status_code, body.read_bytes


FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=xyz"


@pytest.mark.parametrize("content_type", [FORM, MULTIPART])
def test_an_anonymous_250_mb_post_is_refused_unread(org: Organization, content_type: str) -> None:
    client = Client(enforce_csrf_checks=True)  # the wrong-token case: CSRF would read the form
    for url in ("/o/northside/login/", ADD_USERS, "/admin/login/", "/no/such/page/"):
        status, read = post_unread(client, url, 250 * MB, content_type)
        assert (status, read) == (413, 0), url


def test_the_refusal_says_what_may_be_sent(org: Organization) -> None:
    response = Client().generic(
        "POST", "/o/northside/login/", CONTENT_TYPE=FORM, CONTENT_LENGTH=str(50 * MB)
    )
    assert response.status_code == 413
    assert b"up to 3 MB here" in response.content


@pytest.mark.parametrize("role", [Role.STUDENT, Role.INSTRUCTOR, Role.PARENT])
def test_a_member_who_is_not_an_admin_cannot_send_a_large_body(
    org: Organization, role: Role
) -> None:
    client = Client()
    client.force_login(make_account(org, role, f"{role}@example.com", status=Status.ACTIVE))
    assert post_unread(client, ADD_USERS, 250 * MB, MULTIPART) == (413, 0)


def test_another_organizations_admin_cannot_send_a_large_body(
    org: Organization, stranger: Account
) -> None:
    client = Client()
    client.force_login(stranger)
    assert post_unread(client, ADD_USERS, 250 * MB, MULTIPART) == (413, 0)


def test_an_admin_may_send_a_large_body_only_to_add_users(admin_client: Client) -> None:
    assert post_unread(admin_client, "/o/northside/users/new/", 250 * MB, FORM) == (413, 0)


def test_an_admins_body_over_the_import_limit_is_refused_unread(
    admin_client: Client, settings: Any
) -> None:
    settings.IMPORT_MAX_UPLOAD_MB = 1
    assert post_unread(admin_client, ADD_USERS, 5 * MB, MULTIPART) == (413, 0)
    response = admin_client.post(ADD_USERS, {"student_text": "x" * (5 * MB)})
    assert response.status_code == 413
    assert b"up to 1 MB on the Add Multiple Users page" in response.content
    assert ImportJob.objects.count() == 0


def _students(rows: int) -> str:
    notes = "n" * 250
    lines = "".join(f"Kid{i},Family{i},kid{i}@example.com,{notes}\n" for i in range(rows))
    return "First Name,Last Name,Email,Notes\n" + lines


def test_an_admins_large_upload_is_streamed_to_disk(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _students(16_000)
    assert len(text) > 4 * MB  # over REQUEST_MAX_BODY_MB (3)
    given: list[jobs.NewSource] = []
    create_job = jobs.create_job

    def spy(
        org: Organization, admin: Account, sources: list[jobs.NewSource], *, by: By
    ) -> ImportJob:
        given.extend(sources)
        return create_job(org, admin, sources, by=by)

    monkeypatch.setattr(jobs, "create_job", spy)
    upload = SimpleUploadedFile("students.csv", text.encode())
    response = admin_client.post(ADD_USERS, {"student_file": upload, "parent_text": "  "})
    assert response.status_code == 302, response.content[:500]
    assert isinstance(given[0].upload, TemporaryUploadedFile)
    assert ImportJob.objects.get().total == 16_000


def test_an_admins_large_paste_keeps_every_character(admin_client: Client) -> None:
    text = _students(12_000).replace("Kid", "Zoë")  # some of them across a 64 KB chunk
    response = admin_client.post(ADD_USERS, {"student_text": text})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.total == 12_000
    assert ImportSource.objects.get(job=job).text == text


def test_an_import_form_with_thousands_of_fields_is_refused(
    admin_client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, settings.DATA_UPLOAD_MAX_NUMBER_FILES = 10, 5
    fields = {f"x{n}": "1" for n in range(20)} | {"student_text": _students(3)}
    assert admin_client.post(ADD_USERS, fields).status_code == 400
    assert ImportJob.objects.count() == 0
