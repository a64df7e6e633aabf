"""The organization's lock: every writer of its accounts takes it first, then writes.

Imports, hand edits (Add User, edit user), resends of welcome emails: each takes this
lock at the start of its transaction, before touching any account, link or invitation.
One lock, taken first, in one order: two writers of one organization wait for each other
instead of deadlocking (one holding an account's email in a unique index while waiting
for the organization's row that the other holds; PostgreSQL had to kill one of them).
On SQLite the transaction's write lock already serialises writers.
"""

from django.db import transaction

from roster.orgs.models import Organization


def lock_accounts_of(org: Organization | int) -> None:
    """Wait for, then hold until the transaction ends, the right to write `org`'s accounts."""
    assert transaction.get_connection().in_atomic_block, "the lock lasts a transaction"
    org_id = org if isinstance(org, int) else org.pk
    list(Organization.objects.select_for_update().filter(pk=org_id).values_list("pk"))
