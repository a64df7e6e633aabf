"""A big import's search entries wait in the index's pending list; a task merges them."""

import pytest
from django.db import connection, transaction
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


def _limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW gin_pending_list_limit")
        value: str = cursor.fetchone()[0]
    return value


def _found(org: Organization, text: str) -> list[str]:
    return sorted(Account.objects.in_org(org).search(text).values_list("email", flat=True))


def test_entries_wait_only_inside_a_big_imports_transaction(org: Organization) -> None:
    usual = _limit()
    with transaction.atomic():
        search_index.defer_new_entries(search_index.BIG_IMPORT)
        assert _limit() in ("2147483647kB", "2097151kB")  # the most PostgreSQL takes
    assert _limit() == usual


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
