"""undo_import(): the only writer of an undo. All or nothing, under the organization's lock.

The job's row first, then the organization's lock, as the apply takes them; then the plan
is made again under the lock (what the preview showed may have moved) and carried out in a
handful of multi-row statements per kind.
"""

from array import array

from django.db import connection, transaction
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus
from roster.accounts.search_index import ENTRY as SEARCH_ENTRY
from roster.accounts.search_index import hold_waiting_entries, merge_after_commit
from roster.audit.log import By, record
from roster.audit.models import Action as AuditAction
from roster.followup.models import ReminderItem
from roster.importing.models import ImportJob, JobStatus
from roster.importing.undo.ids import IdIn
from roster.importing.undo.plan import LINK_MODELS, UndoPlan, plan_undo
from roster.importing.undo.refusals import Refusal, UndoRefused, refusal
from roster.importing.writes import ACCOUNT, INVITATION, delete_rows, update_accounts
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization


@transaction.atomic
def undo_import(job_id: int, *, org: Organization, by: By, dry_run: bool = False) -> UndoPlan:
    """Undo the organization's applied import `job_id`; returns what was done.

    Raises UndoRefused when it cannot be undone (unknown here, not applied, undone
    already, past the organization's window, or applied before undo was recorded).
    With `dry_run`, nothing is written: the plan is what undo would do now.
    """
    job = (
        ImportJob.objects.select_for_update()
        .select_related("organization")
        .filter(organization=org, pk=job_id)
        .first()
    )
    if job is None:
        raise UndoRefused(Refusal.UNKNOWN_IMPORT, f"no import {job_id} in this organization.")
    lock_accounts_of(org)
    refused = refusal(job, timezone.now())
    if refused is not None:
        raise refused
    plan = plan_undo(job)
    if dry_run:
        return plan
    _carry_out(plan, org.pk)
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk, status=JobStatus.APPLIED).update(
        status=JobStatus.UNDONE,
        undone_at=now,
        undone_by_id=by.actor_id,
        undo_summary=plan.counts(),
        touched_by_id=by.actor_id,
        touched_at=now,
    )
    record(org, AuditAction.UNDID, by=by, import_job=job.pk, detail=plan.counts())
    job.refresh_from_db()
    plan.job = job
    return plan


def _carry_out(plan: UndoPlan, org_id: int) -> None:
    now = timezone.now()
    if plan.remove_accounts:
        _know_the_tables()
    for kind, links in plan.remove_links.items():
        delete_rows(LINK_MODELS[kind]._meta.db_table, org_id, (link[0] for link in links))
    reason = f"import {plan.job.pk} was undone"
    invitations = Invitation.objects.filter(
        IdIn("id", plan.cancel_invitations), organization_id=org_id
    )
    cancelled = invitations.filter(status=InvitationStatus.QUEUED).update(
        status=InvitationStatus.CANCELLED, next_attempt_at=None, error=reason
    )
    if cancelled != len(plan.cancel_invitations):
        # A worker took some meanwhile (it does not take the organization's lock): those
        # are on their way; the lists say what was cancelled.
        done = invitations.filter(status=InvitationStatus.CANCELLED, error=reason)
        pairs = list(done.values_list("pk", "account_id"))
        plan.cancel_invitations = array("q", (pk for pk, _ in pairs))
        plan.cancel_accounts = [account_id for _, account_id in pairs]
    removed = list(plan.remove_accounts)
    if removed:
        # A reminder's lines name the people it went to (followup): they go with them.
        delete_rows(ReminderItem._meta.db_table, org_id, removed, column="account_id")
        delete_rows(INVITATION, org_id, removed, column="account_id")
        for through in (Account.groups.through, Account.user_permissions.through):
            through.objects.filter(IdIn("account_id", removed)).delete()
        # The task writing a big import's search entries (search_index.py) finishes the
        # chunk it is on, then leaves this organization's alone until this commits: an
        # entry it wrote after this delete would name an account gone.
        hold_waiting_entries(org_id)
        delete_rows(SEARCH_ENTRY, org_id, removed, column="account_id")
        delete_rows(ACCOUNT, org_id, removed)
    if plan.restored_rows:
        merge_after_commit(len(plan.restored_rows))
        update_accounts(org_id, plan.restored_rows, now)


def _know_the_tables() -> None:
    """PostgreSQL checks, per account deleted, that no link or invitation still names it.

    Each check looks for (organization, account). Without statistics that show the
    organization's links (just made by a big import, before autovacuum came by), the
    planner reads the organization's whole prefix of the link's unique index for each
    account, where the links undo has just deleted still are — 155,000 accounts took many
    minutes. Statistics taken before those deletes (a sample of 30,000 rows, a fraction of
    a second) make each check one look-up in the account's own index.
    """
    if connection.vendor != "postgresql":
        return
    tables = [INVITATION, *(model._meta.db_table for model in LINK_MODELS.values())]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
