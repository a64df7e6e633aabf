"""Two requests or two workers reminding at the same moment send each reminder once
(PostgreSQL: both wait for the organization's lock, then the second finds the first's
reminder by its key)."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from roster.followup.automatic import remind_due
from roster.followup.models import Reminder, ReminderItem
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization
from tests.accounts.test_invitations import run_worker
from tests.conftest import SmtpCollector
from tests.followup.helpers import applied_import, press_remind, remind_key, result_page

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time; the organization's row lock is PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]
PATIENCE = 30.0


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views are a snapshot unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        (waiting,) = cursor.fetchone() or (0,)
    return int(waiting)


def _at_once(work: Callable[[], Any], org: Organization) -> list[Any]:
    """Run `work` twice in threads, both started while the organization is locked, so
    that both are under way before either can write; then let them go."""
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:  # handed to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(2)]
    with transaction.atomic():
        lock_accounts_of(org)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + PATIENCE
        while _waiting_for_locks() < 2:
            assert not errors, errors
            assert time.monotonic() < deadline, "the two never waited together"
            time.sleep(0.02)
    for thread in threads:
        thread.join(PATIENCE)
    assert not errors, errors
    return results


def test_two_workers_sweeping_at_once_send_each_due_reminder_once(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    Organization.objects.filter(pk=org.pk).update(auto_remind=True, remind_after_days=3)
    applied_import(admin_client)
    run_worker()
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=True):
        queued = _at_once(lambda: remind_due(org.pk), org)
        run_worker()
    assert sorted(queued) == [0, 3]
    assert sorted(a for m in smtp.messages for a in m.rcpt_tos) == [
        "ann@example.com",
        "bob@example.com",
        "mum@example.com",
    ]
    assert Reminder.objects.filter(organization=org).count() == 1


def test_the_same_form_posted_twice_at_once_reminds_once(
    org: Organization, admin_client: Client, admin: Any, smtp: SmtpCollector
) -> None:
    job = applied_import(admin_client)
    run_worker()
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        key = remind_key(result_page(admin_client, job))

        def post() -> int:
            client = Client()
            client.force_login(admin)
            return int(press_remind(client, job, key).status_code)

        assert _at_once(post, org) == [302, 302]
        run_worker()
    assert len(smtp.messages) == 3
    assert ReminderItem.objects.filter(organization=org).count() == 3
