"""What each row will do, in Chromium: the outcome filter, an update's old → new on
expansion, an edit changing a row's outcome, and the confirmation's numbers (issue 12)."""

import pytest
from playwright.sync_api import Page, expect

from roster.accounts.models import Role
from roster.orgs.models import Organization
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users
from tests.conftest import make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDENTS = (
    "First Name\tLast Name\tEmail\n"
    "Ada\tByron\tada@example.com\n"
    "Grace\tHopper\tgrace@example.com\n"
    "Alan\tTuring\talan@example.com\n"
    "Bad\tEmail\tbad@\n"
)


def test_row_outcomes_match_the_confirmation(
    page: Page, live_server: object, admin: object, org: Organization
) -> None:
    make_account(org, Role.STUDENT, "ada@example.com", first_name="Ada", last_name="Lovelace")
    make_account(org, Role.STUDENT, "grace@example.com", first_name="Grace", last_name="Hopper")
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_role("textbox").fill(STUDENTS)
    page.get_by_role("button", name="Next").click()

    page.get_by_role("link", name="Update (1)").click()
    expect(page.locator("#review-grid tbody tr")).to_have_count(1)
    row = page.locator('#review-grid tbody tr[data-row="2"]')
    row.get_by_text("Update", exact=True).click()  # the details open
    expect(row.locator(".explanation")).to_have_text("Updates Last Name: Lovelace → Byron")
    assert serious_violations(page) == []

    # Fixing the bad email from the keyboard turns a skipped row into a new one.
    page.get_by_role("link", name="All rows (4)").click()
    page.locator("#c-5-2").click()
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("bad@example.com")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Skipped (0)")).to_be_visible()
    expect(page.locator('#review-grid tr[data-row="5"] td.outcome')).to_have_text(
        "New: A new user will be added."
    )
    counts = {
        name: page.get_by_role("link", name=f"{name} (").inner_text()
        for name in ("New", "Update", "Unchanged", "Skipped")
    }
    assert counts == {
        "New": "New (2)",
        "Update": "Update (1)",
        "Unchanged": "Unchanged (1)",
        "Skipped": "Skipped (0)",
    }

    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Finish").click()
    student = page.locator("#summary tbody tr", has_text="Student").locator("td")
    expect(student).to_have_text(["2", "1", "1", "0"])
    page.locator("#field-updates").get_by_role("link", name="1 update").click()
    expect(page.locator("#review-grid tbody tr")).to_have_count(1)
    expect(page.locator("#show-field")).to_contain_text("Updates of Last Name only (1)")
