"""A background check whose worker died is queued again by the import sweep."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roster.importing.models import ImportJob
from roster.importing.tasks import STALE_QUEUE

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = "First Name,Last Name,Email\n" + "".join(
    f"Kid{i},Family{i},kid{i}@example.com\n" for i in range(30)
)


def test_a_check_that_never_finished_is_queued_again(
    admin_client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr("roster.importing.jobs.check.SYNC_ROWS", 10)  # 30 rows: a task
    admin_client.post("/o/northside/users/add-multiple/", {"student_text": ROWS})
    job = ImportJob.objects.get()
    checks = DBTaskResult.objects.filter(task_path__endswith="check_import_job")
    checks.update(status="RUNNING")  # a worker took it, then was killed
    call_command("roster_sweep_imports", verbosity=0)
    assert checks.count() == 1  # it may still be running
    with time_machine.travel(timezone.now() + STALE_QUEUE + timedelta(minutes=1)):
        call_command("roster_sweep_imports", verbosity=0)
    assert checks.filter(status="READY").count() == 1
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, queue_name="*"
    )
    job.refresh_from_db()
    assert job.checked and job.check_queued_at is None
