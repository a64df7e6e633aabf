"""Activation emails through a real SMTP server: exactly once, retried, never lost."""

import re
from array import array
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from roster.accounts import outbox
from roster.accounts.activation import activation_url
from roster.accounts.delivery import deliver, record_invitations
from roster.accounts.models import (
    Account,
    Invitation,
    InvitationStatus,
    Role,
    Status,
    StudentParent,
)
from roster.accounts.resend import resend_welcome_emails
from roster.accounts.sweep import STALLED_AFTER
from roster.audit.log import SYSTEM
from roster.orgs.models import Organization
from tests.conftest import SmtpCollector, make_account

NEW_PASSWORD = "a fresh long passphrase 42"


# The worker closes database connections between tasks, as in production: tests that run it
# need real transactions rather than one wrapped around the test.
worker_db = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, queue_name="*"
    )


def _invite(org: Organization, *accounts: Account, capture: Any) -> list[int]:
    with capture(execute=True):
        return record_invitations(org, accounts)


def link_in(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S+/activate/\S+/", body)
    assert match, body
    return match.group(0)


@worker_db
def test_each_new_account_gets_exactly_one_email(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    mum = make_account(org, Role.PARENT, "mum@example.com")
    _invite(org, kid, mum, capture=django_capture_on_commit_callbacks)
    run_worker()
    run_worker()  # a second worker pass finds nothing left to send
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["kid@example.com", "mum@example.com"]
    kid.refresh_from_db()
    assert kid.status == Status.INVITED
    message = smtp.parsed()[0]
    assert "Northside Tutoring" in message["Subject"]
    assert message.get_body(preferencelist=("html",)) is not None


@worker_db
def test_a_big_batch_is_fanned_out_by_a_worker_and_each_email_still_sent_once(
    org: Organization,
    smtp: SmtpCollector,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small limits so that seven invitations make four batches, past the fan-out's two.
    monkeypatch.setattr(outbox, "BATCH", 2)
    monkeypatch.setattr(outbox, "FAN_OUT_AFTER", 2)
    people = [make_account(org, Role.PARENT, f"p{number}@example.com") for number in range(7)]
    ids = _invite(org, *people, capture=django_capture_on_commit_callbacks)
    # Committing enqueued one task, not four: the worker enqueues the deliveries.
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "roster.accounts.tasks.fan_out_delivery"
    ]
    run_worker()
    run_worker()
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == sorted(p.email for p in people)
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_invitations").count() == 4
    assert set(Invitation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        InvitationStatus.SENT
    }


def test_invitation_ids_travel_as_runs_of_consecutive_ids() -> None:
    ids = [7, 3, 4, 5, 9, 10, 12]
    runs = outbox.id_runs(ids)
    assert runs == [[3, 5], [7, 7], [9, 10], [12, 12]]
    assert outbox.ids_of(runs) == sorted(ids)
    assert outbox.id_runs(array("q", [1, 2, 3, 5])) == [[1, 3], [5, 5]]  # as an INSERT returns


@worker_db
def test_the_link_sets_a_password_and_logs_in(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    mum = make_account(org, Role.PARENT, "mum@example.com")
    _invite(org, mum, capture=django_capture_on_commit_callbacks)
    run_worker()
    link = link_in(smtp.parsed()[0])
    client = Client()
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    weak = client.post(path, {"password1": "123", "password2": "123"})
    assert weak.context["form"].errors  # Django's validators apply
    done = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/o/northside/").context["user"] == mum
    mum.refresh_from_db()
    assert mum.status == Status.ACTIVE and mum.check_password(NEW_PASSWORD)
    reused = Client().get(path)
    assert (reused.status_code, reused.context["problem"]) == (410, "used")


def test_expired_and_superseded_links_are_refused(org: Organization) -> None:
    mum = make_account(org, Role.PARENT, "mum@example.com")
    first = Invitation.objects.create(organization=org, account=mum, status=InvitationStatus.SENT)
    old_link = urlsplit(activation_url(first)).path
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        expired = Client().get(old_link)
    assert (expired.status_code, expired.context["problem"]) == (410, "expired")
    Invitation.objects.create(organization=org, account=mum, status=InvitationStatus.SENT)
    superseded = Client().get(old_link)
    assert (superseded.status_code, superseded.context["problem"]) == (410, "superseded")
    assert Client().get("/o/northside/activate/garbage/").status_code == 404


def test_a_link_works_only_in_its_own_organization(
    org: Organization, other_org: Organization
) -> None:
    mum = make_account(org, Role.PARENT, "mum@example.com")
    invitation = Invitation.objects.create(organization=org, account=mum)
    path = urlsplit(activation_url(invitation)).path
    assert Client().get(path.replace("/northside/", "/southside/")).status_code == 404


@worker_db
def test_smtp_down_is_retried_later_and_delivered_once(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    smtp.refuse = True
    _invite(org, kid, capture=django_capture_on_commit_callbacks)
    run_worker()
    invitation = Invitation.objects.get(account=kid)
    assert (invitation.status, invitation.attempts) == (InvitationStatus.QUEUED, 1)
    assert "451" in invitation.error
    smtp.refuse = False
    run_worker()  # the retry is deferred: nothing happens before its time
    assert smtp.messages == []
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_worker()
        run_worker()
    assert [m.rcpt_tos for m in smtp.messages] == [["kid@example.com"]]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts) == (InvitationStatus.SENT, 2)


def test_a_claimed_invitation_is_never_sent_twice(org: Organization, smtp: SmtpCollector) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    invitation = Invitation.objects.create(organization=org, account=kid)
    assert deliver(org.pk, [invitation.pk, invitation.pk])["sent"] == 1
    assert deliver(org.pk, [invitation.pk])["skipped"] == 1
    assert len(smtp.messages) == 1


def test_an_invitation_a_dead_worker_left_is_flagged_not_resent(
    org: Organization, smtp: SmtpCollector
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    long_ago = timezone.now() - STALLED_AFTER - timedelta(minutes=1)
    stalled = Invitation.objects.create(
        organization=org, account=kid, status=InvitationStatus.SENDING, claimed_at=long_ago
    )
    deliver(org.pk, [])
    stalled.refresh_from_db()
    assert stalled.status == InvitationStatus.FAILED and "interrupted" in stalled.error
    assert smtp.messages == []


@worker_db
def test_a_parent_sets_up_a_username_only_student_who_can_then_log_in(
    org: Organization, smtp: SmtpCollector, django_capture_on_commit_callbacks: Any
) -> None:
    mum = make_account(org, Role.PARENT, "mum@example.com")
    kid = make_account(org, Role.STUDENT, username="kid.one", first_name="Kid")
    StudentParent.objects.create(organization=org, student=kid, parent=mum)
    _invite(org, mum, kid, capture=django_capture_on_commit_callbacks)
    run_worker()
    assert [m.rcpt_tos for m in smtp.messages] == [["mum@example.com"]]  # the kid has no email
    message = smtp.parsed()[0]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "kid.one" in body.get_content()
    path = urlsplit(link_in(message)).path
    response = Client().post(
        path,
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            f"student_{kid.pk}": "kid's own secret 77",
        },
    )
    assert response.status_code == 302
    kid_client = Client()
    logged_in = kid_client.post(
        "/o/northside/login/", {"login": "kid.one", "password": "kid's own secret 77"}
    )
    assert logged_in.status_code == 302


def test_a_parent_can_set_up_the_student_later_from_their_page(org: Organization) -> None:
    mum = make_account(org, Role.PARENT, "mum@example.com", status=Status.ACTIVE)
    kid = make_account(org, Role.STUDENT, username="kid.one")
    StudentParent.objects.create(organization=org, student=kid, parent=mum)
    stranger_kid = make_account(org, Role.STUDENT, username="not.mine")
    client = Client()
    client.force_login(mum)
    assert [s.pk for s in client.get("/o/northside/my-students/").context["students"]] == [kid.pk]
    assert client.get(f"/o/northside/my-students/{stranger_kid.pk}/password/").status_code == 404
    url = f"/o/northside/my-students/{kid.pk}/password/"
    assert client.post(url, {"password": "kid's own secret 77"}).status_code == 302
    kid.refresh_from_db()
    assert kid.status == Status.ACTIVE and kid.check_password("kid's own secret 77")


def test_resend_to_a_selection_skips_active_accounts(
    admin_client: Client, org: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    pending = make_account(org, Role.STUDENT, "p@example.com")
    active = make_account(org, Role.STUDENT, "a@example.com", status=Status.ACTIVE)
    invited = make_account(org, Role.PARENT, "i@example.com", status=Status.INVITED)
    with django_capture_on_commit_callbacks():
        response = admin_client.post(
            "/o/northside/users/resend/",
            {"ids": [pending.pk, active.pk, invited.pk], "scope": "selected"},
        )
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("account_id", flat=True)) == {pending.pk, invited.pk}
    with django_capture_on_commit_callbacks():
        again = resend_welcome_emails(org, Account.objects.filter(pk=pending.pk), by=SYSTEM)
    assert (again.queued, again.recently_sent) == (0, 1)  # the cool-down holds


def test_resend_to_everyone_a_search_shows(
    admin_client: Client, org: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    make_account(org, Role.STUDENT, "ng1@example.com", last_name="Ng")
    make_account(org, Role.STUDENT, "ng2@example.com", last_name="Ng", status=Status.ACTIVE)
    make_account(org, Role.STUDENT, "other@example.com", last_name="Other")
    with django_capture_on_commit_callbacks():
        admin_client.post(
            "/o/northside/users/resend/", {"scope": "all", "q": "ng", "query": "q=ng"}
        )
    assert list(Invitation.objects.values_list("account__email", flat=True)) == ["ng1@example.com"]


def test_the_embedded_outbox_keeps_activation_emails_for_the_organizations_admins(
    org: Organization, admin_client: Client, settings: Any
) -> None:
    settings.MAILERS = {"default": {"BACKEND": "roster.mail.backends.OutboxBackend"}}
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    invitation = Invitation.objects.create(organization=org, account=kid)
    assert deliver(org.pk, [invitation.pk])["sent"] == 1
    page = admin_client.get("/o/northside/outbox/")
    [kept] = page.context["emails"]
    assert kept.to == "kid@example.com" and "/o/northside/activate/" in kept.body


def test_a_new_organizations_owner_is_invited_the_same_way(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    from roster.orgs.creation import create_organization

    with django_capture_on_commit_callbacks() as callbacks:
        org, owner = create_organization(
            "eastside", name="Eastside", owner_email="boss@example.com", by=SYSTEM
        )
    assert len(callbacks) == 1  # delivery is enqueued once the organization exists
    assert Invitation.objects.in_org(org).get().account == owner
