"""In Chromium: an error after Next shows the tab the admin used, with their text in it."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_paste_error_on_the_parent_tab_stays_on_the_parent_tab(
    page: Page, live_server: object, admin: object
) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_role("textbox").fill(
        "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n"
    )
    page.get_by_role("tab", name="Parent").click()
    pasted = "First Name\tLast Name\tEmail\tStudent\n"  # the header, without its rows
    page.locator("#panel-parent").get_by_role("textbox").fill(pasted)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.get_by_role("tab", name="Parent")).to_have_attribute("aria-selected", "true")
    box = page.locator("#panel-parent").get_by_role("textbox")
    expect(box).to_be_visible()
    expect(box).to_have_value(pasted)
    page.get_by_role("tab", name="Student").click()  # the other tab's text is kept too
    expect(page.locator("#panel-student").get_by_role("textbox")).to_contain_text("Ada")
