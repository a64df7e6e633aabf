"""No intent is ever lost: the sweep picks up what lost tasks and dead workers left behind."""

from datetime import timedelta
from typing import Any

import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roster.accounts.delivery import deliver
from roster.accounts.models import Invitation, InvitationStatus, Role
from roster.accounts.sweep import STALLED_AFTER
from roster.orgs.models import Organization
from tests.accounts.test_invitations import _invite, run_worker, worker_db
from tests.conftest import SmtpCollector, make_account

LATER = STALLED_AFTER + timedelta(minutes=1)


def sweep() -> None:
    call_command("roster_sweep_invitations", verbosity=0)


def _lost(org: Organization, email: str, **fields: Any) -> Invitation:
    """An invitation committed without a delivery task: the enqueue after commit never ran."""
    account = make_account(org, Role.STUDENT, email)
    return Invitation.objects.create(organization=org, account=account, **fields)


@worker_db
def test_an_invitation_whose_task_was_never_enqueued_is_delivered_once(
    org: Organization, smtp: SmtpCollector
) -> None:
    lost = _lost(org, "kid@example.com")
    sweep()  # not overdue yet: its task may simply be on its way
    run_worker()
    assert smtp.messages == []
    with time_machine.travel(timezone.now() + LATER):
        sweep()
        sweep()  # a second sweep does not queue it again
        run_worker()
        run_worker()
    assert [m.rcpt_tos for m in smtp.messages] == [["kid@example.com"]]
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (InvitationStatus.SENT, 1)


@worker_db
def test_an_invitation_whose_worker_died_before_sending_is_delivered_once(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    _invite(org, kid, capture=django_capture_on_commit_callbacks)
    # A worker took the task and died with it: the task stays "running" for ever.
    assert DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now()) == 1
    run_worker()
    assert smtp.messages == []
    with time_machine.travel(timezone.now() + LATER):
        sweep()
        run_worker()
    assert [m.rcpt_tos for m in smtp.messages] == [["kid@example.com"]]
    assert Invitation.objects.get(account=kid).status == InvitationStatus.SENT


@worker_db
def test_a_lost_retry_is_picked_up_after_its_due_time(
    org: Organization, smtp: SmtpCollector
) -> None:
    due = timezone.now() + timedelta(minutes=30)
    lost = _lost(org, "kid@example.com", attempts=1, next_attempt_at=due, error="451")
    with time_machine.travel(due - timedelta(minutes=1)):
        sweep()
        run_worker()
    assert smtp.messages == []
    with time_machine.travel(due + LATER):
        sweep()
        run_worker()
    lost.refresh_from_db()
    assert (lost.status, lost.attempts, len(smtp.messages)) == (InvitationStatus.SENT, 2, 1)


@worker_db
def test_a_send_a_dead_worker_left_is_failed_by_the_sweep_and_never_resent(
    org: Organization, smtp: SmtpCollector
) -> None:
    claimed = timezone.now()
    stalled = _lost(
        org, "kid@example.com", status=InvitationStatus.SENDING, claimed_at=claimed, attempts=1
    )
    with time_machine.travel(claimed + timedelta(minutes=5)):
        sweep()  # still within a live worker's reach
    stalled.refresh_from_db()
    assert stalled.status == InvitationStatus.SENDING
    with time_machine.travel(claimed + LATER):
        sweep()
        run_worker()
    stalled.refresh_from_db()
    assert (stalled.status, stalled.attempts) == (InvitationStatus.FAILED, 1)
    assert stalled.error and smtp.messages == []


@worker_db
def test_every_delivery_sweeps_its_own_organization_only(
    org: Organization, other_org: Organization, smtp: SmtpCollector
) -> None:
    with time_machine.travel(timezone.now() - LATER):
        _lost(org, "ours@example.com")
        theirs = _lost(other_org, "theirs@example.com")
    fresh = _lost(org, "fresh@example.com")
    deliver(org.pk, [fresh.pk])
    run_worker()
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["fresh@example.com", "ours@example.com"]
    theirs.refresh_from_db()
    assert (theirs.status, theirs.attempts) == (InvitationStatus.QUEUED, 0)
    sweep()  # the periodic sweep covers every organization
    run_worker()
    assert Invitation.objects.get(pk=theirs.pk).status == InvitationStatus.SENT
    assert len(smtp.messages) == 3


@worker_db
def test_the_sweep_leaves_invitations_that_are_waiting_for_a_worker_alone(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    _invite(org, kid, capture=django_capture_on_commit_callbacks)
    sweep()
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert len(smtp.messages) == 1


def test_sweeping_costs_the_same_queries_for_many_invitations(org: Organization) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(count: int, prefix: str) -> int:
        with time_machine.travel(timezone.now() - LATER):
            for n in range(count):
                _lost(org, f"{prefix}{n}@example.com")
                _lost(
                    org,
                    f"{prefix}{n}.stalled@example.com",
                    status="sending",
                    claimed_at=timezone.now(),
                )
        with CaptureQueriesContext(connection) as queries:
            sweep()
        assert Invitation.objects.filter(status=InvitationStatus.FAILED).count() >= count
        return len(queries)

    assert cost(2, "few") == cost(40, "many")


def test_a_delivery_never_sends_another_organizations_invitations(
    org: Organization, other_org: Organization, smtp: SmtpCollector
) -> None:
    theirs = _lost(other_org, "theirs@example.com")
    assert deliver(org.pk, [theirs.pk])["skipped"] == 1
    theirs.refresh_from_db()
    assert (theirs.status, theirs.attempts, smtp.messages) == (InvitationStatus.QUEUED, 0, [])
