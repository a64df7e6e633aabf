"""A workbook's tabs in Chromium: the Instructions note is neutral, an unclear tab asks."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from roster.importing.models import ImportTab
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users
from tests.importing.sources.samples import write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = [("A1", "First Name"), ("B1", "Last Name"), ("C1", "Email")]


def test_an_unclear_tab_is_given_its_role_on_the_review(
    page: Page, live_server: object, admin: object, tmp_path: Path
) -> None:
    book = write_xlsx(
        tmp_path / "export.xlsx",
        {
            "Instructions": [("A1", "How to fill in this workbook"), ("A2", "One row a person.")],
            "Teachers": [*HEADER, ("A2", "Tim"), ("B2", "Tutor"), ("C2", "tim@example.com")],
            "Sheet2": [*HEADER, ("A2", "Ann"), ("B2", "Lee"), ("C2", "ann@")],
        },
    )
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(book)
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".info-note")).to_contain_text("Tab “Instructions” in export.xlsx")
    page.locator('[data-tab-link="1"]').click()
    expect(page.locator('[data-tab-link="1"]')).to_contain_text("whom it lists is not chosen")
    assert serious_violations(page) == []
    page.get_by_label("It lists:").select_option(label="Students")
    page.get_by_role("button", name="Check this tab").click()
    expect(page.locator("#role-form")).to_have_count(0)
    expect(page.locator("#c-2-2")).to_have_class("flagged sev-2")  # ann@ is checked now
    expect(page.locator('[data-tab-link="1"]')).to_contain_text("1 error")
    assert ImportTab.objects.get(sheet="Sheet2").role == "student"
