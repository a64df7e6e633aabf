"""An applied import through the web door, and the follow-up's moving parts."""

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account, Status
from roster.importing.models import ImportJob, JobStatus
from tests.web.test_import_wizard import start

STUDENTS = (
    "First Name,Last Name,Email,Username,Parent Email\n"
    "Ann,Lee,ann@example.com,,\n"
    "Bob,Ray,bob@example.com,,\n"
    "Kid,Lee,,kid.lee,mum@example.com\n"
)
PARENTS = "First Name,Last Name,Email,Student\nMum,Lee,mum@example.com,kid.lee\n"
LINK_DAYS = timedelta(days=8)  # past ACTIVATION_LINK_DAYS (7)


def applied_import(
    client: Client, students: str = STUDENTS, parents: str = PARENTS, invite: str = "yes"
) -> ImportJob:
    job = start(client, student_text=students, parent_text=parents)
    client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": invite})
    client.get(f"/o/northside/imports/{job.pk}/confirm/")
    client.post(f"/o/northside/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED, job.error
    return job


def result_page(client: Client, job: ImportJob, query: str = "") -> str:
    response = client.get(f"/o/northside/imports/{job.pk}/result/{query}")
    assert response.status_code == 200
    return response.content.decode()


def remind_key(page: str) -> str:
    match = re.search(r'name="key" value="([0-9a-f]{32})"', page)
    assert match, "no Remind form on the page"
    return match.group(1)


def press_remind(client: Client, job: ImportJob, key: str) -> Any:
    return client.post(f"/o/northside/imports/{job.pk}/remind/", {"key": key})


def activate(account: Account) -> None:
    Account.objects.filter(pk=account.pk).update(status=Status.ACTIVE, activated_at=timezone.now())
