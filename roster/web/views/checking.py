"""When the engine checks a job: inside the request for small imports, in a task for big ones."""

from django.db import transaction

from roster.importing import jobs
from roster.importing.models import ImportJob
from roster.importing.tasks import apply_import_job, check_import_job


def check_or_enqueue(job: ImportJob) -> None:
    """Bring the job's flags and summary up to date, now or soon (a worker's task)."""
    if job.checked:
        return
    if jobs.checks_at_once(job):
        jobs.check_job(job)
    else:
        job_id = job.pk
        transaction.on_commit(lambda: check_import_job.enqueue(job_id))


def apply_or_enqueue(job: ImportJob) -> None:
    """Apply a job that start_apply moved to applying: small ones at once, big ones in a task."""
    if jobs.checks_at_once(job):
        jobs.apply_job(job.pk)
        job.refresh_from_db()
    else:
        job_id = job.pk
        transaction.on_commit(lambda: apply_import_job.enqueue(job_id))
