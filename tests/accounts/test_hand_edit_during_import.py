"""Adding a user by hand while an import writes the same email: one waits, both answer.

Issue 11: the two deadlocked on PostgreSQL (the hand-added account's email held in the
unique index while its commit waited for the organization's row, which the import held
while waiting for that email). Every writer now takes the organization's lock first.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from roster.accounts.editing import save_account
from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing.apply import Outcome, apply_plan
from roster.importing.plan import Action
from roster.orgs.models import Organization
from tests.importing.engine import plan, students
from tests.importing.test_apply_concurrent import PATIENCE, _someone_waits_for_a_lock, _wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time; the row locks that deadlocked are PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


class Thread(threading.Thread):
    """Runs `work` on a connection of its own; keeps its result or its exception."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.value: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.work()
        except BaseException as error:  # handed to the test, which fails with it
            self.error = error
        finally:
            connections.close_all()

    def result(self) -> Any:
        self.join(PATIENCE)
        assert not self.is_alive(), "it never finished"
        if self.error is not None:
            raise self.error
        return self.value


def _held(work: Callable[[], Any], holding: threading.Event, release: threading.Event) -> Any:
    """`work` in a transaction kept open until the test releases it."""
    with transaction.atomic():
        value = work()
        holding.set()
        assert release.wait(PATIENCE)
    return value


def test_add_user_while_an_import_holds_the_email_waits_then_says_it_is_taken(
    org: Organization, admin: Account
) -> None:
    imported = plan(org, students("Ann,Lee,ann@example.com,,,,"))
    holding, release = threading.Event(), threading.Event()
    importing = Thread(
        lambda: _held(lambda: apply_plan(imported, org=org, invite=True), holding, release)
    )
    importing.start()
    assert holding.wait(PATIENCE)

    def add_by_hand() -> Any:
        client = Client()
        client.force_login(admin)
        values = {"role": "student", "first_name": "Ann", "last_name": "Lee"}
        return client.post("/o/northside/users/new/", values | {"email": "ANN@example.com"})

    adding = Thread(add_by_hand)
    adding.start()
    _wait_for(_someone_waits_for_a_lock)
    release.set()
    outcome: Outcome = importing.result()
    response = adding.result()

    assert outcome.invitations == 1
    assert response.status_code == 200  # the form again, with the reason
    assert "already has this email" in response.content.decode()
    assert Account.objects.in_org(org).people().count() == 1


def test_an_import_while_a_hand_edit_holds_the_email_waits_then_updates_it(
    org: Organization, admin: Account
) -> None:
    imported = plan(org, students("Ann,Lee,ann@example.com,,,,"))
    assert list(imported.actions) == [Action.CREATE]
    holding, release = threading.Event(), threading.Event()
    values = {"role": "student", "first_name": "Annie", "last_name": "Lee"}
    adding = Thread(
        lambda: _held(
            lambda: save_account(org, None, values | {"email": "ann@example.com"}, {}, by=SYSTEM),
            holding,
            release,
        )
    )
    adding.start()
    assert holding.wait(PATIENCE)
    importing = Thread(lambda: apply_plan(imported, org=org, invite=True))
    importing.start()
    _wait_for(_someone_waits_for_a_lock)
    release.set()
    added: Account = adding.result()
    outcome: Outcome = importing.result()

    assert outcome.replanned and list(outcome.plan.actions) == [Action.UPDATE]
    assert outcome.invitations == 0
    [ann] = Account.objects.in_org(org).people()
    assert (ann.pk, ann.first_name, ann.role) == (added.pk, "Ann", Role.STUDENT)
