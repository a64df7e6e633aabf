"""The follow-up's numbers (the summary, the chart and its table) match the database,
counted one account at a time here, and cost the same few queries at any size."""

import re
from datetime import date, timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus, Status
from roster.followup import people
from roster.followup.figures import follow_up
from roster.importing.models import ImportJob
from roster.orgs.models import Organization
from tests.followup.helpers import LINK_DAYS, applied_import, result_page

STUDENTS = "First Name,Last Name,Email\n" + "".join(
    f"S{n},Lee,s{n}@example.com\n" for n in range(12)
)


def _history(org: Organization, job: ImportJob) -> None:
    """Some emailed on day 0 or 2 (one twice), some activated on days 1, 3 and 9,
    one deactivated, one never emailed."""
    accounts = list(people.of_import(org, job).order_by("pk"))
    applied = job.applied_at
    assert applied is not None
    Invitation.objects.filter(organization=org).delete()
    for index, account in enumerate(accounts[:10]):
        day = 0 if index < 6 else 2
        for repeat in range(2 if index == 0 else 1):
            Invitation.objects.create(
                organization=org,
                account=account,
                status=InvitationStatus.SENT,
                sent_at=applied + timedelta(days=day + 3 * repeat, hours=1),
            )
    for account, day in zip(accounts[:4], (1, 3, 3, 9), strict=True):
        Account.objects.filter(pk=account.pk).update(
            status=Status.ACTIVE, activated_at=applied + timedelta(days=day, hours=2)
        )
    Account.objects.filter(pk=accounts[10].pk).update(status=Status.DEACTIVATED)


def _counted_by_hand(org: Organization, job: ImportJob, upto: date) -> tuple[int, int]:
    emailed = activated = 0
    for account in people.of_import(org, job):
        sent = [
            i.sent_at
            for i in Invitation.objects.filter(account=account, status=InvitationStatus.SENT)
        ]
        if sent and timezone.localdate(min(s for s in sent if s)) <= upto:
            emailed += 1
        if account.activated_at and timezone.localdate(account.activated_at) <= upto:
            activated += 1
    return emailed, activated


def _expired_by_hand(org: Organization, job: ImportJob) -> int:
    cutoff = timezone.now() - timedelta(days=7)
    expired = 0
    for account in people.of_import(org, job).filter(status__in=people.WAITING):
        newest = Invitation.objects.filter(account=account).order_by("-pk").first()
        sent = newest.sent_at if newest else None
        expired += bool(
            newest and newest.status == InvitationStatus.SENT and sent and sent < cutoff
        )
    return expired


def test_the_figures_and_the_chart_match_the_database(
    org: Organization, admin_client: Client
) -> None:
    job = applied_import(admin_client, students=STUDENTS, parents="")
    _history(org, job)
    assert job.applied_at is not None
    with time_machine.travel(job.applied_at + timedelta(days=12), tick=False):
        with CaptureQueriesContext(connection) as queries:
            numbers = follow_up(org, job)
        totals, bars = numbers.figures, numbers.bars
        assert len(queries) == 2
        assert (totals.people, totals.emailed, totals.activated) == (12, 10, 4)
        assert (totals.waiting, totals.deactivated) == (7, 1)
        assert totals.expired == _expired_by_hand(org, job) == 6  # S4–S9: sent on day 0 or 2
        assert len(bars) == 13  # day 0 to day 12, one bar a day
        for bar in bars:
            assert (bar.emailed, bar.activated) == _counted_by_hand(org, job, bar.day)
        page = result_page(admin_client, job)
        table = page.split('id="follow-up-table"')[1].split("</table>")[0]
        cells = re.findall(r"<td>(\d+)</td><td>(\d+)</td>", table)
        assert [(int(a), int(b)) for a, b in cells] == [(b.emailed, b.activated) for b in bars]
        assert "<strong>10</strong> have been emailed and <strong>4</strong> have activated" in page


def test_a_long_history_is_drawn_in_at_most_thirty_bars(
    org: Organization, admin_client: Client
) -> None:
    job = applied_import(admin_client, students=STUDENTS, parents="")
    _history(org, job)
    assert job.applied_at is not None
    today = timezone.localdate(job.applied_at) + timedelta(days=100)
    bars = follow_up(org, job, today=today).bars
    assert len(bars) <= 30 and bars[-1].day == today
    assert (bars[-1].emailed, bars[-1].activated) == _counted_by_hand(org, job, today)


def test_an_expired_link_is_counted_on_the_page(org: Organization, admin_client: Client) -> None:
    job = applied_import(admin_client, students=STUDENTS, parents="")
    Invitation.objects.filter(organization=org).update(
        status=InvitationStatus.SENT, sent_at=timezone.now()
    )
    with time_machine.travel(timezone.now() + LINK_DAYS, tick=True):
        page = result_page(admin_client, job)
    assert "<strong>12</strong> of them with an expired link" in page
    assert page.count("the link has expired") == 12
