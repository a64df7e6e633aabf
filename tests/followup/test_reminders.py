"""Reminders through a real SMTP server: exactly once per reminder, never to active
accounts, expired links renewed, parents reminded for their username-only students."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account, Invitation, InvitationStatus, Role, Status
from roster.followup import people
from roster.followup.models import Reminder, ReminderItem
from roster.orgs.models import Organization
from roster.web.views import followup as followup_views
from tests.accounts.test_invitations import link_in, run_worker, worker_db
from tests.conftest import SmtpCollector, make_account
from tests.followup.helpers import (
    LINK_DAYS,
    activate,
    applied_import,
    press_remind,
    remind_key,
    result_page,
)

ONLY_KID = "First Name,Last Name,Email,Username,Parent Email\nKid,Lee,,kid.lee,mum@example.com\n"


def _recipients(smtp: SmtpCollector) -> list[str]:
    return sorted(address for message in smtp.messages for address in message.rcpt_tos)


def _text(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _links(smtp: SmtpCollector) -> dict[str, str]:
    """The newest link each address was sent."""
    return {m["To"]: urlsplit(link_in(m)).path for m in smtp.parsed()}


@worker_db
def test_a_reminder_goes_once_to_each_person_not_activated_and_renews_expired_links(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    job = applied_import(admin_client)
    run_worker()
    assert _recipients(smtp) == ["ann@example.com", "bob@example.com", "mum@example.com"]
    first_links = _links(smtp)
    activate(Account.objects.get(email="ann@example.com"))
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + LINK_DAYS, tick=True):
        page = result_page(admin_client, job)
        assert "2</strong> of them with an expired link" in page
        key = remind_key(page)
        assert press_remind(admin_client, job, key).status_code == 302
        assert press_remind(admin_client, job, key).status_code == 302  # a double click
        run_worker()
        run_worker()
        # Ann is active: never reminded. Mum is reminded for herself and for Kid.
        assert _recipients(smtp) == ["bob@example.com", "mum@example.com"]
        reminder = Reminder.objects.get(organization=org)
        assert (reminder.reminded, reminder.renewed, reminder.parents) == (2, 2, 1)
        new_links = _links(smtp)
        client = Client()
        assert client.get(new_links["bob@example.com"]).status_code == 200
        expired = client.get(first_links["bob@example.com"])
        assert (expired.status_code, expired.context["problem"]) == (410, "expired")
        to_mum = next(m for m in smtp.parsed() if m["To"] == "mum@example.com")
        assert "kid.lee" in _text(to_mum)
    assert ReminderItem.objects.filter(organization=org).count() == 2


@worker_db
def test_a_second_click_a_moment_later_is_held_by_the_cool_down(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    job = applied_import(admin_client)
    run_worker()
    first_links = _links(smtp)
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        press_remind(admin_client, job, remind_key(result_page(admin_client, job)))
        run_worker()
        # Another tab, another form: everyone was emailed a moment ago.
        press_remind(admin_client, job, remind_key(result_page(admin_client, job)))
        run_worker()
    assert _recipients(smtp) == ["ann@example.com", "bob@example.com", "mum@example.com"]
    # The reminder's link replaced the first one, which had not expired yet.
    old = Client().get(first_links["ann@example.com"])
    assert (old.status_code, old.context["problem"]) == (410, "superseded")
    second = Reminder.objects.filter(organization=org).order_by("pk").last()
    assert second is not None and (second.reminded, second.held) == (0, 3)


@worker_db
def test_an_active_parent_is_not_emailed_and_the_page_says_who_sets_up_the_student(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    job = applied_import(admin_client)
    run_worker()
    activate(Account.objects.get(email="mum@example.com"))
    page = result_page(admin_client, job)
    assert 'Mum Lee</a> <span class="status status-active">Active</span>' in page
    assert "can set them up from My students" in page
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        press_remind(admin_client, job, remind_key(result_page(admin_client, job)))
        run_worker()
    assert _recipients(smtp) == ["ann@example.com", "bob@example.com"]


@worker_db
def test_the_parent_who_has_not_set_up_a_student_is_shown_and_reminded(
    org: Organization, admin_client: Client, smtp: SmtpCollector
) -> None:
    # Only the student is in this import; the parent exists already and never activated.
    mum = make_account(org, Role.PARENT, "mum@example.com", first_name="Mum", last_name="Lee")
    Account.objects.filter(pk=mum.pk).update(status=Status.INVITED)
    job = applied_import(admin_client, students=ONLY_KID, parents="")
    assert list(people.of_import(org, job)) == [Account.objects.get(username="kid.lee")]
    run_worker()
    assert smtp.messages == []  # Kid has no email, and Mum was not created by the import
    page = result_page(admin_client, job)
    assert 'Mum Lee</a> <span class="status status-invited">Invited</span>' in page
    assert "to set them up" in page
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        press_remind(admin_client, job, remind_key(result_page(admin_client, job)))
        run_worker()
    assert _recipients(smtp) == ["mum@example.com"]
    assert "kid.lee" in _text(smtp.parsed()[0])


def test_another_organizations_import_cannot_be_reminded(
    org: Organization, other_org: Organization, admin_client: Client, stranger: Any
) -> None:
    job = applied_import(admin_client)
    theirs = Client()
    theirs.force_login(stranger)
    key = "0" * 32
    assert theirs.post(f"/o/southside/imports/{job.pk}/remind/", {"key": key}).status_code == 404
    assert theirs.post(f"/o/northside/imports/{job.pk}/remind/", {"key": key}).status_code == 404
    assert not Reminder.objects.exists()
    assert Invitation.objects.filter(status=InvitationStatus.QUEUED).count() == 3


@worker_db
def test_a_big_reminder_is_queued_by_the_worker_and_a_double_click_still_sends_once(
    org: Organization,
    admin_client: Client,
    smtp: SmtpCollector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(followup_views, "IN_REQUEST", 1)
    job = applied_import(admin_client)
    run_worker()
    smtp.messages.clear()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        key = remind_key(result_page(admin_client, job))
        press_remind(admin_client, job, key)
        press_remind(admin_client, job, key)
        assert not Reminder.objects.exists()  # handed to the worker
        run_worker()
        run_worker()
    assert _recipients(smtp) == ["ann@example.com", "bob@example.com", "mum@example.com"]
    reminder = Reminder.objects.get(organization=org)
    assert reminder.reminded == 3 and reminder.created_by is not None
