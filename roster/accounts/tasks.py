"""Background doors for accounts: ids in, one core call inside."""

from django.tasks import task

from roster.accounts.delivery import deliver
from roster.accounts.outbox import enqueue_batches, ids_of
from roster.accounts.search_index import merge_pending_entries, write_waiting_entries


@task()
def deliver_invitations(organization_id: int, invitation_ids: list[int]) -> dict[str, int]:
    return deliver(organization_id, invitation_ids)


@task()
def fan_out_delivery(organization_id: int, id_runs: list[list[int]], priority: int) -> int:
    """Enqueue the delivery tasks of a big batch of invitations (outbox.enqueue_delivery)."""
    ids = ids_of(id_runs)
    enqueue_batches(organization_id, ids, priority=priority)
    return len(ids)


# On the imports' queue: after 1,000,000 students it writes for ~34 s, which no email
# should wait behind (search_index.py; the organization's search works meanwhile).
@task(queue_name="imports")
def merge_search_entries() -> int:
    """After a big import: its accounts' search entries written, and merged into the
    index proper; returns how many were written."""
    written = write_waiting_entries()
    merge_pending_entries()
    return written
