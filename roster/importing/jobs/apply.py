"""Finish → Yes: apply a reviewed job once, at once or in a task, and keep its outcome.

The accounts, links and invitations an apply writes and the job's outcome (applied, its
summary) are one transaction: a job is applied exactly when its accounts are. A worker
that dies leaves the job applying until its lease runs out (jobs/lease.py); then it is
failed, nothing having been written, and Try again (start_apply) applies it anew.
"""

from functools import partial

from django.db import DatabaseError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from roster.accounts.outbox import id_runs
from roster.audit.log import By
from roster.importing.jobs import lease
from roster.importing.jobs.tables import apply_preview, preview_tables
from roster.importing.models import ImportJob, JobStatus
from roster.importing.pipeline import Preview
from roster.importing.progress import Step
from roster.importing.summary import summary_dict
from roster.importing.undo.record import record_apply
from roster.importing.validate import PROGRESS_EVERY


def start_apply(job: ImportJob) -> bool:
    """Start an attempt at applying a reviewed (or failed) job; False when not possible.

    A conditional UPDATE: a double click, or Yes pressed in two tabs, starts it once.
    The attempt has until the queue lease ends to reach a worker.
    """
    started = (
        ImportJob.objects.filter(pk=job.pk, status__in=[JobStatus.REVIEWING, JobStatus.FAILED])
        .filter(~Q(invite=None))
        .update(
            status=JobStatus.APPLYING,
            progress=0,
            error="",
            attempt=F("attempt") + 1,
            claimed=False,
            lease_until=timezone.now() + lease.queue_lease(),
        )
    )
    job.refresh_from_db()
    return bool(started)


def preview_job(job: ImportJob) -> Preview:
    """What applying the job as it is now would do."""
    return preview_tables(job)


def apply_job(job_id: int, *, by: By) -> ImportJob:
    """Apply a job that start_apply moved to applying; it ends applied or failed.

    Nothing happens when another worker has taken the attempt already. `by` is who
    pressed Yes (a task carries it as JSON): the audit entry of the apply names them.
    """
    attempt = lease.claim(job_id)
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    if attempt is None:
        return job
    lease.pause_for_fault_test("claimed")

    def validating(rows: int) -> None:
        lease.renew(job_id, attempt, progress=rows)

    try:
        preview = preview_tables(job, progress=validating)
        lease.renew(job_id, attempt)  # planning took a while too
        _apply(job, attempt, preview, by)
    except Exception as error:  # the job must not stay "applying"; the admin sees why
        _current(job_id, attempt).update(
            status=JobStatus.FAILED, error=_reason(error), lease_until=None
        )
        raise
    job.refresh_from_db()
    return job


def _reason(error: Exception) -> str:
    if isinstance(error, DatabaseError):  # a deadlock, a lost connection: worth a retry
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return (
            f"the database refused the change ({first_line}), so nothing was changed. "
            "Press Try again to apply it."
        )
    return str(error)


def _current(job_id: int, attempt: int) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(pk=job_id, status=JobStatus.APPLYING, attempt=attempt)


def _apply(job: ImportJob, attempt: int, preview: Preview, by: By) -> None:
    """Write the accounts and the job's outcome in one transaction, if still ours to write."""
    with transaction.atomic():
        # The job's row first, then the organization's lock (apply_plan): held until the
        # commit, it tells the sweep this worker is alive however long it waits and writes.
        mine = _current(job.pk, attempt).select_for_update()
        if not list(mine.values_list("pk", flat=True)):
            return  # presumed dead and failed meanwhile; Try again starts a new attempt
        transaction.on_commit(partial(lease.pause_for_fault_test, "committed"))

        def writing(step: Step) -> None:
            if step.done:
                lease.pause_for_fault_test("inserted")

        outcome = apply_preview(job, preview, by=by, progress=writing)
        summary = summary_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
        pending = id_runs(outcome.invitation_ids)
        applied_ids = record_apply(job, outcome)  # what undo needs, in the same transaction
        mine.update(
            applied_ids=applied_ids,
            status=JobStatus.APPLIED,
            summary=summary,
            progress=job.total,
            applied_at=timezone.now(),
            lease_until=None,
            pending_delivery=pending,
        )
        lease.pause_for_fault_test("committing")
        if pending:
            # After apply_plan's own on-commit enqueue of the same invitations: from here
            # on their delivery is queued. A process dying in between leaves the ids for
            # the import sweep (roster/importing/sweep.py), which enqueues them again;
            # the claim of each invitation makes that harmless.
            transaction.on_commit(partial(_delivery_enqueued, job.pk))


def _delivery_enqueued(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(pending_delivery=[])


__all__ = ["PROGRESS_EVERY", "apply_job", "preview_job", "start_apply"]
