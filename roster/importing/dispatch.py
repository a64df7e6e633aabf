"""When the engine checks, applies or purges a job: at once for small imports, in a task for
big ones. Shared by the doors that drive a stored import (the web review, the API)."""

import logging

from django.db import transaction

from roster.audit.log import By
from roster.importing import jobs
from roster.importing.models import ImportJob
from roster.importing.tasks import apply_import_job, purge_import_job, queue_check

log = logging.getLogger(__name__)


def refresh_flags(job: ImportJob) -> None:
    """After a change the edit could not re-check by itself (a new mapping, a big change)."""
    if not job.flags_current:
        _check(job)


def refresh_summary(job: ImportJob) -> None:
    """Before the confirmation: the summary of what Yes will do must be current too."""
    if not job.checked:
        _check(job)


def _check(job: ImportJob) -> None:
    if not jobs.checks_at_once(job):
        queue_check(job)
        return
    for _ in range(3):  # another request may change the job while it is checked
        if jobs.check_job(job):
            return


def apply_or_enqueue(job: ImportJob, by: By) -> None:
    """Apply a job that start_apply moved to applying: small ones at once, big ones in a task."""
    if jobs.checks_at_once(job):
        try:
            jobs.apply_job(job.pk, by=by)
        except Exception:  # apply_job marked the job failed with its reason; the page shows it
            log.exception("import %s failed", job.pk)
        job.refresh_from_db()
    else:
        job_id = job.pk
        carried = by.as_json()
        transaction.on_commit(lambda: apply_import_job.enqueue(job_id, carried))


def purge_or_enqueue(job: ImportJob) -> None:
    """A discarded draft's rows: small ones at once, big ones in a task (seconds of deletes)."""
    if jobs.checks_at_once(job):
        jobs.purge_job(job.pk)
    else:
        job_id = job.pk
        transaction.on_commit(lambda: purge_import_job.enqueue(job_id))
