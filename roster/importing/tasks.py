"""Background doors for imports: a job id in, one lifecycle call inside."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from roster.audit.log import By
from roster.importing import jobs
from roster.importing.models import ImportJob

# Checks and applies run on a queue of their own, served by their own workers
# (docs/operations.md): a big one takes minutes, and activation emails and the other small
# tasks, on the default queue, must never wait behind it.
QUEUE = "imports"
ATTEMPTS = 3  # full checks in a row before the task makes way for others and comes back
STALE_QUEUE = timedelta(minutes=10)


def queue_check(job: ImportJob) -> bool:
    """Queue a full check of a big job unless one is queued already (and alive)."""
    fresh = Q(check_queued_at__gte=timezone.now() - STALE_QUEUE)
    claimed = (
        ImportJob.objects.filter(pk=job.pk).exclude(fresh).update(check_queued_at=timezone.now())
    )
    if claimed:
        job_id = job.pk
        transaction.on_commit(lambda: check_import_job.enqueue(job_id))
    return bool(claimed)


@task(queue_name=QUEUE)
def check_import_job(job_id: int) -> None:
    """Check until the flags and summary describe the job as it is; edits may go on meanwhile."""
    for _ in range(ATTEMPTS):
        job = ImportJob.objects.select_related("organization").filter(pk=job_id).first()
        if job is None or not job.editable or job.checked or jobs.check_job(job):
            ImportJob.objects.filter(pk=job_id).update(check_queued_at=None)
            return
    check_import_job.enqueue(job_id)  # the admin is still editing: again, after the others


@task(queue_name=QUEUE)
def apply_import_job(job_id: int, by: dict[str, Any]) -> str:
    """`by`: By.as_json() of who pressed Yes, for the audit log."""
    return str(jobs.apply_job(job_id, by=By.from_json(by)).status)


@task(queue_name=QUEUE)
def purge_import_job(job_id: int) -> None:
    """The rows, keys and flags of a big discarded draft."""
    jobs.purge_job(job_id)
