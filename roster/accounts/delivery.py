"""Delivering activation emails from the Invitation outbox: never twice, never lost.

Recording an invitation happens in the same transaction as the change that causes it;
delivery is a task enqueued on commit. A worker claims each invitation with a conditional
UPDATE (queued → sending), sends it, and marks it sent. A failed send goes back to queued
with a back-off, and is retried by a task deferred to that time. An invitation left in
`sending` by a worker that died is not resent automatically — the server may already have
accepted it — but marked failed with that reason, visible to the admin, who can resend.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from smtplib import SMTPException

from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus, Status
from roster.orgs.models import Organization

logger = logging.getLogger(__name__)

RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
STALLED_AFTER = timedelta(minutes=15)
BATCH = 200


def record_invitations(org: Organization, accounts: Iterable[Account]) -> list[int]:
    """Queue one activation email per account (call inside the writing transaction).

    Accounts that are active or deactivated, have no email, or already have one queued
    are skipped. Delivery starts when the transaction commits.
    """
    candidates = [
        a.pk for a in accounts if a.email and a.status in (Status.PENDING, Status.INVITED)
    ]
    pending = set(
        Invitation.objects.in_org(org)
        .filter(
            account_id__in=candidates,
            status__in=[InvitationStatus.QUEUED, InvitationStatus.SENDING],
        )
        .values_list("account_id", flat=True)
    )
    new = Invitation.objects.bulk_create(
        Invitation(organization=org, account_id=pk) for pk in candidates if pk not in pending
    )
    ids = [invitation.pk for invitation in new]
    transaction.on_commit(lambda: enqueue_delivery(ids))
    return ids


def enqueue_delivery(ids: list[int]) -> None:
    from roster.accounts.tasks import deliver_invitations

    for start in range(0, len(ids), BATCH):
        deliver_invitations.enqueue(ids[start : start + BATCH])


def deliver(ids: list[int]) -> dict[str, int]:
    """Send the queued invitations among `ids` over one connection; returns counts."""
    from roster.accounts.emails import activation_email

    mark_stalled()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    mailer = mailers.default
    with mailer:
        for invitation_id in ids:
            invitation = _claim(invitation_id)
            if invitation is None:
                counts["skipped"] += 1
                continue
            if invitation.account.status in (Status.ACTIVE, Status.DEACTIVATED):
                _finish(
                    invitation,
                    InvitationStatus.FAILED,
                    "not sent: the account is already active or deactivated",
                )
                counts["skipped"] += 1
                continue
            try:
                mailer.send_messages([activation_email(invitation)])
            except (SMTPException, OSError) as error:
                counts["retry" if _release(invitation, error) else "failed"] += 1
                continue
            _mark_sent(invitation)
            counts["sent"] += 1
    return counts


def _claim(invitation_id: int) -> Invitation | None:
    claimed = Invitation.objects.filter(pk=invitation_id, status=InvitationStatus.QUEUED).update(
        status=InvitationStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None  # already sent, or another worker has it
    return Invitation.objects.select_related("account__organization").get(pk=invitation_id)


@transaction.atomic
def _mark_sent(invitation: Invitation) -> None:
    _finish(invitation, InvitationStatus.SENT, "")
    Account.objects.filter(pk=invitation.account_id, status=Status.PENDING).update(
        status=Status.INVITED
    )


def _finish(invitation: Invitation, status: InvitationStatus, error: str) -> None:
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENDING).update(
        status=status, sent_at=now if status == InvitationStatus.SENT else None, error=error
    )


def _release(invitation: Invitation, error: Exception) -> bool:
    """Back to queued with a back-off (True), or failed after the last attempt (False)."""
    from roster.accounts.tasks import deliver_invitations

    reason = f"{type(error).__name__}: {error}"[:500]
    logger.warning("activation email %s not delivered: %s", invitation.pk, reason)
    if invitation.attempts > len(RETRY_AFTER):
        _finish(invitation, InvitationStatus.FAILED, reason)
        return False
    when = timezone.now() + RETRY_AFTER[invitation.attempts - 1]
    Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENDING).update(
        status=InvitationStatus.QUEUED, next_attempt_at=when, error=reason
    )
    deliver_invitations.using(run_after=when).enqueue([invitation.pk])
    return True


def mark_stalled() -> int:
    """Invitations a dead worker left in `sending`: failed, with the reason, never resent."""
    return Invitation.objects.filter(
        status=InvitationStatus.SENDING, claimed_at__lt=timezone.now() - STALLED_AFTER
    ).update(
        status=InvitationStatus.FAILED,
        error="delivery was interrupted; not resent automatically in case it arrived",
    )
