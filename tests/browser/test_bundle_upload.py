"""Several files of a OneRoster bundle chosen at once, and a Canvas zip, on Add Multiple
Users in Chromium: one import, whose review shows the bundle's summary, its tabs and the
issues of its link files."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from roster.importing.models import ImportTab
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users
from tests.browser.test_review_layout import page_width
from tests.cli.test_oneroster import bundle
from tests.cli.test_oneroster_ids import zipped
from tests.data import bundles

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


CANVAS = (
    "Canvas SIS bundle: users.csv — 11 people; enrollments.csv — 11 enrollments;"
    " user_observers.csv — 3 observers."
)
SHOTS = Path("/tmp") / "roster-bundle-shots"


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_a_canvas_zip_shows_its_summary_tabs_and_the_link_files_issues(
    page: Page, live_server: object, admin: object, tmp_path: Path, width: int, height: int
) -> None:
    export = Path(zipped(tmp_path, bundles.canvas_bundle(tmp_path), "canvas-export.zip"))
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(export)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()
    expect(page.get_by_text(CANVAS)).to_be_visible()
    tabs = page.get_by_role("navigation", name="Tabs of this import").get_by_role("link")
    expect(tabs).to_have_count(3)
    for name in ("users (Instructors)", "users (Students)", "users (Parents)"):
        expect(tabs.filter(has_text=name)).to_have_count(1)
    links = page.locator("#bundle-issues")
    expect(links.get_by_role("heading")).to_have_text("2 issues in the files that link people")
    expect(links.locator("[data-bundle-issue]")).to_have_text(
        [
            "enrollments.csv, row 11, user_id: This link names no one in your organization"
            " or this import. “u404” in user_id is the user_id of no one in users.csv.",
            "user_observers.csv, row 3, student_id: This link names no one in your"
            " organization or this import. “u999” in student_id is the user_id of no one"
            " in users.csv.",
        ]
    )
    scroll_width, viewport = page_width(page)
    assert scroll_width == viewport == width  # no sideways scroll of the page
    assert serious_violations(page) == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"canvas-review-{width}.png", full_page=True)  # looked at
