"""Validate a job's rows with the engine and store its flags on tabs, rows and cells."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import batched

from django.db import transaction

from roster.importing.issues import Issue
from roster.importing.issues import Severity as IssueSeverity
from roster.importing.jobs.tables import preview_tables
from roster.importing.models import (
    ImportFlag,
    ImportJob,
    ImportRow,
    ImportTab,
    JobStatus,
    Severity,
)
from roster.importing.summary import summary_dict

# Up to this many rows, a check runs inside the request that caused it; above, in a task.
SYNC_ROWS = 5000
BATCH = 900
_EDITABLE = [
    JobStatus.UPLOADED,
    JobStatus.REVIEWING,
]  # ids per UPDATE … WHERE number IN (…): under SQLite's parameter limit


def checks_at_once(job: ImportJob) -> bool:
    return job.total <= SYNC_ROWS


def check_job(job: ImportJob) -> None:
    """Flag the job's rows as they are now; the flags of an older revision are replaced."""
    revision = ImportJob.objects.values_list("revision", flat=True).get(pk=job.pk)
    preview = preview_tables(job)
    summary = summary_dict(preview.plan, invitations=len(preview.plan.invitations()))
    tabs = list(ImportTab.objects.filter(job=job))
    flags = [_flag(job, tabs, issue) for issue in preview.plan.issues]
    with transaction.atomic():
        ImportFlag.objects.filter(job=job).delete()
        ImportFlag.objects.bulk_create(flags, batch_size=2000)
        for tab in tabs:
            _mark_rows(tab, [flag for flag in flags if flag.tab_id == tab.pk])
        ImportJob.objects.filter(pk=job.pk, status__in=_EDITABLE).update(
            status=JobStatus.REVIEWING, preview=summary, checked_revision=revision
        )
    job.refresh_from_db()


def _flag(job: ImportJob, tabs: list[ImportTab], issue: Issue) -> ImportFlag:
    tab = _tab_of(tabs, issue)
    column = tab.header.index(issue.column) if issue.column in tab.header else -1
    return ImportFlag(
        organization_id=job.organization_id,
        job=job,
        tab=tab,
        row=issue.row,
        column=column,
        column_label=issue.column or "",
        code=issue.code.value,
        severity=Severity.ERROR if issue.severity is IssueSeverity.ERROR else Severity.WARNING,
        message=issue.message,
    )


def _tab_of(tabs: list[ImportTab], issue: Issue) -> ImportTab:
    for tab in tabs:
        if tab.sheet == issue.sheet and (tab.file_name or None) == issue.file:
            return tab
    # Rows with a role column of their own: the engine names the role's tab.
    return next((tab for tab in tabs if tab.sheet == issue.sheet), tabs[0])


def _mark_rows(tab: ImportTab, flags: Iterable[ImportFlag]) -> None:
    worst: dict[int, int] = defaultdict(int)
    counts: Counter[int] = Counter()
    for flag in flags:
        counts[flag.severity] += 1
        if flag.row is not None:
            worst[flag.row] = max(worst[flag.row], flag.severity)
    ImportRow.objects.filter(tab=tab, severity__gt=0).update(severity=Severity.NONE)
    for severity in (Severity.WARNING, Severity.ERROR):
        numbers = [number for number, found in worst.items() if found == severity]
        for batch in batched(numbers, BATCH, strict=False):
            ImportRow.objects.filter(tab=tab, number__in=batch).update(severity=severity)
    ImportTab.objects.filter(pk=tab.pk).update(
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        flagged_rows=len(worst),
        rows=ImportRow.objects.filter(tab=tab, deleted=False).count(),
    )
