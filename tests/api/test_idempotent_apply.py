"""Apply with an Idempotency-Key: a repeat applies nothing and gets the first answer; many
repeats at once (threads, PostgreSQL) apply once."""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from roster.accounts.models import Account, Role
from roster.api.models import IdempotencyKey
from roster.importing.models import ImportJob
from roster.orgs.models import Organization
from tests.api.conftest import Api

STUDENTS = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nAlan,Turing,al@example.com\n"
PATIENCE = 60.0


def _import(api: Api) -> int:
    upload = SimpleUploadedFile("kids.csv", STUDENTS.encode())
    response = api.upload("/imports", {"student": upload})
    assert response.status_code == 201
    job_id: int = response.json()["id"]
    return job_id


def _apply(api: Api, job_id: int, key: str) -> Any:
    return api.post(f"/imports/{job_id}/apply", {"invite": True}, {"Idempotency-Key": key})


def test_a_repeat_gets_the_first_answer_and_applies_nothing(
    api: Api, org: Organization, mailoutbox: list[Any]
) -> None:
    job_id = _import(api)
    first = _apply(api, job_id, "nightly-2026-12-06")
    again = _apply(api, job_id, "nightly-2026-12-06")
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert ImportJob.objects.get(pk=job_id).attempt == 1
    assert Account.objects.in_org(org).filter(role=Role.STUDENT).count() == 2


def test_a_key_is_one_import_s(api: Api) -> None:
    first, second = _import(api), _import(api)
    assert _apply(api, first, "k").status_code == 202
    reused = _apply(api, second, "k")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def test_the_key_is_required(api: Api) -> None:
    job_id = _import(api)
    response = api.post(f"/imports/{job_id}/apply", {"invite": True})
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
    assert ImportJob.objects.get(pk=job_id).attempt == 0


def test_a_key_whose_call_never_answered_is_freed_after_the_lease(
    api: Api, org: Organization
) -> None:
    job_id = _import(api)
    job = ImportJob.objects.get(pk=job_id)
    IdempotencyKey.objects.create(organization=org, key="k", job=job)  # its process died
    waiting = _apply(api, job_id, "k")
    assert waiting.status_code == 409 and waiting.json()["code"] == "request_in_progress"
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert _apply(api, job_id, "k").json()["code"] == "request_in_progress"
        assert _apply(api, job_id, "k").status_code == 202
    assert ImportJob.objects.get(pk=job_id).status == "applied"


def test_a_refused_apply_forgets_its_key(api: Api) -> None:
    upload = SimpleUploadedFile("export.csv", STUDENTS.encode())  # whom it lists is unclear
    job_id = api.upload("/imports", {"file": upload}).json()["id"]
    assert _apply(api, job_id, "k").json()["code"] == "unclear_role"
    api.post(f"/imports/{job_id}/role", {"tab": 0, "role": "student"})
    assert _apply(api, job_id, "k").status_code == 202


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time: the calls cannot overlap there",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [True, False])
def test_repeats_at_once_apply_once(
    api_for: Callable[..., Api], org: Organization, same_key: bool
) -> None:
    api = api_for()
    job_id = _import(api)
    start = threading.Barrier(6)
    answers: list[Any] = []

    def call(number: int) -> None:
        try:
            start.wait()
            answers.append(_apply(api, job_id, "same" if same_key else f"key-{number}"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(n,), daemon=True) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    assert len(answers) == 6
    job = ImportJob.objects.get(pk=job_id)
    assert (job.status, job.attempt) == ("applied", 1)
    assert Account.objects.in_org(org).filter(role=Role.STUDENT).count() == 2
    done = [answer for answer in answers if answer.status_code == 202]
    assert done
    if same_key:
        others = [answer.json()["code"] for answer in answers if answer.status_code != 202]
        assert set(others) <= {"request_in_progress"}
        assert all(answer.json() == done[0].json() for answer in done)
        assert IdempotencyKey.objects.filter(organization=org).count() == 1
    else:  # each key: the import's state, or "no longer changes" if it was applying then
        others = [answer.json()["code"] for answer in answers if answer.status_code != 202]
        assert set(others) <= {"refused_change"}
