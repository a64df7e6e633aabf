"""Resending welcome emails: the cool-down holds back only emails that went out or are on their way."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import time_machine
from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus, Role
from roster.accounts.resend import ResendResult, resend_welcome_emails
from roster.audit.log import SYSTEM
from roster.orgs.models import Organization
from tests.accounts.test_invitations import link_in, run_worker, worker_db
from tests.conftest import SmtpCollector, make_account

AGO = timedelta(minutes=2)  # well inside the 10-minute cool-down
LONG_AGO = timedelta(minutes=11)


def _resend(org: Organization, *accounts: Account, capture: Any) -> ResendResult:
    with capture(execute=True):
        return resend_welcome_emails(
            org, Account.objects.filter(pk__in=[a.pk for a in accounts]), by=SYSTEM
        )


def _with_invitation(org: Organization, email: str, age: timedelta, **fields: Any) -> Account:
    account = make_account(org, Role.STUDENT, email)
    with time_machine.travel(timezone.now() - age):
        Invitation.objects.create(organization=org, account=account, **fields)
    return account


@worker_db
def test_a_queued_email_older_than_the_cool_down_is_replaced_and_sent_once(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    kid = _with_invitation(org, "kid@example.com", LONG_AGO)  # its delivery never happened
    result = _resend(org, kid, capture=django_capture_on_commit_callbacks)
    assert (result.queued, result.recently_sent) == (1, 0)
    old, new = Invitation.objects.in_org(org).order_by("pk")
    assert (old.status, new.status) == (InvitationStatus.CANCELLED, InvitationStatus.QUEUED)
    run_worker()
    run_worker()
    assert [m.rcpt_tos for m in smtp.messages] == [["kid@example.com"]]
    assert Client().get(urlsplit(link_in(smtp.parsed()[0])).path).status_code == 200


def test_a_failed_email_can_be_resent_at_once(
    org: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    failed = _with_invitation(
        org, "failed@example.com", AGO, status=InvitationStatus.FAILED, attempts=5, error="x"
    )
    retrying = _with_invitation(org, "retry@example.com", AGO, attempts=1, error="451")
    result = _resend(org, failed, retrying, capture=django_capture_on_commit_callbacks)
    assert (result.queued, result.recently_sent) == (2, 0)
    statuses = list(
        Invitation.objects.in_org(org).order_by("pk").values_list("account_id", "status")
    )
    assert statuses == [
        (failed.pk, InvitationStatus.FAILED),
        (retrying.pk, InvitationStatus.CANCELLED),  # replaced rather than waiting its back-off
        (failed.pk, InvitationStatus.QUEUED),
        (retrying.pk, InvitationStatus.QUEUED),
    ]


def test_the_cool_down_holds_back_emails_sent_recently_or_on_their_way(
    org: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    recent = _with_invitation(
        org, "recent@example.com", LONG_AGO, status=InvitationStatus.SENT, sent_at=now - AGO
    )
    queued = _with_invitation(org, "queued@example.com", AGO)
    sending = _with_invitation(
        org, "sending@example.com", LONG_AGO, status=InvitationStatus.SENDING, claimed_at=now
    )
    old = _with_invitation(
        org, "old@example.com", LONG_AGO, status=InvitationStatus.SENT, sent_at=now - LONG_AGO
    )
    before = Invitation.objects.count()
    result = _resend(org, recent, queued, sending, old, capture=django_capture_on_commit_callbacks)
    assert (result.queued, result.recently_sent) == (1, 3)
    assert Invitation.objects.count() == before + 1
    assert Invitation.objects.in_org(org).latest("pk").account == old


def test_resending_costs_the_same_queries_for_many_accounts(
    org: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(count: int, prefix: str) -> int:
        accounts = [
            make_account(org, Role.STUDENT, f"{prefix}{n}@example.com") for n in range(count)
        ]
        for account in accounts[::2]:  # half have an old email still queued: replaced
            with time_machine.travel(timezone.now() - LONG_AGO):
                Invitation.objects.create(organization=org, account=account)
        with CaptureQueriesContext(connection) as queries:
            result = _resend(org, *accounts, capture=django_capture_on_commit_callbacks)
        assert result.queued == count
        return len(queries)

    assert cost(2, "few") == cost(40, "many")
