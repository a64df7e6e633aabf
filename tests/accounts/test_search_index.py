"""Search entries wait in the index's pending list; a task or the minute's sweep merges
them, never somebody's insert."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from roster.accounts import search_index
from roster.accounts.models import Account
from roster.importing.apply import apply_plan
from roster.orgs.models import Organization
from tests.accounts.test_invitations import run_worker
from tests.importing.engine import plan, students

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True),
]
MERGE = "roster.accounts.tasks.merge_search_entries"


def _found(org: Organization, text: str) -> list[str]:
    return sorted(Account.objects.in_org(org).search(text).values_list("email", flat=True))


def _rows(count: int) -> list[str]:
    return [f"Pat{n},Lee,pat{n}@example.com,,,," for n in range(count)]


def test_no_insert_merges_the_pending_list_it_finds(org: Organization) -> None:
    """The first account added after a big import leaves its entries to the merge."""
    apply_plan(plan(org, students(*_rows(300))), org=org, invite=False)  # ~360 kB pending
    with connection.cursor() as cursor:
        # The smallest limit a session may ask for: the index's own limit still wins.
        cursor.execute("SET gin_pending_list_limit = 64")
        try:
            Account.objects.create(
                organization=org, role="student", email="zed@example.com", last_name="Lee"
            )
        finally:
            cursor.execute("RESET gin_pending_list_limit")
    assert search_index.merge_pending_entries() > 1  # still there for the merge to do
    assert len(_found(org, "lee")) == 301


def test_the_minute_sweep_merges_what_small_writes_left_pending(org: Organization) -> None:
    apply_plan(plan(org, students(*_rows(3))), org=org, invite=False)
    call_command("roster_sweep_invitations", verbosity=0)
    assert search_index.merge_pending_entries() == 0
    assert _found(org, "pat1") == ["pat1@example.com"]


def test_a_big_import_is_searchable_at_once_and_its_entries_merged_after(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "BIG_IMPORT", 2)
    rows = ("Ann,Lee,ann@example.com,,,,", "Bob,Lee,bob@example.com,,,,")
    apply_plan(plan(org, students(*rows)), org=org, invite=False)
    assert DBTaskResult.objects.filter(task_path=MERGE).count() == 1
    assert _found(org, "lee") == ["ann@example.com", "bob@example.com"]  # pending entries count
    run_worker()
    assert DBTaskResult.objects.get(task_path=MERGE).status == "SUCCESSFUL"
    assert search_index.merge_pending_entries() == 0  # nothing was left pending
    assert _found(org, "lee") == ["ann@example.com", "bob@example.com"]


def test_a_small_import_enqueues_nothing(org: Organization) -> None:
    apply_plan(plan(org, students("Ann,Lee,ann@example.com,,,,")), org=org, invite=False)
    assert not DBTaskResult.objects.filter(task_path=MERGE).exists()
