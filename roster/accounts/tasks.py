"""Background doors for accounts: ids in, one core call inside."""

from django.tasks import task

from roster.accounts.delivery import deliver


@task()
def deliver_invitations(organization_id: int, invitation_ids: list[int]) -> dict[str, int]:
    return deliver(organization_id, invitation_ids)
