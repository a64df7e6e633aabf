"""User Management's search entries on PostgreSQL: kept by triggers, a big import's
written after its commit (searchable meanwhile), merged by a task or the minute's sweep,
never by somebody's insert."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from roster.accounts import search_index
from roster.accounts.models import Account, Role, SearchBacklog, SearchEntry
from roster.audit.log import SYSTEM
from roster.importing.apply import apply_plan
from roster.importing.pipeline import Choices, preview_import
from roster.importing.sources import read_text
from roster.importing.undo import apply_and_store, undo_import
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
    people = Account.objects.in_org(org).search(text, org)
    return sorted(people.values_list("email", flat=True))


def _rows(count: int, name: str = "Lee") -> list[str]:
    return [f"Pat{n},{name},pat{n}.{name.lower()}@example.com,,,," for n in range(count)]


def _entries(org: Organization) -> dict[str, str]:
    entries = SearchEntry.objects.filter(organization=org)
    return dict(entries.values_list("account__email", "text"))


def _big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "BIG_IMPORT", 2)


def test_an_account_added_or_renamed_is_searchable_at_once(org: Organization) -> None:
    ann = Account.objects.create(
        organization=org, role="student", email="ann@example.com", first_name="Ann"
    )
    assert _entries(org) == {"ann@example.com": "Ann  ann@example.com "}
    assert _found(org, "ANN") == ["ann@example.com"]
    ann.first_name, ann.last_name = "Anne", "Wong"
    ann.save()
    assert _found(org, "wong anne") == ["ann@example.com"]
    assert _found(org, "ann lee") == []
    Account.objects.filter(pk=ann.pk).update(email="anne.wong@example.com")
    assert _found(org, "anne.wong@") == ["anne.wong@example.com"]
    ann.delete()
    assert _entries(org) == {}


def test_a_big_import_is_searchable_at_once_and_written_after_its_commit(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big(monkeypatch)
    apply_plan(plan(org, students(*_rows(3))), org=org, invite=False)
    assert _entries(org) == {}  # none written inside the import's transaction
    assert SearchBacklog.objects.filter(organization=org).count() == 1
    assert DBTaskResult.objects.filter(task_path=MERGE).count() == 1
    assert _found(org, "pat1") == ["pat1.lee@example.com"]  # read from the accounts
    assert len(_found(org, "lee")) == 3
    run_worker()
    assert DBTaskResult.objects.get(task_path=MERGE).status == "SUCCESSFUL"
    assert len(_entries(org)) == 3
    assert not SearchBacklog.objects.exists()
    assert _found(org, "pat1") == ["pat1.lee@example.com"]
    assert search_index.merge_pending_entries() == 0  # the task merged them


def test_the_task_writes_a_long_range_a_chunk_at_a_time(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big(monkeypatch)
    monkeypatch.setattr(search_index, "CHUNK", 2)
    apply_plan(plan(org, students(*_rows(5))), org=org, invite=False)
    assert search_index.write_waiting_entries() == 5
    assert len(_entries(org)) == 5
    assert not SearchBacklog.objects.exists()


def test_an_account_renamed_before_the_task_keeps_its_new_name(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big(monkeypatch)
    apply_plan(plan(org, students(*_rows(3))), org=org, invite=False)
    Account.objects.filter(email="pat1.lee@example.com").update(last_name="Okafor")
    run_worker()
    assert _found(org, "okafor") == ["pat1.lee@example.com"]
    assert _found(org, "pat1 lee") == ["pat1.lee@example.com"]  # its email still says Lee
    assert len(_found(org, "lee")) == 3
    assert len(_entries(org)) == 3


def test_a_lost_task_leaves_the_entries_to_the_minute_sweep(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big(monkeypatch)
    apply_plan(plan(org, students(*_rows(3))), org=org, invite=False)
    DBTaskResult.objects.filter(task_path=MERGE).delete()
    call_command("roster_sweep_invitations", verbosity=0)
    assert len(_entries(org)) == 3
    assert not SearchBacklog.objects.exists()
    assert search_index.merge_pending_entries() == 0


def test_search_stays_in_its_organization(
    org: Organization, other_org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_plan(plan(org, students(*_rows(2))), org=org, invite=False)  # entries at once
    _big(monkeypatch)
    apply_plan(plan(other_org, students(*_rows(3))), org=other_org, invite=False)  # waiting
    assert len(_found(org, "lee")) == 2
    assert len(_found(other_org, "lee")) == 3
    # Each organization's query, run against the other's, finds none of its people.
    assert not Account.objects.in_org(org).search("lee", other_org).exists()
    assert not Account.objects.in_org(other_org).search("lee", org).exists()
    run_worker()
    assert len(_found(org, "lee")) == 2
    assert not Account.objects.in_org(org).search("lee", other_org).exists()


def test_like_wildcards_are_plain_characters(org: Organization) -> None:
    apply_plan(plan(org, students("Ann,Lee_Wong,ann@example.com,,,,")), org=org, invite=False)
    apply_plan(plan(org, students("Bob,LeexWong,bob@example.com,,,,")), org=org, invite=False)
    assert _found(org, "lee_") == ["ann@example.com"]
    assert _found(org, "%") == []


def test_undo_takes_the_entries_with_the_accounts(org: Organization) -> None:
    text = "First Name,Last Name,Email\n" + "".join(
        f"Pat{n},Lee,pat{n}@example.com\n" for n in range(3)
    )
    preview = preview_import([read_text(text)], org=org, choices=Choices(role=Role.STUDENT))
    _, job = apply_and_store(preview, org=org, invite=False, files=["pasted"], by=SYSTEM)
    assert len(_entries(org)) == 3
    undo_import(job.pk, org=org, by=SYSTEM)
    assert _entries(org) == {}
    assert _found(org, "lee") == []


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
    assert _found(org, "pat1") == ["pat1.lee@example.com"]


def test_a_small_import_enqueues_nothing(org: Organization) -> None:
    apply_plan(plan(org, students("Ann,Lee,ann@example.com,,,,")), org=org, invite=False)
    assert not DBTaskResult.objects.filter(task_path=MERGE).exists()
    assert not SearchBacklog.objects.exists()


def test_an_undo_holds_the_task_off_its_organization_until_it_commits(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    _big(monkeypatch)
    apply_plan(plan(org, students(*_rows(3))), org=org, invite=False)

    def task() -> int:
        try:
            return search_index.write_waiting_entries()
        finally:
            connection.close()

    with transaction.atomic():
        search_index.hold_waiting_entries(org.pk)  # as undo does before deleting accounts
        with ThreadPoolExecutor(1) as elsewhere:
            assert elsewhere.submit(task).result(timeout=30) == 0
    assert search_index.write_waiting_entries() == 3


def test_the_module_names_the_models_tables() -> None:
    assert (
        SearchEntry._meta.db_table,
        SearchBacklog._meta.db_table,
    ) == (search_index.ENTRY, search_index.BACKLOG)
