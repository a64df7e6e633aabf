"""Delivering activation emails from the Invitation outbox: never twice, never lost.

Recording an invitation happens in the same transaction as the change that causes it;
delivery is a task enqueued on commit. A worker claims each invitation with a conditional
UPDATE (queued → sending) just before handing it to the mail server, and marks it sent
once the server has accepted it. What happens when that goes wrong:

- the server cannot be reached: nothing was handed over; every invitation of the delivery
  has had a failed attempt and is queued again with a back-off (roster.accounts.outbox);
- the server refuses one message: that one is queued again with a back-off (and, if the
  server closes the connection with a 421, the rest of the delivery too);
- one message cannot be sent at all (an address the server cannot be given, such as a
  non-ASCII local part): that one is failed with the reason, and the rest go on;
- the connection breaks before a message's DATA was sent: it did not arrive, so it is
  queued again with a back-off, and so is the rest of the delivery;
- the connection breaks once a message's DATA was sent, or the worker dies while
  sending: the server may have accepted it, so it is failed, shown, and never resent
  automatically (roster.accounts.sweep for the dead worker); the rest is queued again.
"""

from collections import Counter
from collections.abc import Iterable
from functools import partial
from smtplib import SMTPRecipientsRefused, SMTPResponseException

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus, Status
from roster.accounts.outbox import enqueue_delivery, finish, reason_of, refused, unreachable
from roster.accounts.sweep import sweep_organization
from roster.orgs.models import Organization

# The server answered "no" to these: it did not take the message, so trying again is safe.
REFUSALS = (SMTPResponseException, SMTPRecipientsRefused)
CUT_OFF = "the connection broke while sending; not resent automatically in case it arrived"
NOT_SENT = "not sent: this message cannot be delivered to this address"


def record_invitations(
    org: Organization, accounts: Iterable[Account], *, replace_queued: bool = False
) -> list[int]:
    """Queue one activation email per account (call inside the writing transaction).

    Accounts that are active or deactivated or have no email are skipped, and so are those
    with an email already on its way — unless `replace_queued` (a resend): then one still
    waiting in the queue is cancelled and replaced. One being sent is never replaced.
    Delivery starts when the transaction commits.
    """
    candidates = [
        a.pk for a in accounts if a.email and a.status in (Status.PENDING, Status.INVITED)
    ]
    pending = Invitation.objects.in_org(org).filter(
        account_id__in=candidates, status__in=[InvitationStatus.QUEUED, InvitationStatus.SENDING]
    )
    if replace_queued:
        # Conditional: one a worker claimed meanwhile stays, and its account is skipped.
        pending.filter(status=InvitationStatus.QUEUED).update(
            status=InvitationStatus.CANCELLED, next_attempt_at=None
        )
    busy = set(pending.values_list("account_id", flat=True))
    new = Invitation.objects.bulk_create(
        Invitation(organization=org, account_id=pk) for pk in candidates if pk not in busy
    )
    ids = [invitation.pk for invitation in new]
    transaction.on_commit(partial(enqueue_delivery, org.pk, ids))
    return ids


def deliver(org_id: int, ids: list[int]) -> dict[str, int]:
    """Send the due queued invitations among `ids` over one connection; returns counts."""
    sweep_organization(org_id)
    invitations = list(
        Invitation.objects.filter(organization_id=org_id, pk__in=ids)
        .due(timezone.now())
        .select_related("account__organization")
        .order_by("pk")
    )
    counts: Counter[str] = Counter(sent=0, retry=0, failed=0)
    counts["skipped"] = len(ids) - len(invitations)  # already sent, cancelled, or not due
    if not invitations:
        return dict(counts)
    mailer = mailers.default
    try:
        mailer.open()
    except OSError as error:  # smtplib's errors are OSErrors too
        counts.update(unreachable(invitations, error))
        return dict(counts)
    try:
        _send_each(mailer, invitations, counts)
    finally:
        mailer.close()
    return dict(counts)


def _send_each(
    mailer: BaseEmailBackend, invitations: list[Invitation], counts: Counter[str]
) -> None:
    from roster.accounts.emails import activation_email

    for position, invitation in enumerate(invitations):
        account = invitation.account
        if account.status not in (Status.PENDING, Status.INVITED) or not account.email:
            counts["skipped"] += 1
            _cancel(invitation, "not sent: the account is active or deactivated, or has no email")
            continue
        if not _claim(invitation):
            counts["skipped"] += 1  # another worker has it, or a resend replaced it
            continue
        data = _DataWatch(mailer)
        try:
            mailer.send_messages([activation_email(invitation)])
        except REFUSALS as error:
            counts[refused(invitation, error)] += 1
            if _closing(error):  # nothing more can go over this connection
                counts.update(unreachable(invitations[position + 1 :], error))
                return
            continue
        except OSError as error:
            if data.may_have_arrived:  # the server may have accepted it: never twice
                counts["failed"] += _fail(invitation, CUT_OFF, error)
            else:  # it never left: safe to try again
                counts[refused(invitation, error)] += 1
            counts.update(unreachable(invitations[position + 1 :], error))
            return
        except Exception as error:  # this message could not be made or addressed
            if data.sent:  # … or so it seemed, once on its way: as if the line broke
                counts["failed"] += _fail(invitation, CUT_OFF, error)
                counts.update(unreachable(invitations[position + 1 :], error))
                return
            counts["failed"] += _fail(invitation, NOT_SENT, error)
            if not data.reset():  # the connection is gone: the rest are tried again later
                counts.update(unreachable(invitations[position + 1 :], error))
                return
            continue
        _mark_sent(invitation)
        counts["sent"] += 1


def _fail(invitation: Invitation, why: str, error: BaseException) -> int:
    return finish(invitation, InvitationStatus.FAILED, f"{why} ({reason_of(error)})")


class _DataWatch:
    """Whether a message's DATA went to the SMTP server (after which it may have arrived).

    Watches smtplib's `data()` on the mailer's open connection. A mailer that is not
    SMTP cannot be watched: a broken connection there may have delivered the message.
    """

    def __init__(self, mailer: BaseEmailBackend) -> None:
        self.connection = getattr(mailer, "connection", None)
        self.sent = False
        self.watched = self.connection is not None and hasattr(self.connection, "data")
        if not self.watched:
            return
        assert self.connection is not None
        original = type(self.connection).data.__get__(self.connection)

        def data(message: object) -> object:
            self.sent = True
            return original(message)

        self.connection.data = data

    @property
    def may_have_arrived(self) -> bool:
        return self.sent or not self.watched

    def reset(self) -> bool:
        """Back to a clean SMTP transaction after a message that went no further."""
        if self.connection is None or not hasattr(self.connection, "rset"):
            return True
        try:
            self.connection.rset()
        except OSError:
            return False
        return True


def _closing(error: OSError) -> bool:
    """A 421 reply: the server is closing the connection (and smtplib closes its side)."""
    if isinstance(error, SMTPRecipientsRefused):
        return any(code == 421 for code, _ in error.recipients.values())
    return isinstance(error, SMTPResponseException) and error.smtp_code == 421


def _claim(invitation: Invitation) -> bool:
    """Take the invitation if nothing touched it since it was read; counts the attempt."""
    now = timezone.now()
    claimed = Invitation.objects.filter(
        organization_id=invitation.organization_id,
        pk=invitation.pk,
        status=InvitationStatus.QUEUED,
        attempts=invitation.attempts,
    ).update(status=InvitationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    invitation.status, invitation.claimed_at = InvitationStatus.SENDING, now
    invitation.attempts += 1
    return True


def _cancel(invitation: Invitation, reason: str) -> None:
    Invitation.objects.filter(
        organization_id=invitation.organization_id,
        pk=invitation.pk,
        status=InvitationStatus.QUEUED,
        attempts=invitation.attempts,
    ).update(status=InvitationStatus.CANCELLED, error=reason, next_attempt_at=None)


@transaction.atomic
def _mark_sent(invitation: Invitation) -> None:
    finish(invitation, InvitationStatus.SENT)
    Account.objects.filter(
        organization_id=invitation.organization_id,
        pk=invitation.account_id,
        status=Status.PENDING,
    ).update(status=Status.INVITED)
