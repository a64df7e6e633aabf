"""User Management's search on PostgreSQL: a table of entries with a trigram index.

Each account of an organization has an entry (its `search_text`: names, email, username)
in `accounts_searchentry` (models.SearchEntry), with a trigram GIN index (migration 0010).
Triggers keep it: every account inserted or renamed writes its entry in the same
transaction; whoever deletes accounts deletes their entries (Django's cascade, undo's
bulk delete; the foreign key refuses anything else). The trigram entries were the
costliest part of an import's INSERT (153,000 accounts: 4.8–5.0 s with them on the
accounts' table, 2.4–2.7 s without), so a big import asks the trigger to leave its new
accounts alone (`search_later`) and records the range of their ids in
`accounts_searchbacklog`; a task writes their entries right after the commit, 50,000 at
a time, and until then a search of the organization also reads those accounts
themselves (`matching_ids`), so nothing is ever missing from a search.

New entries wait in the index's pending list, which is cheap to write and searched as it
is (unsorted: searches slow down as it grows). No insert ever merges it (the index's own
limit is the most PostgreSQL takes: with the usual 4 MB, the first account added after
a big import merged the whole list inside that request, 2.75 s for one Add User after
1,000,000 students); the task merges after each chunk, and the minute's sweep
(`roster_sweep_invitations`) does the rest; autovacuum does it too.
"""

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.transaction import on_commit

INDEX = "search_entry_text_trgm"
# The tables of models.SearchEntry and models.SearchBacklog (models.py imports this module).
ENTRY = "accounts_searchentry"
BACKLOG = "accounts_searchbacklog"
BIG_IMPORT = 10_000  # new accounts from which their entries are written after the commit
CHUNK = 50_000  # accounts' ids a task writes the entries of in one transaction


def search_later(count: int) -> bool:
    """Inside a transaction about to create `count` accounts: when they are many, have
    their entries written after it commits (then call `record_backlog`)."""
    if connection.vendor != "postgresql" or count < BIG_IMPORT:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('roster.search_later', 'on', true)")
    return True


def record_backlog(org_id: int, ids: Sequence[int]) -> None:
    """Remember the accounts created without entries (their ids' range), and have a task
    write them once the transaction commits."""
    first = min((each for each in ids if each), default=0)  # 0: no account was created
    if not first:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BACKLOG} (organization_id, first_id, last_id) VALUES (%s, %s, %s)",
            [org_id, first, max(ids)],
        )
        # Anything created after this in the transaction gets its entry at once again.
        cursor.execute("SELECT set_config('roster.search_later', 'off', true)")
    _merge_after_commit()


def hold_waiting_entries(org_id: int) -> None:
    """Until the transaction ends, keep the task from writing the organization's waiting
    entries (waiting for the chunk it is writing, if any)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {BACKLOG} WHERE organization_id = %s FOR UPDATE", [org_id])


def merge_after_commit(count: int) -> None:
    """In a transaction that writes `count` entries: when they are many, merge them into
    the index once it commits, without waiting for the next sweep."""
    if connection.vendor == "postgresql" and count >= BIG_IMPORT:
        _merge_after_commit()


def _merge_after_commit() -> None:
    from roster.accounts.tasks import merge_search_entries  # the tasks import this module

    on_commit(merge_search_entries.enqueue)


def matching_ids(org_id: int, words: Sequence[str]) -> tuple[str, list[object]]:
    """SQL for the ids of the organization's accounts whose search text contains every
    word, in any case, and its parameters: the entries, and the accounts still waiting
    for theirs."""
    patterns = [f"%{connection.ops.prep_for_like_query(word)}%" for word in words]
    entry = " AND ".join(["UPPER(e.text) LIKE UPPER(%s)"] * len(words))
    waiting = " AND ".join(["UPPER(a.search_text) LIKE UPPER(%s)"] * len(words))
    sql = (
        f"SELECT e.account_id FROM {ENTRY} e WHERE e.organization_id = %s AND {entry}"
        f" UNION ALL SELECT a.id FROM {BACKLOG} b JOIN accounts_account a"
        " ON a.organization_id = b.organization_id AND a.id BETWEEN b.first_id AND b.last_id"
        f" WHERE b.organization_id = %s AND {waiting}"
    )
    return sql, [org_id, *patterns, org_id, *patterns]


def write_waiting_entries() -> int:
    """Write the entries of every account a big import left waiting, CHUNK at a time, each
    chunk committed and merged on its own; returns how many were written."""
    if connection.vendor != "postgresql":
        return 0
    written = 0
    while (done := _next_chunk()) is not None:
        written += done
        merge_pending_entries()
    return written


def _next_chunk() -> int | None:
    """One chunk of the oldest waiting range (None: nothing waits)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT organization_id, id, first_id, last_id FROM {BACKLOG}"
            " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
        )
        row = cursor.fetchone()
        if row is None:
            return None
        org_id, backlog_id, first, last = row
        upto = min(last, first + CHUNK - 1)
        cursor.execute(
            f"INSERT INTO {ENTRY} (organization_id, account_id, text)"
            " SELECT organization_id, id, search_text FROM accounts_account"
            " WHERE organization_id = %s AND id BETWEEN %s AND %s"
            " ON CONFLICT (organization_id, account_id) DO NOTHING",
            [org_id, first, upto],
        )
        written: int = cursor.rowcount
        if upto >= last:
            cursor.execute(
                f"DELETE FROM {BACKLOG} WHERE organization_id = %s AND id = %s",
                [org_id, backlog_id],
            )
        else:
            cursor.execute(
                f"UPDATE {BACKLOG} SET first_id = %s WHERE organization_id = %s AND id = %s",
                [upto + 1, org_id, backlog_id],
            )
    return written


def merge_pending_entries() -> int:
    """Merge the pending list into the index; returns how many pages it held."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
        pages: int = cursor.fetchone()[0]
    return pages
