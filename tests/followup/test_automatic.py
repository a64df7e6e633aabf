"""Automatic reminders: off by default; after N days without an email, at most M times,
run by the task worker, never to active accounts, and once per round however many
sweeps or workers run."""

from datetime import timedelta
from typing import Any

import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account
from roster.followup.automatic import remind_due
from roster.followup.models import Reminder
from roster.orgs.models import Organization
from tests.accounts.test_invitations import run_worker, worker_db
from tests.conftest import SmtpCollector
from tests.followup.helpers import activate, applied_import


def _turn_on(org: Organization, after: int = 3, at_most: int = 2) -> None:
    Organization.objects.filter(pk=org.pk).update(
        auto_remind=True, remind_after_days=after, remind_at_most=at_most
    )


def _sweep_on(day: int, start: Any) -> None:
    """The cron sweep and the task worker, `day` days after the import."""
    with time_machine.travel(start + timedelta(days=day, hours=1), tick=True):
        call_command("roster_sweep_reminders", verbosity=0)
        run_worker()


@worker_db
def test_nothing_is_sent_while_automatic_reminders_are_off(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    applied_import(admin_client)
    start = timezone.now()
    run_worker()
    smtp.messages.clear()
    _sweep_on(30, start)
    assert smtp.messages == [] and not Reminder.objects.exists()
    assert remind_due(org.pk) == 0


@worker_db
def test_after_n_days_at_most_m_times_and_never_to_active_accounts(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    _turn_on(org, after=3, at_most=2)
    applied_import(admin_client)
    start = timezone.now()
    run_worker()  # day 0: the activation emails
    activate(Account.objects.get(email="ann@example.com"))
    smtp.messages.clear()
    sent: dict[int, list[str]] = {}
    for day in (1, 2, 3, 3, 4, 5, 6, 7, 9, 12, 20):
        before = len(smtp.messages)
        _sweep_on(day, start)
        sent.setdefault(day, []).extend(
            sorted(a for m in smtp.messages[before:] for a in m.rcpt_tos)
        )
    reminded = ["bob@example.com", "mum@example.com"]
    # Day 3: three days after the first email. Day 6 is a moment short of three days
    # after that reminder (each sweep runs an hour into its day), so day 7.
    assert {day: who for day, who in sent.items() if who} == {3: reminded, 7: reminded}
    assert Reminder.objects.filter(organization=org, automatic=True).count() == 2


@worker_db
def test_a_manual_reminder_restarts_the_wait(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    from tests.followup.helpers import press_remind, remind_key, result_page

    _turn_on(org, after=3, at_most=2)
    job = applied_import(admin_client)
    start = timezone.now()
    run_worker()
    smtp.messages.clear()
    with time_machine.travel(start + timedelta(days=2), tick=True):
        press_remind(admin_client, job, remind_key(result_page(admin_client, job)))
        run_worker()
    assert len(smtp.messages) == 3
    _sweep_on(3, start)  # only a day since the manual reminder
    assert len(smtp.messages) == 3
    _sweep_on(5, start)
    assert len(smtp.messages) == 6
