"""The import page's follow-up in a browser: the chart, its table, the people who have not
activated and Remind, at a desktop's and a phone's width, never scrolling sideways."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from roster.accounts.models import Account, Invitation, InvitationStatus, Role, Status
from roster.followup import people
from roster.followup.models import Reminder
from roster.importing.models import ImportJob
from roster.orgs.models import Organization
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in
from tests.browser.test_review_layout import page_width
from tests.conftest import make_account
from tests.followup.helpers import applied_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "maximiliana.josefina.vandenberghe-oyelaran@northside-academy.example.org"
STUDENTS = (
    "First Name,Last Name,Email,Username,Parent Email\n"
    + f"Maximiliana-Josefina,Vandenberghe-Oyelaran,{LONG},,\n"
    + "".join(f"Student{n},Lee,s{n}@example.com,,\n" for n in range(30))
    + "Kid,Lee,,kid.lee,mum@example.com\n"
)
PARENTS = "First Name,Last Name,Email,Student\nMum,Lee,mum@example.com,kid.lee\n"


def _history(org: Organization, job_pk: int) -> None:
    """Applied five days ago, everyone emailed then; a few activated on the days since."""
    sent = timezone.now() - timedelta(days=5)
    ImportJob.objects.filter(pk=job_pk).update(applied_at=sent)
    Invitation.objects.filter(organization=org).update(status=InvitationStatus.SENT, sent_at=sent)
    Account.objects.filter(organization=org, status=Status.PENDING).exclude(email="").update(
        status=Status.INVITED
    )
    for n, account in enumerate(people.of_import(org, job_pk).order_by("pk")[:6]):  # type: ignore[arg-type]
        Account.objects.filter(pk=account.pk).update(
            status=Status.ACTIVE, activated_at=sent + timedelta(days=n % 4)
        )


def test_the_follow_up_section_at_desktop_and_phone_widths(
    page: Page, live_server: object, org: Organization, tmp_path: Path
) -> None:
    admin = make_account(org, Role.ADMIN, "admin@northside.example", status=Status.ACTIVE)
    client = Client()
    client.force_login(admin)
    job = applied_import(client, students=STUDENTS, parents=PARENTS)
    _history(org, job.pk)
    log_in(page, live_server)
    page.goto(f"{live_server}/o/northside/imports/{job.pk}/result/")
    section = page.locator("#follow-up")
    expect(section.get_by_role("heading", name="Follow-up: who has activated")).to_be_visible()
    expect(section.get_by_role("img")).to_be_visible()  # the chart, named by its title
    expect(page.locator("#waiting tbody tr")).to_have_count(25)  # a page of 27 waiting
    expect(section).to_contain_text("Mum Lee")
    section.get_by_text("The chart as a table").click()
    expect(page.locator("#follow-up-table")).to_be_visible()
    shots = Path(os.environ.get("ROSTER_SHOT_DIR", tmp_path))
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page_width(page) == (width, width), f"sideways scroll at {width} px"
        section.screenshot(path=shots / f"follow-up-{width}.png")
    assert serious_violations(page) == []
    # 27 wait: 26 with an email, and Kid, whose parent Mum is among the 26.
    page.get_by_role("button", name="Remind 26 people who have not activated").click()
    expect(page.locator(".messages")).to_contain_text("26 reminders on the way")
    expect(page.locator(".messages")).to_contain_text("1 to parents")
    assert Reminder.objects.get(organization=org).reminded == 26
    page.get_by_role("link", name="Next").click()
    expect(page.locator("#waiting tbody tr")).to_have_count(2)
