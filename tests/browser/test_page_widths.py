"""Every page of the portal at a phone's width and at desktop widths: the page itself never
scrolls sideways (wide tables and long emails wrap or scroll in their own box), and on a
phone the navigation is a row of links above the page, every one in reach."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from roster.accounts.models import Account, Role
from roster.mail.models import OutboxMessage
from roster.orgs.models import Organization
from tests.browser.test_add_multiple_users import log_in
from tests.browser.test_review_layout import page_width
from tests.conftest import make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280, 1440)
# Pages saved as screenshots when ROSTER_SHOTS names a folder, and their files' names.
SHOT_NAMES = {
    "Settings": "settings",
    "User Management, a filter that cannot be read": "users-filter-error",
}
LONG_EMAIL = "maximiliana.josefina.vandenberghe-oyelaran@northside-academy.example.org"
PASTED = (
    "First Name\tLast Name\tEmail\tPhone\tParent Email\n"
    f"Maximiliana-Josefina\tVandenberghe-Oyelaran-Whitfield\t{LONG_EMAIL}\t+1 415 555 0134\t\n"
    "Oluwaseun\tAdebayo-Richardson\toluwaseun.adebayo-richardson@northside-academy.example.org"
    "\tcall mum after six\tparent.nobody.knows@family-mail.example.com\n"
)


def fits_at_every_width(page: Page, what: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page_width(page) == (width, width), f"{what} at {width} px"


def test_no_page_scrolls_sideways(
    page: Page, live_server: object, org: Organization, tmp_path: Path
) -> None:
    admin = make_account(org, Role.ADMIN, "admin@northside.example", status="active")
    student = make_account(org, Role.STUDENT, f"x.{LONG_EMAIL}", first_name="Guðrún Sólveig")
    OutboxMessage.objects.create(
        organization=org,
        subject="Welcome to Northside Tutoring: activate your account within the next 14 days",
        from_email="roster@northside.example",
        to=LONG_EMAIL,
        body="Hello",
        raw="",
    )
    missing: list[str] = []  # the favicon among them, before it was added

    def note_missing(response: Response) -> None:
        if response.status == 404:
            missing.append(response.url)

    page.on("response", note_missing)
    page.goto(f"{live_server}/o/northside/login/")
    fits_at_every_width(page, "login")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(f"{live_server}{icon}").headers["content-type"] == "image/svg+xml"
    assert page.request.get(f"{live_server}/favicon.ico").ok
    log_in(page, live_server)

    page.set_viewport_size({"width": 390, "height": 844})
    nav = page.get_by_role("navigation", name="Admin portal")
    for link in nav.get_by_role("link").all():
        expect(link).to_be_in_viewport()
    nav.get_by_role("link", name="Users").click()  # reachable with a tap on a phone
    expect(page.get_by_role("heading", name="User Management")).to_be_visible()

    pages = {
        "dashboard": "/o/northside/",
        "User Management": "/o/northside/users/",
        "User Management, a filter that cannot be read": (
            f"/o/northside/users/?q={LONG_EMAIL}%00&role=pilot&status=sleeping"
        ),
        "user detail": f"/o/northside/users/{student.pk}/",
        "user form": f"/o/northside/users/{student.pk}/edit/",
        "Add Multiple Users": "/o/northside/users/add-multiple/",
        "imports": "/o/northside/imports/",
        "outbox": "/o/northside/outbox/",
        "email": f"/o/northside/outbox/{OutboxMessage.objects.get().pk}/",
        "Activity": "/o/northside/activity/",
        "API tokens": "/o/northside/api-tokens/",
        "Settings": "/o/northside/settings/",
    }
    for what, path in pages.items():
        page.goto(f"{live_server}{path}")
        fits_at_every_width(page, what)
        if what.endswith("cannot be read"):
            expect(page.locator("#filter-error")).to_contain_text("No users are shown.")
        if what in SHOT_NAMES and os.environ.get("ROSTER_SHOTS"):
            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(
                    path=f"{os.environ['ROSTER_SHOTS']}/{SHOT_NAMES[what]}-{width}.png",
                    full_page=True,
                )

    page.goto(f"{live_server}/o/northside/users/add-multiple/")
    # A long file name, as exports are named: the review's tab shows it whole.
    export = tmp_path / "Northside_Academy_Student_Roster_Export_2026-12-01_FINAL_v3_copy.csv"
    export.write_text(PASTED.replace("\t", ","))
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(export)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()
    fits_at_every_width(page, "review")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name="Import summary")).to_be_visible()
    fits_at_every_width(page, "confirm")
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_role("heading", name="done")).to_be_visible()
    fits_at_every_width(page, "result")
    page.goto(f"{live_server}/o/northside/imports/")
    fits_at_every_width(page, "imports with an import")
    assert Account.objects.filter(pk=admin.pk).exists()
    assert missing == []
