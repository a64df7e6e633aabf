"""Resending welcome (activation) emails from User Management, one user or many."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from roster.accounts.delivery import record_invitations
from roster.accounts.models import Account, Invitation, Status
from roster.orgs.models import Organization


@dataclass(frozen=True, slots=True)
class ResendResult:
    queued: int
    already_active: int  # active or deactivated accounts are never sent an activation email
    recently_sent: int  # emailed within the cool-down; not sent again yet
    no_email: int  # username-only students: their parent's activation sets them up


@transaction.atomic
def resend_welcome_emails(org: Organization, accounts: QuerySet[Account]) -> ResendResult:
    """Queue a new activation email for each chosen account that can still activate."""
    chosen = list(accounts.filter(organization=org).only("id", "email", "status"))
    inactive = [a for a in chosen if a.status in (Status.PENDING, Status.INVITED)]
    with_email = [a for a in inactive if a.email]
    since = timezone.now() - timedelta(minutes=settings.RESEND_COOLDOWN_MINUTES)
    recent = set(
        Invitation.objects.in_org(org)
        .filter(account__in=with_email, created_at__gte=since)
        .values_list("account_id", flat=True)
    )
    queued = record_invitations(org, [a for a in with_email if a.pk not in recent])
    return ResendResult(
        queued=len(queued),
        already_active=len(chosen) - len(inactive),
        recently_sent=len(with_email) - len(queued),
        no_email=len(inactive) - len(with_email),
    )
