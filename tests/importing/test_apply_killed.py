"""A real task worker killed (SIGKILL) at each stage of an apply: never stuck, applied once.

The worker process pauses where ROSTER_TEST_PAUSE_AT says (jobs/lease.py), says so in a
file, and is killed there. Then the sweep finds the job (failed when nothing was
committed, applied when the commit happened) and the admin's Try again applies it: each
row becomes one account, each new account gets one email.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from roster.accounts.models import Account, Invitation, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.jobs import lease
from roster.importing.models import ImportJob, JobStatus
from roster.importing.tasks import apply_import_job
from roster.orgs.models import Organization

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process needs the test database; SQLite's is in this process's"
        " memory (test_apply_stopped.py stops applies in-process on both databases)",
    ),
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]
STUDENTS = "First Name,Last Name,Email\n" + "".join(
    f"Kid{n},Family{n},kid{n}@example.com\n" for n in range(3)
)
PATIENCE = 30.0


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker_killed_at(stage: str, tmp_path: Path) -> None:
    """Run a worker that pauses at `stage`; kill it there with SIGKILL."""
    paused = tmp_path / "paused"
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "ROSTER_VAR_DIR": str(tmp_path),
        "ROSTER_TEST_PAUSE_AT": stage,
        "ROSTER_TEST_PAUSE_FILE": str(paused),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
        + ["--no-startup-delay", "--queue-name", "*", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while not paused.exists():
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            assert time.monotonic() < deadline, f"the worker never reached {stage}"
            time.sleep(0.02)
    finally:
        worker.kill()
        worker.wait()
    assert paused.read_text() == stage


def _swept_until_settled(job: ImportJob) -> None:
    """Sweep (past the lease) until PostgreSQL has ended the dead worker's transaction."""
    deadline = time.monotonic() + PATIENCE
    while True:
        with time_machine.travel(timezone.now() + lease.lease() + timedelta(minutes=2)):
            call_command("roster_sweep_imports", verbosity=0)
        job.refresh_from_db()
        if job.status != JobStatus.APPLYING:
            return
        assert time.monotonic() < deadline, "the job stayed applying"
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("stage", "committed"),
    [
        ("claimed", False),  # before any write
        ("inserted", False),  # the accounts inserted, the transaction open
        ("committing", False),  # everything written, the outcome too, not yet committed
        ("committed", True),  # committed; the emails' enqueue not yet done
    ],
)
def test_a_worker_killed_while_applying_leaves_one_result(
    stage: str, committed: bool, org: Organization, admin: Account, tmp_path: Path, mailoutbox: Any
) -> None:
    job = jobs.create_job(org, admin, [jobs.NewSource(Role.STUDENT, text=STUDENTS)], by=SYSTEM)
    jobs.check_job(job)
    jobs.answer_invite(job, invite=True)
    assert jobs.start_apply(job)
    apply_import_job.enqueue(job.pk, SYSTEM.as_json())

    _worker_killed_at(stage, tmp_path)
    _swept_until_settled(job)

    if committed:
        assert job.status == JobStatus.APPLIED and job.summary["create"]["student"] == 3
        assert job.summary["invites"] == 3 and job.pending_delivery == []  # re-enqueued
    else:
        assert job.status == JobStatus.FAILED and job.error == lease.STOPPED
        assert Account.objects.in_org(org).people().count() == 0
        assert jobs.start_apply(job)  # Try again
        apply_import_job.enqueue(job.pk, SYSTEM.as_json())
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, queue_name="*"
    )

    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and job.summary["create"]["student"] == 3
    assert Account.objects.in_org(org).people().count() == 3
    assert Invitation.objects.in_org(org).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"kid{n}@example.com" for n in range(3)]
