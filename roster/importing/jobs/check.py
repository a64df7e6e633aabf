"""Validate a job's rows with the engine and store its flags on tabs, rows and cells.

The full check: every row, every flag replaced, the preview summary refreshed. After it,
edits re-check only the rows they can affect (jobs/recheck.py).
"""

from django.db import transaction

from roster.importing.jobs.flags import flag_of, mark_rows
from roster.importing.jobs.keys import KeyCollector
from roster.importing.jobs.outcomes import store_outcomes
from roster.importing.jobs.revision import EDITABLE
from roster.importing.jobs.tables import job_tabs, preview_tables
from roster.importing.models import ImportFlag, ImportJob, JobStatus
from roster.importing.summary import summary_dict

# Up to this many rows, a check runs inside the request that caused it; above, in a task.
SYNC_ROWS = 5000


def checks_at_once(job: ImportJob) -> bool:
    return job.total <= SYNC_ROWS


def check_job(job: ImportJob) -> bool:
    """Flag the job's rows as they are now; the flags of an older revision are replaced.

    The rows are read and checked outside any transaction (seconds, at 100,000 rows), so
    the job may change meanwhile. Then nothing is stored and False is returned: flags
    computed for an older revision must not pass for current ones; the caller checks
    again (a change leaves the job unchecked, so the task or the Finish step does).
    """
    revision, flagged = ImportJob.objects.values_list("revision", "flagged_revision").get(pk=job.pk)
    tabs = job_tabs(job)
    # Stored keys describe the same revision as the stored flags: when those are current,
    # so are the keys, and rewriting hundreds of thousands of them would change nothing.
    keys = None if flagged == revision else KeyCollector(tabs)
    preview = preview_tables(job, seen=keys)
    summary = summary_dict(preview.plan, invitations=len(preview.plan.invitations()))
    flags = [flag_of(job, tabs, issue) for issue in preview.plan.issues]
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().filter(pk=job.pk)
        if locked.values_list("revision", flat=True).get() != revision:
            job.refresh_from_db()
            return False
        ImportFlag.objects.filter(job=job).delete()
        ImportFlag.objects.bulk_create(flags, batch_size=2000)
        for tab in tabs:
            mark_rows(tab, [flag for flag in flags if flag.tab_id == tab.pk])
        store_outcomes(job, tabs, preview.plan)
        if keys is not None:
            keys.store(job)
        locked.filter(status__in=EDITABLE).update(
            status=JobStatus.REVIEWING,
            preview=summary,
            checked_revision=revision,
            flagged_revision=revision,
        )
    job.refresh_from_db()
    return True
