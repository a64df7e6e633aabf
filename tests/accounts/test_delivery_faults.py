"""One bad message or a line dropped before DATA: the batch goes on, nothing claimed sent.

Issue 11: an address Django cannot send to (a non-ASCII local part) crashed its delivery
task, was marked "interrupted… in case it arrived" though never sent, and held up the
rest of its batch for the sweep's quarter of an hour. The other faults (refusals, a
server down, one that accepts then hangs up) are in test_delivery_failures.py.
"""

from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roster.accounts.delivery import CUT_OFF, NOT_SENT
from roster.accounts.models import Account, Invitation, InvitationStatus, Role
from roster.accounts.outbox import RETRY_AFTER
from roster.orgs.models import Organization
from tests.accounts.test_invitations import _invite, run_worker, worker_db
from tests.conftest import SmtpCollector, make_account


def _kids(org: Organization, count: int) -> list[Account]:
    return [make_account(org, Role.STUDENT, f"kid{n}@example.com") for n in range(count)]


def _statuses(org: Organization) -> dict[int, str]:
    return dict(Invitation.objects.in_org(org).values_list("account_id", "status"))


@worker_db
def test_an_address_that_cannot_be_sent_fails_alone_and_its_batch_goes_on(
    org: Organization,
    admin_client: Client,
    smtp: SmtpCollector,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, bad, last = _kids(org, 3)
    # Imports and the form refuse such an address now; one stored before still meets this.
    Account.objects.filter(pk=bad.pk).update(email="jösé@example.com")
    bad.refresh_from_db()
    _invite(org, first, bad, last, capture=django_capture_on_commit_callbacks)
    run_worker()

    assert _statuses(org) == {
        first.pk: InvitationStatus.SENT,
        bad.pk: InvitationStatus.FAILED,
        last.pk: InvitationStatus.SENT,
    }
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["kid0@example.com", "kid2@example.com"]
    failed = Invitation.objects.get(account=bad)
    assert failed.error.startswith(NOT_SENT) and "ValueError" in failed.error
    assert "in case it arrived" not in failed.error
    tasks = DBTaskResult.objects.filter(task_path__endswith="deliver_invitations")
    assert set(tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}  # no crash
    page = admin_client.get(f"/o/northside/users/{bad.pk}/").content.decode()
    assert NOT_SENT in page

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        run_worker()
    assert len(smtp.messages) == 2  # nothing sent again


@worker_db
def test_a_line_dropped_before_data_queues_the_message_again_never_may_have_arrived(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    first, second, third = _kids(org, 3)
    smtp.hang_up_before_data_after = 1  # the second message's recipient: then the line drops
    _invite(org, first, second, third, capture=django_capture_on_commit_callbacks)
    run_worker()

    assert _statuses(org) == {
        first.pk: InvitationStatus.SENT,
        second.pk: InvitationStatus.QUEUED,  # it never left: tried again after its back-off
        third.pk: InvitationStatus.QUEUED,
    }
    dropped = Invitation.objects.get(account=second)
    assert dropped.attempts == 1 and "SMTPServerDisconnected" in dropped.error
    assert CUT_OFF not in dropped.error
    with time_machine.travel(timezone.now() + RETRY_AFTER[0] + timedelta(seconds=5)):
        run_worker()
        run_worker()
    assert [m.rcpt_tos[0] for m in smtp.messages] == [
        "kid0@example.com",
        "kid1@example.com",
        "kid2@example.com",
    ]
    assert set(_statuses(org).values()) == {InvitationStatus.SENT}
