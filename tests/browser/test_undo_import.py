"""Undo an applied import in Chromium: its page, the preview, one click (issue 14)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from roster.accounts.models import Account, Role
from roster.importing.models import JobStatus
from roster.orgs.models import Organization
from tests.browser.conftest import save_screenshot
from tests.browser.test_add_multiple_users import log_in
from tests.browser.test_review_layout import page_width
from tests.conftest import make_account
from tests.undo.helpers import imported, others, students

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "maximiliana.josefina.vandenberghe-oyelaran@northside-academy.example.org"


def test_preview_then_undo(
    page: Page,
    live_server: object,
    org: Organization,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_account(org, Role.ADMIN, "admin@northside.example", status="active")
    make_account(org, Role.STUDENT, LONG, first_name="Maxi", phone="+14155550100")
    job = imported(
        tmp_path,
        capsys,
        {
            "students.csv": students(
                "Ann,Lee,ann@example.com,,,pat@example.com,",
                f"Maximiliana-Josefina,Vandenberghe-Oyelaran,{LONG},,(415) 555-0199,,",
            ),
            "parents.csv": others("Pat,Lee,pat@example.com,,"),
        },
        "--invite",
    )
    # Edited by hand since: undo keeps the newer value and says why.
    Account.objects.filter(email=LONG).update(last_name="Oyelaran")
    log_in(page, live_server)
    page.goto(f"{live_server}/o/northside/imports/{job.pk}/result/")
    page.get_by_role("link", name="Undo this import…").click()
    expect(page.get_by_role("heading", name=f"Undo import {job.pk}?")).to_be_visible()
    expect(page.locator("#count-restored")).to_have_text("2")  # first name and phone
    expect(page.locator("#count-removed")).to_have_text("2")
    expect(page.locator("#count-links")).to_have_text("1")
    expect(page.locator("#count-cancelled")).to_have_text("2")
    expect(page.locator("#undo-kept")).to_contain_text("Last name")
    expect(page.locator("#undo-restored")).to_contain_text("Maxi")

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page_width(page) == (width, width), f"undo preview at {width} px"
        button = page.get_by_role("button", name=f"Undo import {job.pk}").bounding_box()
        assert button is not None and button["x"] >= 0 and button["x"] + button["width"] <= width
        page.screenshot(path=tmp_path / f"undo-{width}.png", full_page=True)
        if os.environ.get("ROSTER_UNDO_SHOTS"):  # to look at them: a folder to copy them to
            page.screenshot(path=Path(os.environ["ROSTER_UNDO_SHOTS"]) / f"undo-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    save_screenshot(page, "undo-preview.png")

    page.get_by_role("button", name=f"Undo import {job.pk}").click()
    expect(page.get_by_role("heading", name=f"Import {job.pk}: undone")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(f"Import {job.pk} was undone")
    expect(page.locator("#undone")).to_contain_text("cannot be applied again")
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE
    assert sorted(a.email for a in Account.objects.in_org(org).people()) == [LONG]
    page.set_viewport_size({"width": 390, "height": 900})
    assert page_width(page) == (390, 390)
    page.goto(f"{live_server}/o/northside/imports/")
    expect(page.locator(f'#imports tr[data-job="{job.pk}"] .state')).to_have_text("Undone")
