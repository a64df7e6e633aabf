"""Two imports into one organization, applied at the same time, are serialised by its lock."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from roster.accounts.models import Account
from roster.importing.apply import Outcome, apply_plan
from roster.importing.plan import Action
from roster.orgs.models import Organization
from tests.importing.engine import plan, students

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time, so two applies cannot overlap there;"
        " the organization's row lock (SELECT … FOR UPDATE) is PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]
PATIENCE = 30.0  # seconds before a wait that should end at once counts as hung


class Worker(threading.Thread):
    """Runs `work` on a connection of its own; keeps its result or its exception."""

    def __init__(self, work: Callable[[], Outcome]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.outcome: Outcome | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.outcome = self.work()
        except BaseException as error:  # handed to the test, which fails with it
            self.error = error
        finally:
            connections.close_all()

    def result(self) -> Outcome:
        self.join(PATIENCE)
        assert not self.is_alive(), "the apply never finished"
        if self.error is not None:
            raise self.error
        assert self.outcome is not None
        return self.outcome


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        (waiting,) = cursor.fetchone() or (0,)
    return bool(waiting)


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.02)


def test_two_applies_creating_the_same_email_make_one_account(db: Any) -> None:
    org = Organization.objects.create(slug="northside", name="Northside Tutoring")
    # Both planned before either applies: each plans to create ann@example.com.
    first = plan(org, students("Ann,Lee,ann@example.com,,,,"))
    second = plan(org, students("Anne,Lee,ANN@example.com,,,,"))
    assert first.actions == second.actions == bytearray([Action.CREATE])
    holding, release = threading.Event(), threading.Event()

    def apply_and_hold() -> Outcome:
        # The outer transaction keeps the organization locked until the second apply
        # is seen waiting for it.
        with transaction.atomic():
            outcome = apply_plan(first, org=org, invite=True)
            holding.set()
            assert release.wait(PATIENCE)
        return outcome

    one = Worker(apply_and_hold)
    one.start()
    assert holding.wait(PATIENCE)
    two = Worker(lambda: apply_plan(second, org=org, invite=True))
    two.start()
    _wait_for(_someone_waits_for_a_lock)
    release.set()
    applied_first, applied_second = one.result(), two.result()

    assert Account.objects.in_org(org).count() == 1
    assert Account.objects.in_org(org).get().first_name == "Anne"
    assert not applied_first.replanned and applied_first.invitations == 1
    # The second re-checked under the lock: the account now exists, so it updated it.
    assert applied_second.replanned and applied_second.invitations == 0
    assert list(applied_second.plan.actions) == [Action.UPDATE]
