"""The Invitation outbox's bookkeeping: queueing deliveries and recording how attempts end.

Every change of an invitation's status is a conditional UPDATE on the status it is
expected to have, so a worker, a retry, the sweep and a resend never undo each other.
"""

import logging
import operator
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone

from roster.accounts.models import Invitation, InvitationStatus

logger = logging.getLogger(__name__)

# The wait before each next attempt; after the last one, an invitation is failed.
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
BATCH = 200  # invitations per delivery task, all sent over one SMTP connection
# Past this many batches, one task enqueues them from a worker: a big import's commit is
# not held up enqueueing hundreds of tasks one by one (each is a row in the task queue).
FAN_OUT_AFTER = 10


def enqueue_delivery(
    org_id: int, ids: Sequence[int], *, run_after: datetime | None = None, priority: int = 0
) -> None:
    """One delivery task per BATCH invitations of one organization, perhaps via a fan-out."""
    # Imported here: the task module imports the delivery code that calls this.
    from roster.accounts.tasks import fan_out_delivery

    if len(ids) > BATCH * FAN_OUT_AFTER:
        task = fan_out_delivery.using(run_after=run_after, priority=priority)
        task.enqueue(org_id, id_runs(ids), priority)
        return
    enqueue_batches(org_id, ids, run_after=run_after, priority=priority)


def enqueue_batches(
    org_id: int, ids: Sequence[int], *, run_after: datetime | None = None, priority: int = 0
) -> None:
    from roster.accounts.tasks import deliver_invitations

    task = deliver_invitations.using(run_after=run_after, priority=priority)
    for start in range(0, len(ids), BATCH):
        task.enqueue(org_id, list(ids[start : start + BATCH]))


def id_runs(ids: Sequence[int]) -> list[list[int]]:
    """Ids as [first, last] runs of consecutive ids: a big import's ids take a few bytes."""
    runs: list[list[int]] = []
    # An INSERT returns its ids in order: then there is no sorted copy to make.
    ordered = all(map(operator.lt, ids, islice(ids, 1, None)))
    for value in ids if ordered else sorted(ids):
        if runs and value == runs[-1][1] + 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return runs


def ids_of(runs: Sequence[Sequence[int]]) -> list[int]:
    return [value for first, last in runs for value in range(first, last + 1)]


def reason_of(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def refused(invitation: Invitation, error: BaseException) -> str:
    """The server refused a claimed invitation: nothing arrived, so it may be tried again.

    Returns "retry" or "failed" (after the last attempt).
    """
    rows = Invitation.objects.filter(
        organization_id=invitation.organization_id,
        pk=invitation.pk,
        status=InvitationStatus.SENDING,
        attempts=invitation.attempts,
    )
    logger.warning("activation email %s refused: %s", invitation.pk, reason_of(error))
    # The claim already counted this attempt.
    outcome, _ = _after_attempt(
        invitation.organization_id, [invitation.pk], rows, error, attempts=invitation.attempts
    )
    return outcome


def unreachable(invitations: Sequence[Invitation], error: BaseException) -> Counter[str]:
    """The server could not be reached: none was handed over, and each attempt counts.

    One UPDATE per distinct attempt count (a delivery's invitations usually share one),
    never one per invitation. Returns how many will be retried and how many failed.
    """
    by_attempts: dict[tuple[int, int], list[int]] = defaultdict(list)
    for invitation in invitations:
        by_attempts[invitation.organization_id, invitation.attempts].append(invitation.pk)
    if by_attempts:
        logger.warning("%d activation emails not sent: %s", len(invitations), reason_of(error))
    outcomes: Counter[str] = Counter()
    for (org_id, attempts), ids in by_attempts.items():
        rows = Invitation.objects.filter(
            organization_id=org_id, pk__in=ids, status=InvitationStatus.QUEUED, attempts=attempts
        )
        outcome, count = _after_attempt(org_id, ids, rows, error, attempts=attempts + 1)
        outcomes[outcome] += count
    return outcomes


def _after_attempt(
    org_id: int,
    ids: list[int],
    rows: QuerySet[Invitation],
    error: BaseException,
    *,
    attempts: int,
) -> tuple[str, int]:
    """Queue `rows` again after their back-off, or fail them after the last attempt."""
    reason = reason_of(error)
    if attempts > len(RETRY_AFTER):
        return "failed", rows.update(
            status=InvitationStatus.FAILED, attempts=attempts, error=reason, next_attempt_at=None
        )
    when = timezone.now() + RETRY_AFTER[attempts - 1]
    count = rows.update(
        status=InvitationStatus.QUEUED, attempts=attempts, error=reason, next_attempt_at=when
    )
    enqueue_delivery(org_id, ids, run_after=when)
    return "retry", count


def finish(invitation: Invitation, status: InvitationStatus, error: str = "") -> int:
    """End a claimed invitation: sent, or failed for good."""
    now = timezone.now()
    return Invitation.objects.filter(
        organization_id=invitation.organization_id,
        pk=invitation.pk,
        status=InvitationStatus.SENDING,
    ).update(
        status=status,
        sent_at=now if status == InvitationStatus.SENT else None,
        error=error,
        next_attempt_at=None,
    )
