"""Resending welcome (activation) emails from User Management, one user or many."""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from roster.accounts.delivery import record_invitations
from roster.accounts.models import Account, Invitation, InvitationStatus, Status
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization


@dataclass(frozen=True, slots=True)
class ResendResult:
    queued: int
    already_active: int  # active or deactivated accounts are never sent an activation email
    recently_sent: int  # emailed within the cool-down, or one on its way; not sent again yet
    no_email: int  # username-only students: their parent's activation sets them up


@transaction.atomic
def resend_welcome_emails(
    org: Organization, accounts: QuerySet[Account], *, by: By
) -> ResendResult:
    """Queue a new activation email for each chosen account that can still activate.

    The cool-down holds back only an email that went out or is still on its way; one that
    failed does not count, and one still queued after a failed attempt or for longer than
    the cool-down is replaced by the new one.
    """
    # One writer of an organization's invitations at a time (imports take the same lock):
    # two admins resending together must not both queue an email for one account.
    lock_accounts_of(org)
    chosen = list(accounts.filter(organization=org).only("id", "email", "status"))
    inactive = [a for a in chosen if a.status in (Status.PENDING, Status.INVITED)]
    with_email = [a for a in inactive if a.email]
    held = _held_by_cool_down(org, [a.pk for a in with_email])
    due = [a for a in with_email if a.pk not in held]
    queued = record_invitations(org, due, replace_queued=True)
    result = ResendResult(
        queued=len(queued),
        already_active=len(chosen) - len(inactive),
        recently_sent=len(with_email) - len(queued),
        no_email=len(inactive) - len(with_email),
    )
    # One entry for the whole choice; it names the account when only one was chosen.
    one = chosen[0] if len(chosen) == 1 else None
    detail = {"chosen": len(chosen), **asdict(result)}
    record(org, Action.RESENT, by=by, account=one, detail=detail)
    return result


def _held_by_cool_down(org: Organization, account_ids: list[int]) -> set[int]:
    """Accounts sent an email within the cool-down, or with one on its way."""
    return set(
        Invitation.objects.in_org(org)
        .filter(holding_back(), account_id__in=account_ids)
        .values_list("account_id", flat=True)
    )


def holding_back() -> Q:
    """Invitations that hold back a new email to their account (the cool-down).

    Resends and reminders (roster/followup/remind.py) share it.
    """
    since = timezone.now() - timedelta(minutes=settings.RESEND_COOLDOWN_MINUTES)
    return (
        Q(status=InvitationStatus.SENT, sent_at__gte=since)
        # Being handed to the mail server right now: it cannot be taken back.
        | Q(status=InvitationStatus.SENDING)
        # Queued recently and not yet tried: it will most likely arrive in a moment.
        | Q(status=InvitationStatus.QUEUED, attempts=0, created_at__gte=since)
    )
