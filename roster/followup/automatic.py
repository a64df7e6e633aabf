"""Automatic reminders, for organizations that turned them on (off by default).

`manage.py roster_sweep_reminders` (cron, like the other sweeps) enqueues one task per
such organization; the task worker runs `remind_due`, which makes one automatic round per
import per day: the people of the import who were emailed before, have had no email for
the organization's `remind_after_days`, and were reminded automatically fewer than
`remind_at_most` times. Each round is a `remind_import` with the key
"auto:<import>:<day>", so two workers (or two sweeps) running at once send it once.
"""

from datetime import timedelta

from django.utils import timezone

from roster.accounts.models import Account
from roster.audit.log import SYSTEM
from roster.followup.people import WAITING
from roster.followup.remind import Due, remind_import
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization


def sweep_reminders() -> int:
    """Enqueue the automatic reminders of every organization that wants them."""
    from roster.followup.tasks import remind_due_people

    org_ids = list(
        Organization.objects.active().filter(auto_remind=True).values_list("pk", flat=True)
    )
    for org_id in org_ids:
        remind_due_people.enqueue(org_id)
    return len(org_ids)


def remind_due(org_id: int) -> int:
    """One automatic round for each import of the organization with someone to remind.

    Returns how many reminders were queued.
    """
    org = Organization.objects.active().filter(pk=org_id, auto_remind=True).first()
    if org is None:
        return 0
    due = Due(after=timedelta(days=org.remind_after_days), at_most=org.remind_at_most)
    day = timezone.localdate().isoformat()
    # Imports with someone who has not activated: a username-only student waiting for a
    # parent is pending until set up, so their imports are among these too.
    job_ids = (
        Account.objects.in_org(org)
        .filter(created_by_import__isnull=False, status__in=WAITING)
        .values_list("created_by_import", flat=True)
        .distinct()
    )
    jobs = ImportJob.objects.in_org(org).filter(pk__in=job_ids, status=JobStatus.APPLIED)
    queued = 0
    for job in jobs.order_by("pk"):
        reminded = remind_import(org, job, key=f"auto:{job.pk}:{day}", by=SYSTEM, due=due)
        queued += 0 if reminded.repeated else reminded.reminded
    return queued
