"""An apply whose process dies: the job never stays "applying"; it is retried, applied once.

tests/importing/test_apply_killed.py kills a real worker process (PostgreSQL); these
stop an apply inside the test process, on both databases.
"""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account, Invitation, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.jobs import lease
from roster.importing.jobs.lease import STOPPED
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization

STUDENTS = "First Name,Last Name,Email\n" + "".join(
    f"Kid{n},Family{n},kid{n}@example.com\n" for n in range(3)
)


class ProcessKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, no handler sees it."""


def _reviewed(client: Client) -> ImportJob:
    response = client.post("/o/northside/users/add-multiple/", {"student_text": STUDENTS})
    job_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(f"/o/northside/imports/{job_id}/finish/", {"invite": "yes"})
    return ImportJob.objects.get(pk=job_id)


def _later() -> Any:
    return time_machine.travel(timezone.now() + lease.lease() + timedelta(seconds=1), tick=False)


def test_an_in_request_apply_whose_worker_dies_is_shown_failed_then_retried_once(
    admin_client: Client, org: Organization, monkeypatch: Any
) -> None:
    job = _reviewed(admin_client)
    with monkeypatch.context() as patched:
        patched.setattr(
            "roster.importing.jobs.apply.apply_preview",
            lambda *args, **kwargs: (_ for _ in ()).throw(ProcessKilled()),
        )
        with pytest.raises(ProcessKilled):
            admin_client.post(f"/o/northside/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert (job.status, job.claimed) == (JobStatus.APPLYING, True)
    page = admin_client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    assert "applying…" in page  # its lease still runs: it may be alive
    assert "Activation emails" not in page and "invited" not in page

    with _later():
        admin_client.get("/o/northside/imports/")  # any view of the job looks
        job.refresh_from_db()
        assert (job.status, job.error) == (JobStatus.FAILED, STOPPED)
        assert admin_client.get(f"/o/northside/imports/{job.pk}/progress/").json()["status"] == (
            "failed"
        )
        page = admin_client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    assert "not applied" in page and "Nothing was changed" in page and 'id="retry"' in page
    assert "Activation emails" not in page
    assert Account.objects.in_org(org).people().count() == 0

    admin_client.post(f"/o/northside/imports/{job.pk}/apply/")  # Try again
    admin_client.post(f"/o/northside/imports/{job.pk}/apply/")  # … pressed twice
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and job.summary["create"]["student"] == 3
    assert Account.objects.in_org(org).people().count() == 3
    assert Invitation.objects.in_org(org).count() == 3
    page = admin_client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    assert "Activation emails were queued for 3 new users." in page


def test_a_worker_presumed_dead_cannot_record_over_its_successor(
    admin_client: Client, org: Organization, monkeypatch: Any
) -> None:
    job = _reviewed(admin_client)
    assert jobs.start_apply(job)
    first = lease.claim(job.pk)
    assert first is not None and lease.claim(job.pk) is None  # one worker per attempt
    with _later():
        call_command("roster_sweep_imports", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, STOPPED)

    assert jobs.start_apply(job)  # Try again: a second attempt
    from roster.importing.jobs.apply import _apply
    from roster.importing.jobs.tables import preview_tables

    _apply(job, first, preview_tables(job), SYSTEM)  # the first worker wakes up: writes nothing
    assert Account.objects.in_org(org).people().count() == 0
    jobs.apply_job(job.pk, by=SYSTEM)
    job.refresh_from_db()
    assert (job.status, job.attempt) == (JobStatus.APPLIED, 2)
    assert Account.objects.in_org(org).people().count() == 3


def test_the_outcome_is_written_with_the_accounts_or_not_at_all(
    admin_client: Client, org: Organization, monkeypatch: Any
) -> None:
    job = _reviewed(admin_client)
    monkeypatch.setattr(
        "roster.importing.jobs.apply.summary_dict",
        lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("disk full")),
    )
    admin_client.post(f"/o/northside/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "disk full")
    assert Account.objects.in_org(org).people().count() == 0
    assert Invitation.objects.in_org(org).count() == 0


def test_an_apply_no_worker_ever_takes_fails_after_the_queue_lease(
    admin_client: Client, org: Organization
) -> None:
    job = _reviewed(admin_client)
    assert jobs.start_apply(job)  # queued for a worker that never comes
    with time_machine.travel(timezone.now() + lease.lease() + timedelta(seconds=1)):
        call_command("roster_sweep_imports", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.APPLYING  # a queue may be long: it still waits
    with time_machine.travel(timezone.now() + lease.queue_lease() + timedelta(seconds=1)):
        call_command("roster_sweep_imports", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_the_sweep_enqueues_the_emails_of_an_import_that_died_after_its_commit(
    org: Organization, admin: Account, monkeypatch: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    job = jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, text=STUDENTS)], by=SYSTEM)
    jobs.check_job(job)
    jobs.answer_invite(job, invite=True)
    assert jobs.start_apply(job)
    jobs.apply_job(job.pk, by=SYSTEM)  # the test's transaction never commits: no on-commit enqueue
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and job.pending_delivery
    deliveries = DBTaskResult.objects.filter(task_path__endswith="deliver_invitations")
    call_command("roster_sweep_imports", verbosity=0)
    assert deliveries.count() == 0  # within the grace: its own enqueue may still come
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        call_command("roster_sweep_imports", verbosity=0)
    [task] = deliveries
    assert sorted(task.args_kwargs["args"][1]) == sorted(
        Invitation.objects.in_org(org).values_list("pk", flat=True)
    )
    job.refresh_from_db()
    assert job.pending_delivery == []


def test_a_database_error_while_applying_says_so_and_offers_a_retry(
    admin_client: Client, org: Organization, monkeypatch: Any
) -> None:
    from django.db import OperationalError

    job = _reviewed(admin_client)
    monkeypatch.setattr(
        "roster.importing.jobs.apply.summary_dict",
        lambda *args, **kwargs: (_ for _ in ()).throw(
            OperationalError("deadlock detected\nDETAIL:  Process 7 waits for ShareLock")
        ),
    )
    admin_client.post(f"/o/northside/imports/{job.pk}/apply/")
    page = admin_client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    assert "the database refused the change (deadlock detected)" in page
    assert "migrate" not in page and "DETAIL" not in page and 'id="retry"' in page
