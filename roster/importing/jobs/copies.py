"""Copy an import into a new draft: its tabs, mappings and rows as they were reviewed.

An undone import cannot be applied again (its state says so); its copy is a new review
that starts from the same rows, checked afresh against the organization as it is now.
"""

from django.db import connection, transaction
from django.utils import timezone

from roster.accounts.models import Account
from roster.importing.models import ImportJob, ImportRow, ImportSource, ImportTab, JobStatus


def can_copy(job: ImportJob) -> bool:
    """The job's rows are stored (a web import): the command line keeps only its summary."""
    return (
        job.status in (JobStatus.APPLIED, JobStatus.UNDONE, JobStatus.FAILED)
        and ImportRow.objects.filter(organization_id=job.organization_id, job=job).exists()
    )


@transaction.atomic
def copy_job(job: ImportJob, admin: Account) -> ImportJob:
    """A new draft with `job`'s sources (names only), tabs and rows; one statement per tab."""
    now = timezone.now()
    copy = ImportJob.objects.create(
        organization_id=job.organization_id,
        created_by=admin,
        touched_by=admin,
        touched_at=now,
        status=JobStatus.REVIEWING,
        invite=job.invite,
        total=job.total,
        notes=[*job.notes, f"Copied from import {job.pk}."],
        bundle_issues=job.bundle_issues,  # its link files come along as they were
    )
    sources = {}
    for source in ImportSource.objects.filter(job=job).order_by("pk"):
        sources[source.pk] = ImportSource.objects.create(
            organization_id=job.organization_id,
            job=copy,
            kind=source.kind,
            role=source.role,
            file_name=source.file_name,
        )
    for tab in ImportTab.objects.filter(job=job).order_by("position"):
        old = tab.pk
        tab.pk = None
        tab.job = copy
        tab.source = sources[tab.source_id]
        tab.save()
        _copy_rows(job.organization_id, old, copy.pk, tab.pk)
    return copy


def _copy_rows(org_id: int, from_tab: int, job_id: int, tab_id: int) -> None:
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, job_id, tab_id, number, cells, lossy,"  # noqa: S608
            " deleted, severity, outcome) SELECT organization_id, %s, %s, number, cells, lossy,"
            f" deleted, 0, outcome FROM {table} WHERE organization_id = %s AND tab_id = %s",
            [job_id, tab_id, org_id, from_tab],
        )
