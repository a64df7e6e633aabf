"""User Management's search index on PostgreSQL: one trigram GIN index (migration 0004).

Adding an account's entries to the index proper costs ~60 B-tree insertions; an import
of 100,000 people paid seconds for them inside its transaction. Every insert instead
leaves its entries in the index's pending list, which is cheap to write and searched as
it is (unsorted: searches get slower as it grows until it is merged). Nobody's insert
ever merges it (migration 0010 sets the index's own limit to the most PostgreSQL takes):
with PostgreSQL's usual 4 MB, the first account added after a big import, in any
organization, merged the whole list in that request (2.75 s for one Add User after
1,000,000 students), and an import of 1,000,000 students passed even a 1 GB limit and
merged inside its own transaction. Merging is left to a task enqueued when a big import
commits, and to the minute's sweep (`roster_sweep_invitations`) for everything smaller;
autovacuum does it too.
"""

from django.db import connection
from django.db.transaction import on_commit

INDEX = "account_search_text_trgm"
BIG_IMPORT = 10_000  # new accounts from which a task merges their entries right after


def merge_after_commit(count: int) -> None:
    """Inside a transaction that creates `count` accounts: when they are many, merge
    their search entries once it commits, without waiting for the next sweep."""
    if connection.vendor == "postgresql" and count >= BIG_IMPORT:
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
