"""A mail server that is down, refuses, or hangs up: retried with back-off, never sent twice."""

from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus, Role
from roster.accounts.outbox import RETRY_AFTER
from roster.orgs.models import Organization
from tests.accounts.test_invitations import _invite, run_worker, worker_db
from tests.conftest import SmtpCollector, SmtpOutage, make_account


def _kids(org: Organization, count: int) -> list[Account]:
    return [make_account(org, Role.STUDENT, f"kid{n}@example.com") for n in range(count)]


@worker_db
def test_smtp_down_counts_an_attempt_shows_it_and_the_retry_delivers_once(
    org: Organization,
    admin_client: Client,
    smtp_down: SmtpOutage,
    django_capture_on_commit_callbacks: Any,
) -> None:
    kid, mum = _kids(org, 2)
    _invite(org, kid, mum, capture=django_capture_on_commit_callbacks)
    run_worker()
    rows = list(Invitation.objects.in_org(org).order_by("pk"))
    assert [(i.status, i.attempts) for i in rows] == [(InvitationStatus.QUEUED, 1)] * 2
    assert all("ConnectionRefusedError" in i.error for i in rows)
    assert all(i.next_attempt_at and i.next_attempt_at > i.created_at for i in rows)
    page = admin_client.get(f"/o/northside/users/{kid.pk}/")
    [shown] = page.context["invitations"]
    assert (shown.pk, shown.next_attempt_at) == (rows[0].pk, rows[0].next_attempt_at)
    assert rows[0].error in page.content.decode()

    smtp = smtp_down.restore()
    run_worker()  # the retry waits for its back-off
    assert smtp.messages == []
    with time_machine.travel(timezone.now() + RETRY_AFTER[0] + timedelta(seconds=5)):
        run_worker()
        run_worker()
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["kid0@example.com", "kid1@example.com"]
    assert {(i.status, i.attempts) for i in Invitation.objects.in_org(org)} == {
        (InvitationStatus.SENT, 2)
    }


@worker_db
def test_smtp_down_for_good_fails_after_the_last_attempt(
    org: Organization, smtp_down: SmtpOutage, django_capture_on_commit_callbacks: Any
) -> None:
    [kid] = _kids(org, 1)
    _invite(org, kid, capture=django_capture_on_commit_callbacks)
    run_worker()
    moment = timezone.now()
    for delay in RETRY_AFTER:
        moment += delay + timedelta(seconds=5)
        with time_machine.travel(moment):
            run_worker()
    invitation = Invitation.objects.get(account=kid)
    assert (invitation.status, invitation.attempts) == (InvitationStatus.FAILED, 5)
    assert invitation.next_attempt_at is None and "ConnectionRefusedError" in invitation.error


@worker_db
def test_a_server_that_hangs_up_mid_message_never_gets_it_twice(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    first, second, third = _kids(org, 3)
    smtp.hang_up_after = 1  # the second message arrives, but its answer is lost
    _invite(org, first, second, third, capture=django_capture_on_commit_callbacks)
    run_worker()
    statuses = dict(Invitation.objects.in_org(org).values_list("account_id", "status"))
    assert statuses == {
        first.pk: InvitationStatus.SENT,
        second.pk: InvitationStatus.FAILED,  # may have arrived: shown, never retried
        third.pk: InvitationStatus.QUEUED,  # never handed over: retried later
    }
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        run_worker()
        run_worker()
    assert [m.rcpt_tos[0] for m in smtp.messages] == [
        "kid0@example.com",
        "kid1@example.com",
        "kid2@example.com",
    ]
    assert Invitation.objects.get(account=third).status == InvitationStatus.SENT


@worker_db
def test_a_refusal_is_retried_on_the_same_schedule(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    [kid] = _kids(org, 1)
    smtp.refuse = True
    _invite(org, kid, capture=django_capture_on_commit_callbacks)
    run_worker()
    invitation = Invitation.objects.get(account=kid)
    assert invitation.next_attempt_at is not None and invitation.claimed_at is not None
    assert invitation.next_attempt_at - invitation.claimed_at >= RETRY_AFTER[0]
    assert (invitation.status, invitation.attempts) == (InvitationStatus.QUEUED, 1)


@worker_db
def test_a_server_closing_the_connection_leaves_the_rest_for_the_retry(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = _kids(org, 2)
    smtp.refuse, smtp.refusal = True, "421 Too busy, closing"
    _invite(org, first, second, capture=django_capture_on_commit_callbacks)
    run_worker()
    rows = Invitation.objects.in_org(org)
    assert {(i.status, i.attempts) for i in rows} == {(InvitationStatus.QUEUED, 1)}
    smtp.refuse = False
    with time_machine.travel(timezone.now() + RETRY_AFTER[0] + timedelta(seconds=5)):
        run_worker()
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["kid0@example.com", "kid1@example.com"]


def test_an_unreachable_server_costs_the_same_queries_for_a_full_delivery(
    org: Organization, smtp_down: SmtpOutage, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roster.accounts.delivery import deliver

    def cost(count: int, prefix: str) -> int:
        ids = [
            Invitation.objects.create(organization=org, account=account).pk
            for account in [
                make_account(org, Role.STUDENT, f"{prefix}{n}@example.com") for n in range(count)
            ]
        ]
        with django_capture_on_commit_callbacks(), CaptureQueriesContext(connection) as queries:
            assert deliver(org.pk, ids)["retry"] == count
        return len(queries)

    assert cost(2, "few") == cost(40, "many")
