"""The bulk statements of writes.py: on PostgreSQL the next statement runs while the rows
the one before returned are handled, in order, in the caller's transaction."""

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from roster.accounts.models import Account
from roster.importing import writes
from roster.orgs.models import Organization

MOMENT = datetime(2026, 12, 6, tzinfo=UTC)
PATIENCE = 30.0  # seconds before a wait that should end at once counts as hung


class _Cursor:
    """Stands for a cursor: each statement returns its own parameter; one may fail."""

    def __init__(self, failing: int = 0) -> None:
        self.failing = failing
        self.second_ran = threading.Event()
        self.last = 0

    def execute(self, sql: str, parameters: list[int]) -> None:
        self.last = parameters[0]
        if self.last == self.failing:
            raise IntegrityError(f"statement {self.last}")
        if self.last == 2:
            self.second_ran.set()

    def fetchall(self) -> list[tuple[int]]:
        return [(self.last,)]


def test_the_next_statement_runs_while_the_rows_before_are_handled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connection, "vendor", "postgresql")
    cursor = _Cursor()
    returned = writes._returned(cursor, "…", ([n] for n in (1, 2, 3)))  # type: ignore[arg-type]
    assert next(returned) == [(1,)]
    # The caller holds the first rows and has not asked for more: the second runs anyway.
    assert cursor.second_ran.wait(PATIENCE)
    assert list(returned) == [[(2,)], [(3,)]]


def test_a_failing_statement_is_raised_after_the_rows_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connection, "vendor", "postgresql")
    returned = writes._returned(_Cursor(failing=2), "…", ([n] for n in (1, 2, 3, 4)))  # type: ignore[arg-type]
    assert next(returned) == [(1,)]
    with pytest.raises(IntegrityError, match="statement 2"):
        next(returned)


def _rows(emails: list[str]) -> list[tuple[str, ...]]:
    return [("student", email, "", "Ann", "Lee", "") for email in emails]


@pytest.mark.django_db
def test_accounts_inserted_chunk_by_chunk_come_back_with_their_ids(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "CHUNK", 2)
    emails = [f"s{n}@example.org" for n in range(5)]
    with transaction.atomic():
        created = list(writes.insert_accounts(org.pk, _rows(emails), MOMENT))
    assert [email for _, email, _ in created] == emails
    by_id = dict(Account.objects.filter(organization=org).values_list("id", "email"))
    assert {account_id: email for account_id, email, _ in created} == by_id


@pytest.mark.django_db
def test_a_chunk_that_fails_leaves_nothing_written(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "CHUNK", 2)
    Account.objects.create(organization=org, role="student", email="s3@example.org")
    emails = [f"s{n}@example.org" for n in range(7)]  # the second chunk holds s3 again
    seen: list[Any] = []
    with pytest.raises(IntegrityError), transaction.atomic():
        seen.extend(writes.insert_accounts(org.pk, _rows(emails), MOMENT))
    assert [email for _, email, _ in seen] == emails[:2]  # the first chunk's, then the error
    assert list(Account.objects.filter(organization=org).values_list("email", flat=True)) == [
        "s3@example.org"
    ]
