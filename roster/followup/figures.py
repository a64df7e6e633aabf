"""An import's follow-up in numbers: who was emailed, who activated, and when.

Three aggregate queries, whatever the import's size: one for the figures, one per series
of the timeline. The list of those still waiting is paged (roster/web/views/followup.py).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from roster.accounts.models import Role, Status
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


def figures(org: Organization, job: ImportJob, now: datetime | None = None) -> Figures:
    expired = Q(people.newest_link_expired(now or timezone.now()))
    waiting = Q(status__in=people.WAITING)
    totals = people.of_import(org, job).aggregate(
        people=Count("pk"),
        emailed=Count("pk", filter=Q(people.emailed())),
        activated=Count("pk", filter=Q(status=Status.ACTIVE)),
        waiting=Count("pk", filter=waiting),
        expired=Count("pk", filter=waiting & expired),
        students_waiting=Count("pk", filter=waiting & Q(role=Role.STUDENT, email="")),
        deactivated=Count("pk", filter=Q(status=Status.DEACTIVATED)),
    )
    return Figures(**totals)


@dataclass(frozen=True, slots=True)
class Bar:
    """Up to and including `day`: how many had been emailed, and how many had activated."""

    day: date
    emailed: int
    activated: int


def timeline(org: Organization, job: ImportJob, today: date | None = None) -> list[Bar]:
    """Emailed (by the day of each person's first email) and activated, cumulated, from
    the day the import was applied to `today`, in at most MAX_BARS bars."""
    start = timezone.localdate(job.applied_at) if job.applied_at else timezone.localdate()
    end = max(today or timezone.localdate(), start)
    first_email = people.of_import(org, job).annotate(first=people.first_sent())
    emailed = _per_day(first_email.exclude(first=None).annotate(day=TruncDate("first")))
    activated = people.of_import(org, job).exclude(activated_at=None)
    activations = _per_day(activated.annotate(day=TruncDate("activated_at")))
    days = (end - start).days + 1
    step = ceil(days / MAX_BARS)
    bars: list[Bar] = []
    for offset in range(step - 1, days + step - 1, step):
        day = min(start + timedelta(days=offset), end)
        bars.append(Bar(day, _until(emailed, day), _until(activations, day)))
    return bars


def _per_day(rows: Any) -> dict[date, int]:
    """Counts per `day` of accounts annotated with one (typed Any: an annotation)."""
    counted = rows.values("day").annotate(count=Count("pk")).order_by()
    return {row["day"]: row["count"] for row in counted}


def _until(per_day: dict[date, int], day: date) -> int:
    return sum(count for when, count in per_day.items() if when <= day)
