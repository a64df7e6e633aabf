"""Who is applying a job, and whether they are still alive (docs/operations.md).

An applying job carries a lease: `start_apply` gives it time to reach a worker, the worker
that claims it renews it as it validates, and holds the job's row locked while it writes
(PostgreSQL releases that lock the moment the worker's connection dies). A job still
applying past its lease, its row not locked, lost its worker: it is failed, nothing
having been written (the apply is one transaction, which records its outcome too), and
the admin retries it with one click. The sweep (`manage.py roster_sweep_imports`) and
every view of the job look.
"""

import os
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from roster.importing.models import ImportJob, JobStatus

STOPPED = (
    "the import stopped before it finished (the process applying it ended), so nothing "
    "was changed. Press Try again to apply it."
)


def lease() -> timedelta:
    return timedelta(seconds=settings.IMPORT_APPLY_LEASE_SECONDS)


def queue_lease() -> timedelta:
    return timedelta(seconds=settings.IMPORT_APPLY_QUEUE_SECONDS)


def claim(job_id: int) -> int | None:
    """Take an applying job's current attempt if no worker has; its number, or None."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.APPLYING, claimed=False).update(
        claimed=True, lease_until=timezone.now() + lease()
    )
    if not claimed:
        return None
    return int(ImportJob.objects.values_list("attempt", flat=True).get(pk=job_id))


def renew(job_id: int, attempt: int, **fields: object) -> None:
    """The worker is alive: push its lease on (and store `fields`, e.g. progress)."""
    ImportJob.objects.filter(pk=job_id, status=JobStatus.APPLYING, attempt=attempt).update(
        lease_until=timezone.now() + lease(), **fields
    )


def fail_if_abandoned(job: ImportJob) -> bool:
    """Fail `job` when it is applying with no live worker; True when it did.

    One conditional UPDATE on the job's row, which a live apply holds locked while it
    writes: on PostgreSQL that row is skipped, on SQLite the UPDATE waits for the writer
    and then finds the job no longer applying (or gives up: the writer is alive).
    """
    now = timezone.now()
    if job.status != JobStatus.APPLYING or (job.lease_until and job.lease_until >= now):
        return False
    try:
        with transaction.atomic():
            abandoned = ImportJob.objects.select_for_update(skip_locked=True).filter(
                Q(lease_until__isnull=True) | Q(lease_until__lt=now),
                pk=job.pk,
                status=JobStatus.APPLYING,
            )
            if not list(abandoned.values_list("pk", flat=True)):
                return False
            failed = abandoned.update(status=JobStatus.FAILED, error=STOPPED, lease_until=None)
    except OperationalError:  # SQLite: a writer kept the database locked, so it is alive
        return False
    job.refresh_from_db()
    return bool(failed)


def abandoned_jobs() -> list[ImportJob]:
    """Applying jobs past their lease, across organizations (the sweep's one look)."""
    overdue = Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now())
    return list(ImportJob.objects.filter(overdue, status=JobStatus.APPLYING))


def pause_for_fault_test(stage: str) -> None:
    """Test-only: with ROSTER_TEST_PAUSE_AT naming `stage`, say so and wait to be killed.

    tests/importing/test_apply_killed.py kills a real worker here, at each stage of an
    apply. Unset (always, outside those tests) this costs one dictionary look-up.
    """
    if os.environ.get("ROSTER_TEST_PAUSE_AT") != stage:
        return
    Path(os.environ["ROSTER_TEST_PAUSE_FILE"]).write_text(stage)
    while True:
        time.sleep(0.05)
