"""An import's follow-up in numbers: who was emailed, who activated, and when.

Two aggregate queries, whatever the import's size: one over the import's accounts, one
over their invitations grouped by account, each counting the figures and every bar of
the timeline at once (a filtered count per bar). The list of those still waiting is
paged (roster/web/views/followup.py).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil

from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Value, When
from django.utils import timezone

from roster.accounts.models import Invitation, InvitationStatus, Role, Status
from roster.followup import people
from roster.importing.models import ImportJob
from roster.orgs.models import Organization

MAX_BARS = 30  # past a month, each bar covers several days


@dataclass(frozen=True, slots=True)
class Figures:
    people: int  # accounts the import created
    emailed: int  # sent at least one activation email
    activated: int
    waiting: int  # neither activated nor deactivated
    expired: int  # waiting, and their newest link has expired
    students_waiting: int  # username-only students no parent has set up yet
    deactivated: int


@dataclass(frozen=True, slots=True)
class Bar:
    """Up to and including `day`: how many had been emailed, and how many had activated."""

    day: date
    emailed: int
    activated: int


@dataclass(frozen=True, slots=True)
class FollowUp:
    figures: Figures
    bars: list[Bar]  # from the day the import was applied to today


def follow_up(
    org: Organization, job: ImportJob, now: datetime | None = None, today: date | None = None
) -> FollowUp:
    """The figures, and the timeline: each person counted from the day of their first
    email and from the day they activated, in at most MAX_BARS bars."""
    now = now or timezone.now()
    days = _days(job, today or timezone.localdate(now))
    ends = {f"b{index}": _end_of(day) for index, day in enumerate(days)}
    accounts = _accounts(org, job, ends)
    emails = _emails(org, job, ends, now)
    figures = Figures(
        people=accounts["people"],
        emailed=emails["emailed"] or 0,
        activated=accounts["activated"],
        waiting=accounts["waiting"],
        expired=emails["expired"] or 0,
        students_waiting=accounts["students_waiting"],
        deactivated=accounts["deactivated"],
    )
    bars = [
        Bar(day, emails[f"e_{name}"] or 0, accounts[f"a_{name}"])
        for name, day in zip(ends, days, strict=True)
    ]
    return FollowUp(figures=figures, bars=bars)


def _days(job: ImportJob, today: date) -> list[date]:
    """The last day of each bar, from the day the import was applied to `today`."""
    start = timezone.localdate(job.applied_at) if job.applied_at else today
    end = max(today, start)
    count = (end - start).days + 1
    step = ceil(count / MAX_BARS)
    return [
        min(start + timedelta(days=offset), end)
        for offset in range(step - 1, count + step - 1, step)
    ]


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _accounts(org: Organization, job: ImportJob, ends: dict[str, datetime]) -> dict[str, int]:
    waiting = Q(status__in=people.WAITING)
    return people.of_import(org, job).aggregate(
        people=Count("pk"),
        activated=Count("pk", filter=Q(status=Status.ACTIVE)),
        waiting=Count("pk", filter=waiting),
        students_waiting=Count("pk", filter=waiting & Q(role=Role.STUDENT, email="")),
        deactivated=Count("pk", filter=Q(status=Status.DEACTIVATED)),
        **{f"a_{name}": Count("pk", filter=Q(activated_at__lt=end)) for name, end in ends.items()},
    )


def _emails(
    org: Organization, job: ImportJob, ends: dict[str, datetime], now: datetime
) -> dict[str, int | None]:
    """Per account (grouped), its first email and whether its newest link has expired;
    then counted. Invitations, not accounts: a join and a grouping instead of a look-up
    per account (at 100,000 people, seconds less)."""
    sent = Q(status=InvitationStatus.SENT)
    cutoff = people.expired_before(now)
    waiting = Case(
        When(account__status__in=people.WAITING, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    per_account = (
        Invitation.objects.filter(organization=org, account__created_by_import=job)
        .values("account_id")
        .annotate(
            first=Min("sent_at", filter=sent),
            newest=Max("pk"),
            newest_expired=Max("pk", filter=sent & Q(sent_at__lt=cutoff)),
            waiting=Max(waiting),
        )
    )
    return per_account.aggregate(
        emailed=Count("account_id", filter=Q(first__isnull=False)),
        expired=Count("account_id", filter=Q(newest=F("newest_expired"), waiting=1)),
        **{f"e_{name}": Count("account_id", filter=Q(first__lt=end)) for name, end in ends.items()},
    )
