"""Several files of a OneRoster bundle chosen at once on Add Multiple Users, in Chromium:
one import, whose review shows the bundle's summary and its tabs."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from roster.importing.models import ImportTab
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users
from tests.cli.test_oneroster import bundle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "OneRoster 1.1 bundle: users.csv — 12 people; enrollments.csv — 10 class enrollments."


def test_several_files_chosen_at_once_are_one_import_with_the_bundles_summary(
    page: Page, live_server: object, admin: object, tmp_path: Path
) -> None:
    files = [Path(path) for path in bundle(tmp_path)]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.get_by_role("tab", name="Student").click()
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(files)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(
        page.get_by_text("orgs.csv was left out: it lists schools and districts")
    ).to_be_visible()
    assert list(ImportTab.objects.values_list("sheet", "role")) == [
        ("users (Students)", "student"),
        ("users (Instructors)", "instructor"),
        ("users (Parents)", "parent"),
    ]
    assert serious_violations(page) == []
    page.screenshot(path=tmp_path / "bundle-review.png")  # looked at, at 1280 px wide
