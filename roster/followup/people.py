"""Who an import's follow-up is about, as querysets the database evaluates in bulk.

The people of an import are the accounts it created (`Account.created_by_import`).
A username-only student cannot be emailed: a parent sets them up, so the student's
reminder goes to that parent, whether or not the import created the parent.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from roster.accounts.models import Account, Invitation, InvitationStatus, Role, Status
from roster.importing.models import ImportJob
from roster.orgs.models import Organization

WAITING = (Status.PENDING, Status.INVITED)  # can still activate


def of_import(org: Organization, job: ImportJob) -> QuerySet[Account]:
    return Account.objects.in_org(org).filter(created_by_import=job)


def waiting(org: Organization, job: ImportJob) -> QuerySet[Account]:
    """The import's people who have not activated (nor been deactivated)."""
    return of_import(org, job).filter(status__in=WAITING)


def students_waiting(org: Organization, job: ImportJob) -> QuerySet[Account]:
    """The import's username-only students whose parent has not set them up yet."""
    return waiting(org, job).filter(role=Role.STUDENT, email="")


def parents_to_remind(org: Organization, job: ImportJob) -> QuerySet[Account]:
    """Parents of those students who have not activated themselves (an active parent sets
    them up from My students, and is never sent an activation email)."""
    students = students_waiting(org, job).values("pk")
    linked = Account.objects.in_org(org).filter(
        role=Role.PARENT, student_links_as_parent__student__in=students
    )
    return (
        Account.objects.in_org(org)
        .filter(pk__in=linked.values("pk"), status__in=WAITING)
        .exclude(email="")
    )


def to_remind(org: Organization, job: ImportJob) -> QuerySet[Account]:
    """Everyone one click reminds: the import's waiting people with an email, and the
    parents of its waiting username-only students."""
    own = Q(created_by_import=job, status__in=WAITING) & ~Q(email="")
    parents = parents_to_remind(org, job).values("pk")
    return Account.objects.in_org(org).filter(own | Q(pk__in=parents))


def newest(field: str) -> Subquery:
    """`field` of the account's newest invitation (for an annotation on accounts)."""
    rows = Invitation.objects.filter(
        organization_id=OuterRef("organization_id"), account_id=OuterRef("pk")
    ).order_by("-pk")
    return Subquery(rows.values(field)[:1])


def expired_before(now: datetime) -> datetime:
    """A link sent before this has expired (ACTIVATION_LINK_DAYS)."""
    return now - timedelta(days=settings.ACTIVATION_LINK_DAYS)


def with_newest(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts.annotate(newest_status=newest("status"), newest_sent_at=newest("sent_at"))


def emailed() -> Exists:
    """The account was sent at least one activation email."""
    return Exists(
        Invitation.objects.filter(
            organization_id=OuterRef("organization_id"),
            account_id=OuterRef("pk"),
            status=InvitationStatus.SENT,
        )
    )


def with_expired_links(org: Organization, accounts: QuerySet[Account], now: datetime) -> set[int]:
    """Which of `accounts` hold a newest link that was sent and has expired: their
    invitations grouped per account (a hash join, not a look-up per account)."""
    sent_long_ago = Q(status=InvitationStatus.SENT, sent_at__lt=expired_before(now))
    grouped = (
        Invitation.objects.filter(organization=org, account__in=accounts.values("pk"))
        .values("account_id")
        .annotate(newest=Max("pk"), newest_expired=Max("pk", filter=sent_long_ago))
        .filter(newest=F("newest_expired"))
    )
    return set(grouped.values_list("account_id", flat=True))
