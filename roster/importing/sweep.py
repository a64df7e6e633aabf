"""Picking up what dead workers left of imports (run every minute, like the invitations').

- An import applying past its lease lost its worker (jobs/lease.py): it is failed, having
  written nothing, and the admin's Try again applies it anew.
- An import whose background check was queued longer ago than STALE_QUEUE and never
  finished (its worker died mid-check): queued again, so its review page does not say
  "Checking your import" for ever. A check that was only slow runs twice, harmlessly:
  flags are stored only for the revision they were computed for.
- An applied import whose invitations' delivery may never have been enqueued (the process
  died between the commit and the enqueue): enqueued now, a minute after, instead of the
  invitation sweep's quarter of an hour. A repeat is harmless: each send claims its
  invitation first.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from roster.accounts.outbox import enqueue_delivery, ids_of
from roster.importing.jobs.lease import abandoned_jobs, fail_if_abandoned
from roster.importing.models import ImportJob, JobStatus
from roster.importing.tasks import STALE_QUEUE, queue_check

# On-commit enqueues run right after the commit: a minute later they have, or never will.
DELIVERY_GRACE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SweptImports:
    failed: int  # applying imports whose worker died, now failed (to be retried)
    deliveries: int  # applied imports whose invitations' delivery was enqueued again
    checks: int = 0  # background checks that never finished, queued again


def sweep_imports() -> SweptImports:
    # Across organizations, like the task queue's own look for work: which have any.
    failed = sum(fail_if_abandoned(job) for job in abandoned_jobs())
    stale_checks = ImportJob.objects.filter(
        status__in=[JobStatus.UPLOADED, JobStatus.REVIEWING],
        check_queued_at__lt=timezone.now() - STALE_QUEUE,
    )
    checks = 0
    for job in list(stale_checks):
        checks += queue_check(job)
    cutoff = timezone.now() - DELIVERY_GRACE
    waiting = (
        ImportJob.objects.filter(status=JobStatus.APPLIED, applied_at__lt=cutoff)
        .exclude(pending_delivery=[])
        .values_list("pk", "organization_id", "pending_delivery")
    )
    deliveries = 0
    for job_id, org_id, runs in list(waiting):
        enqueue_delivery(org_id, ids_of(runs))
        deliveries += ImportJob.objects.filter(pk=job_id).update(pending_delivery=[])
    return SweptImports(failed=failed, deliveries=deliveries, checks=checks)
