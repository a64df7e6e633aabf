"""User Management's search index on PostgreSQL: one trigram GIN index (migration 0004).

Adding 100,000 accounts to it one entry at a time costs seconds inside an import's
transaction. A big import instead leaves its new entries in the index's pending list,
which is cheap to write and searched as it is (unsorted, so searches are slower until
it is merged); a task merges it into the index as soon as the import has committed, and
autovacuum would do it anyway.
"""

from django.db import connection
from django.db.transaction import on_commit

INDEX = "account_search_text_trgm"
BIG_IMPORT = 10_000  # new accounts from which a task merges their entries right after


def defer_new_entries(count: int) -> None:
    """Inside an import's transaction that creates `count` accounts: defer their entries.

    A small import's entries fit the pending list's usual limit anyway; the statement is
    the same for every import so that an import costs as many queries whatever its size.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Until the transaction ends the index takes every entry into its pending list, up
        # to the most PostgreSQL allows (2 TB; 2 GB where C's long is 32 bits): never
        # reached. Entries take ~1.2 kB each there, so with the earlier "1GB" an import of
        # 1,000,000 students (1.55 M accounts) passed it at ~800,000 and merged the whole
        # list inside its transaction, ~19 of its 89 s of statements.
        cursor.execute(
            "SELECT set_config(name, max_val, true) FROM pg_settings"
            " WHERE name = 'gin_pending_list_limit'"
        )
    if count >= BIG_IMPORT:
        from roster.accounts.tasks import merge_search_entries  # the tasks import this module

        on_commit(merge_search_entries.enqueue)


def merge_pending_entries() -> int:
    """Merge the pending list into the index; returns how many pages it held."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
        pages: int = cursor.fetchone()[0]
    return pages
