"""Drafts: who last touched an import, and throwing away one that was never applied."""

from functools import partial

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from roster.accounts.models import Account
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.importing.jobs.revision import EDITABLE
from roster.importing.models import (
    ImportFlag,
    ImportJob,
    ImportKey,
    ImportRow,
    ImportSource,
    JobStatus,
)


def record_touch(job: ImportJob, admin: Account) -> None:
    """`admin` changed the job just now (Imports shows who last touched each import)."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(touched_by=admin, touched_at=now)
    job.touched_by, job.touched_at = admin, now


@transaction.atomic
def discard_job(job: ImportJob, admin: Account, *, by: By) -> bool:
    """Throw a draft away; False when it is not a draft (Yes was pressed meanwhile).

    The job stays, discarded, with its tabs and file names, so Imports can say what was
    discarded and by whom; nothing can edit or apply it any more (both are conditional on
    a draft's status). Its stored files go once this commits; its rows, keys and flags
    go with purge_job, which the caller runs at once or in a task (a 155,000-row draft
    takes seconds). A conditional UPDATE, so it cannot overtake Yes; it counts as a
    change, so a full check running meanwhile stores nothing (check_job).
    """
    discarded = ImportJob.objects.filter(pk=job.pk, status__in=EDITABLE).update(
        status=JobStatus.DISCARDED, check_queued_at=None, revision=F("revision") + 1
    )
    job.refresh_from_db(fields=["status", "revision"])
    if not discarded:
        return False
    record_touch(job, admin)
    record(job.organization_id, Action.DISCARDED, by=by, import_job=job, detail={"rows": job.total})
    sources = list(ImportSource.objects.filter(job=job).exclude(file=""))
    ImportSource.objects.filter(job=job).update(file="", text="")
    # A rolled-back discard keeps its file.
    transaction.on_commit(partial(_delete_files, sources))
    return True


@transaction.atomic
def purge_job(job_id: int) -> None:
    """Delete a discarded job's rows, keys and flags (nothing when it is not discarded)."""
    job = ImportJob.objects.filter(pk=job_id, status=JobStatus.DISCARDED).first()
    if job is None:
        return
    ImportKey.objects.filter(job=job).delete()
    ImportFlag.objects.filter(job=job).delete()
    _delete_rows(job)


def _delete_files(sources: list[ImportSource]) -> None:
    for source in sources:
        source.file.delete(save=False)


def _delete_rows(job: ImportJob) -> None:
    """One statement: Django's cascade would first read every row's id to find its keys
    (deleted above), which for a 100,000-row draft is 100,000 ids for nothing."""
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE organization_id = %s AND job_id = %s",  # noqa: S608
            [job.organization_id, job.pk],
        )
