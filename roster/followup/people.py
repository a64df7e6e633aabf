"""Who an import's follow-up is about, as querysets the database evaluates in bulk.

The people of an import are the accounts it created (`Account.created_by_import`).
A username-only student cannot be emailed: a parent sets them up, so the student's
reminder goes to that parent, whether or not the import created the parent.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

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
    own = waiting(org, job).exclude(email="").values("pk")
    parents = parents_to_remind(org, job).values("pk")
    return Account.objects.in_org(org).filter(Q(pk__in=own) | Q(pk__in=parents))


def newest(field: str) -> Subquery:
    """`field` of the account's newest invitation (for an annotation on accounts)."""
    rows = Invitation.objects.filter(
        organization_id=OuterRef("organization_id"), account_id=OuterRef("pk")
    ).order_by("-pk")
    return Subquery(rows.values(field)[:1])


def expired_before(now: datetime) -> datetime:
    """A link sent before this has expired (ACTIVATION_LINK_DAYS)."""
    return now - timedelta(days=settings.ACTIVATION_LINK_DAYS)


def link_expired(now: datetime) -> Q:
    """Accounts (annotated by `with_newest`) whose newest link was sent and has expired."""
    return Q(newest_status=InvitationStatus.SENT, newest_sent_at__lt=expired_before(now))


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


def first_sent() -> Subquery:
    """When the account's first activation email was sent (for an annotation)."""
    rows = Invitation.objects.filter(
        organization_id=OuterRef("organization_id"),
        account_id=OuterRef("pk"),
        status=InvitationStatus.SENT,
    ).order_by("sent_at")
    return Subquery(rows.values("sent_at")[:1])


def newest_link_expired(now: datetime) -> Exists:
    """The account's newest invitation was sent, and its link has expired (for filters
    and aggregates, where annotations of subqueries cannot be used)."""
    newer = Invitation.objects.filter(
        organization_id=OuterRef("organization_id"),
        account_id=OuterRef("account_id"),
        pk__gt=OuterRef("pk"),
    )
    return Exists(
        Invitation.objects.filter(
            organization_id=OuterRef("organization_id"),
            account_id=OuterRef("pk"),
            status=InvitationStatus.SENT,
            sent_at__lt=expired_before(now),
        ).exclude(Exists(newer))
    )
