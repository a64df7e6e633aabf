"""Picking up what dead workers left of imports (run every minute, like the invitations').

- An import applying past its lease lost its worker (jobs/lease.py): it is failed, having
  written nothing, and the admin's Try again applies it anew.
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

# On-commit enqueues run right after the commit: a minute later they have, or never will.
DELIVERY_GRACE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SweptImports:
    failed: int  # applying imports whose worker died, now failed (to be retried)
    deliveries: int  # applied imports whose invitations' delivery was enqueued again


def sweep_imports() -> SweptImports:
    failed = sum(fail_if_abandoned(job) for job in abandoned_jobs())
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
    return SweptImports(failed=failed, deliveries=deliveries)
