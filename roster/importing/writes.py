"""The multi-row statements apply.py writes with: one statement per 50,000 rows.

Rows travel as one JSON array parameter that the database unpacks (json_each on
SQLite, jsonb_array_elements on PostgreSQL) inside `INSERT … SELECT` and
`UPDATE … FROM`: no per-row query, no per-row placeholder, and the same number of
statements for 10 rows as for 10,000. The rows given are turned into JSON in a helper
thread, so they must come from memory, never from a query (a thread has a connection
of its own, outside the caller's transaction). Only apply.py calls these, the
stored import's jobs those of its rows and keys, and undo (roster/importing/undo/) the
last three.
"""

import json
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from itertools import batched
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from roster.accounts.models import (
    Account,
    ExternalId,
    Invitation,
    StudentInstructor,
    StudentParent,
)
from roster.importing.models import ImportKey, ImportRow, NamedLink, UpdatedAccount

CHUNK = 50_000
ACCOUNT = Account._meta.db_table
LINK_TABLES = {
    "student_parent": (StudentParent._meta.db_table, "parent_id"),
    "student_instructor": (StudentInstructor._meta.db_table, "instructor_id"),
}
INVITATION = Invitation._meta.db_table
EXTERNAL_ID = ExternalId._meta.db_table
IMPORT_KEY = ImportKey._meta.db_table
IMPORT_ROW = ImportRow._meta.db_table


def _elements() -> str:
    if connection.vendor == "postgresql":
        return "jsonb_array_elements(%s::jsonb) AS j"
    return "json_each(%s) AS j"


def _item(index: int) -> str:
    """The index-th value of the current JSON row, as text."""
    return f"j ->> {index}" if connection.vendor == "postgresql" else f"j.value ->> {index}"


def _json_item(index: int) -> str:
    """The index-th value of the current JSON row, as JSON."""
    return f"j -> {index}" if connection.vendor == "postgresql" else f"j.value -> {index}"


def _chunks(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The rows as JSON arrays of at most CHUNK rows, built one chunk at a time.

    Each chunk is built in a helper thread while the database writes the one before: the
    driver lets go of the interpreter while it waits, so both cores work.
    """
    chunks = _json_batches(rows)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="roster-rows") as helper:
        coming = helper.submit(next, chunks, None)
        while (chunk := coming.result()) is not None:
            coming = helper.submit(next, chunks, None)
            yield chunk


def _json_batches(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    return (json.dumps(batch, ensure_ascii=False) for batch in batched(rows, CHUNK, strict=False))


def _returned(
    cursor: CursorWrapper, sql: str, parameters: Iterable[Sequence[Any]]
) -> Iterator[list[tuple[Any, ...]]]:
    """Each statement's returned rows, in order: `sql` run once per parameter list.

    On PostgreSQL a statement runs in a thread while the caller handles the rows of the
    one before (the driver lets go of the interpreter while it waits): the database no
    longer waits while Python files a chunk's 50,000 new ids. Statements still run one
    at a time, in order, in the caller's transaction; the first error is raised here, in
    order, once every statement started has ended (after an error the transaction is
    aborted: nothing later is written).
    """
    if connection.vendor != "postgresql":
        for each in parameters:
            cursor.execute(sql, each)
            yield cursor.fetchall()
        return

    def run(each: Sequence[Any]) -> list[tuple[Any, ...]]:
        cursor.execute(sql, each)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows

    runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roster-statements")
    pending: deque[Future[list[tuple[Any, ...]]]] = deque()
    try:
        for each in parameters:
            pending.append(runner.submit(run, each))
            if len(pending) > 1:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        runner.shutdown(wait=True, cancel_futures=True)


def _now(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _unusable_password() -> str:
    """SQL for an unusable password ("!" and random text) that the database makes per row.

    The account gets a real one when it is activated; making them in Python cost an
    import of 150,000 people more than half a second.
    """
    if connection.vendor == "postgresql":
        return "'!' || replace(gen_random_uuid()::text, '-', '')"
    return "'!' || lower(hex(randomblob(16)))"


def insert_accounts(
    org_id: int, rows: Iterable[Sequence[str]], moment: datetime, job_id: int | None = None
) -> Iterator[tuple[int, str, str]]:
    """Create accounts from rows (role, email, username, first, last, phone), created by
    the stored import `job_id` (if any).

    Yields (id, email, username) of each account created, one chunk at a time.
    """
    columns = "role, email, username, first_name, last_name, phone"
    values = ", ".join(_item(index) for index in range(6))
    sql = (
        f"INSERT INTO {ACCOUNT} ({columns}, password, organization_id, status, is_superuser,"
        f" is_staff, created_at, updated_at, created_by_import_id) SELECT {values},"
        f" {_unusable_password()}, %s, 'pending', %s, %s, %s, %s, CAST(%s AS bigint)"
        f" FROM {_elements()}"
        " RETURNING id, email, username"
    )
    at = _now(moment)
    with connection.cursor() as cursor:
        parameters = ([org_id, False, False, at, at, job_id, chunk] for chunk in _chunks(rows))
        for returned in _returned(cursor, sql, parameters):
            yield from returned


def update_accounts(org_id: int, rows: Iterable[Sequence[object]], moment: datetime) -> None:
    """Set (id, first, last, email, username, phone) on accounts of the organization."""
    names = ("first_name", "last_name", "email", "username", "phone")
    assignments = ", ".join(f"{name} = {_item(index + 1)}" for index, name in enumerate(names))
    sql = (
        f"UPDATE {ACCOUNT} SET {assignments}, updated_at = %s FROM {_elements()}"
        f" WHERE {ACCOUNT}.id = CAST({_item(0)} AS bigint) AND {ACCOUNT}.organization_id = %s"
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.execute(sql, [_now(moment), chunk, org_id])


def insert_links(
    org_id: int,
    kind: str,
    pairs: Iterable[tuple[int, int]],
    moment: datetime,
    *,
    new_students: bool = False,
) -> array[int]:
    """Link (student id, other id) pairs; a link that exists already is left alone.

    `new_students`: every student was created in this transaction and each pair comes
    once, so no link can exist yet and none is looked for (ON CONFLICT costs a link
    insert about half as much again; a pair twice would fail the unique constraint).
    Returns the ids of the links made (those that existed are not returned), for undo.
    """
    table, other = LINK_TABLES[kind]
    conflict = "" if new_students else " WHERE true ON CONFLICT DO NOTHING"
    sql = (
        f"INSERT INTO {table} (organization_id, student_id, {other}, created_at)"
        f" SELECT %s, CAST({_item(0)} AS bigint), CAST({_item(1)} AS bigint), %s"
        f" FROM {_elements()}{conflict} RETURNING id"
    )
    made = array("q")
    at = _now(moment)
    with connection.cursor() as cursor:
        parameters = ([org_id, at, chunk] for chunk in _chunks(pairs))
        for returned in _returned(cursor, sql, parameters):
            made.extend(row[0] for row in returned)
    return made


def insert_external_ids(
    org_id: int, rows: Iterable[tuple[int, str, str]], moment: datetime
) -> None:
    """Keep (account id, system, id) on accounts; an id an account holds already stays."""
    sql = (
        f"INSERT INTO {EXTERNAL_ID} (organization_id, account_id, source, value, created_at)"
        f" SELECT %s, CAST({_item(0)} AS bigint), {_item(1)}, {_item(2)}, %s"
        f" FROM {_elements()} WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.execute(sql, [org_id, _now(moment), chunk])


def insert_invitations(org_id: int, new_account_ids: Iterable[int], moment: datetime) -> array[int]:
    """Queue one invitation per account created in the current transaction.

    Nobody else can have queued one for an account not yet committed, so there is no
    conflict to look for (ON CONFLICT cost 150,000 invitations a third of a second).
    Returns the new invitations' ids, for delivery once the transaction commits.
    """
    sql = (
        f"INSERT INTO {INVITATION} (organization_id, account_id, status, attempts, created_at,"
        f" error) SELECT %s, CAST({_item(0)} AS bigint), 'queued', 0, %s, ''"
        f" FROM {_elements()} RETURNING id"
    )
    made = array("q")  # a million ids in 8 MB, not 40 MB of int objects
    at = _now(moment)
    with connection.cursor() as cursor:
        chunks = _chunks((account_id,) for account_id in new_account_ids)
        for returned in _returned(cursor, sql, ([org_id, at, chunk] for chunk in chunks)):
            made.extend(row[0] for row in returned)
    return made


def json_chunks(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Rows as the JSON chunks the statements below take (to hold them compactly)."""
    return _json_batches(rows)


def insert_import_keys(org_id: int, job_id: int, chunks: Iterable[str]) -> None:
    """Store a job's keys from JSON chunks of (tab id, row number, use, key)."""
    # CROSS JOIN: SQLite then reads the JSON rows in the outer loop and looks each row up
    # by its unique key, instead of scanning the JSON once per stored row.
    sql = (
        f"INSERT INTO {IMPORT_KEY} (organization_id, job_id, row_id, use, key)"
        f" SELECT %s, %s, r.id, CAST({_item(2)} AS integer), {_item(3)} FROM {_elements()}"
        f" CROSS JOIN {IMPORT_ROW} r WHERE r.organization_id = %s"
        f" AND r.tab_id = CAST({_item(0)} AS bigint) AND r.number = CAST({_item(1)} AS bigint)"
    )
    with connection.cursor() as cursor:
        for chunk in chunks:
            cursor.execute(sql, [org_id, job_id, chunk, org_id])


def insert_import_rows(
    org_id: int, job_id: int, tab_id: int, rows: Iterable[tuple[int, list[str], list[int]]]
) -> int:
    """Store a tab's rows as read: (row number, cells, lossy columns). Returns how many."""
    sql = (
        f"INSERT INTO {IMPORT_ROW}"
        " (organization_id, job_id, tab_id, number, cells, lossy, deleted, severity)"
        f" SELECT %s, %s, %s, CAST({_item(0)} AS bigint), {_json_item(1)}, {_json_item(2)},"
        f" %s, 0 FROM {_elements()}"
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in batched(rows, CHUNK, strict=False):
            chunk = json.dumps(batch, ensure_ascii=False)
            cursor.execute(sql, [org_id, job_id, tab_id, False, chunk])
            count += len(batch)
    return count


def update_import_rows(org_id: int, rows: Iterable[tuple[int, list[str], list[int], bool]]) -> None:
    """Set (row id, cells, lossy columns, deleted) on stored import rows of the organization:
    a review's group fix, find & replace, undo or redo, one statement per CHUNK rows."""
    deleted = f"CAST({_item(3)} AS integer) = 1"
    # "+": SQLite would otherwise scan the organization's rows and, for each, every JSON
    # row (seconds at 3,000 rows); without the index on it, it looks each JSON row up by id.
    unindexed = "+" if connection.vendor == "sqlite" else ""
    sql = (
        f"UPDATE {IMPORT_ROW} SET cells = {_json_item(1)}, lossy = {_json_item(2)},"
        f" deleted = {deleted} FROM {_elements()}"
        f" WHERE {IMPORT_ROW}.id = CAST({_item(0)} AS bigint)"
        f" AND {unindexed}{IMPORT_ROW}.organization_id = %s"
    )
    with connection.cursor() as cursor:
        for batch in batched(rows, CHUNK, strict=False):
            chunk = json.dumps(
                [(row_id, cells, lossy, int(gone)) for row_id, cells, lossy, gone in batch],
                ensure_ascii=False,
            )
            cursor.execute(sql, [chunk, org_id])


def insert_updated_accounts(
    org_id: int, job_id: int, rows: Iterable[tuple[int, dict[str, str], dict[str, str]]]
) -> None:
    """Record (account id, values before, values after) of each account an import updated."""
    table = UpdatedAccount._meta.db_table
    sql = (
        f"INSERT INTO {table} (organization_id, job_id, account_id, before, after)"
        f" SELECT %s, %s, CAST({_item(0)} AS bigint), {_json_item(1)}, {_json_item(2)}"
        f" FROM {_elements()}"
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.execute(sql, [org_id, job_id, chunk])


def insert_named_links(
    org_id: int, job_id: int, kind: str, pairs: Iterable[tuple[int, int]]
) -> None:
    """Record the (student id, other id) links of one kind an import named that existed."""
    table = NamedLink._meta.db_table
    sql = (
        f"INSERT INTO {table} (organization_id, job_id, kind, student_id, other_id)"
        f" SELECT %s, %s, %s, CAST({_item(0)} AS bigint), CAST({_item(1)} AS bigint)"
        f" FROM {_elements()}"
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs):
            cursor.execute(sql, [org_id, job_id, kind, chunk])


def delete_rows(table: str, org_id: int, ids: Iterable[int], *, column: str = "id") -> int:
    """Delete the organization's rows of `table` whose `column` is one of `ids` (undo)."""
    sql = (
        f"DELETE FROM {table} WHERE organization_id = %s AND {column} IN"
        f" (SELECT CAST({_item(0)} AS bigint) FROM {_elements()})"
    )
    deleted = 0
    with connection.cursor() as cursor:
        for chunk in _chunks((each,) for each in ids):
            cursor.execute(sql, [org_id, chunk])
            deleted += cursor.rowcount
    return deleted
