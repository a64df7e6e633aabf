"""Finish → Yes: apply a reviewed job once, at once or in a task, and keep its outcome."""

from django.db.models import Q
from django.utils import timezone

from roster.importing.jobs.tables import apply_preview, preview_tables
from roster.importing.models import ImportJob, JobStatus
from roster.importing.pipeline import Preview
from roster.importing.summary import summary_dict
from roster.importing.validate import PROGRESS_EVERY


def start_apply(job: ImportJob) -> bool:
    """Move the job from reviewing to applying; False when it was not (already) reviewing.

    A conditional UPDATE: a double click, or Yes pressed in two tabs, starts it once.
    """
    started = (
        ImportJob.objects.filter(pk=job.pk, status=JobStatus.REVIEWING)
        .filter(~Q(invite=None))
        .update(status=JobStatus.APPLYING, progress=0)
    )
    job.refresh_from_db()
    return bool(started)


def preview_job(job: ImportJob) -> Preview:
    """What applying the job as it is now would do."""
    return preview_tables(job)


def apply_job(job_id: int) -> ImportJob:
    """Apply a job that start_apply moved to applying; it ends applied or failed."""
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    if job.status != JobStatus.APPLYING:
        return job

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=rows)

    try:
        outcome = apply_preview(job, preview_tables(job, progress=progress))
    except Exception as error:  # the job must not stay "applying"; the admin sees why
        ImportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=str(error))
        raise
    summary = summary_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.APPLIED,
        summary=summary,
        progress=job.total,
        applied_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


__all__ = ["PROGRESS_EVERY", "apply_job", "preview_job", "start_apply"]
