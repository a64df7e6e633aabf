"""Picking up what lost tasks and dead workers left behind in the Invitation outbox.

Two things can be left behind (docs/invitations.md, "Never lost, never twice"):

- a `queued` invitation with no delivery task to take it: the enqueue after commit never
  ran (a crash in between), or its task died or failed. Once it has been due for
  STALLED_AFTER it is enqueued again; the claim makes a repeat harmless.
- a `sending` invitation whose worker died mid-send. The server may have accepted the
  message, so it is never sent again automatically: after STALLED_AFTER it is failed with
  that reason, shown on the user's page, and the admin can resend it at once.

`manage.py roster_sweep_invitations` sweeps every organization (run it every minute);
every delivery also sweeps its own organization first.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from roster.accounts.models import Invitation, InvitationStatus
from roster.accounts.outbox import enqueue_delivery

# Far longer than one send can take (SMTP_TIMEOUT per step), far shorter than a user waits.
STALLED_AFTER = timedelta(minutes=15)
# A repeated delivery yields to first deliveries: if its invitations were only waiting
# behind a long queue, their own task reaches them first and the repeat finds nothing.
REPEAT_PRIORITY = -10
INTERRUPTED = "delivery was interrupted; not resent automatically in case it arrived"


@dataclass(frozen=True, slots=True)
class Swept:
    interrupted: int  # sends a dead worker left, now failed
    requeued: int  # queued invitations that had no task, now enqueued again


def sweep_invitations() -> Swept:
    """Sweep every organization that has invitations left behind."""
    cutoff = timezone.now() - STALLED_AFTER
    # The one query across organizations, like the task queue's own: which have work.
    org_ids = (
        Invitation.objects.filter(_stalled(cutoff) | _overdue(cutoff))
        .values_list("organization_id", flat=True)
        .distinct()
    )
    interrupted = requeued = 0
    for org_id in list(org_ids):
        swept = sweep_organization(org_id, cutoff=cutoff)
        interrupted += swept.interrupted
        requeued += swept.requeued
    return Swept(interrupted=interrupted, requeued=requeued)


def sweep_organization(org_id: int, *, cutoff: datetime | None = None) -> Swept:
    """One organization's stalled sends failed and lost invitations enqueued again."""
    now = timezone.now()
    cutoff = cutoff or now - STALLED_AFTER
    mine = Invitation.objects.filter(organization_id=org_id)
    interrupted = mine.filter(_stalled(cutoff)).update(
        status=InvitationStatus.FAILED, error=INTERRUPTED, next_attempt_at=None
    )
    # Marking them due now is what keeps the next sweeps from enqueueing them again
    # for another STALLED_AFTER, however many sweeps run.
    mine.filter(_overdue(cutoff)).update(next_attempt_at=now)
    ids = list(
        mine.filter(status=InvitationStatus.QUEUED, next_attempt_at=now).values_list(
            "pk", flat=True
        )
    )
    enqueue_delivery(org_id, ids, priority=REPEAT_PRIORITY)
    return Swept(interrupted=interrupted, requeued=len(ids))


def _stalled(cutoff: datetime) -> Q:
    return Q(status=InvitationStatus.SENDING, claimed_at__lt=cutoff)


def _overdue(cutoff: datetime) -> Q:
    """Queued, and due since before `cutoff` (a new invitation is due when created)."""
    due_long_ago = Q(next_attempt_at__lt=cutoff) | Q(
        next_attempt_at__isnull=True, created_at__lt=cutoff
    )
    return Q(status=InvitationStatus.QUEUED) & due_long_ago
