"""Fixes of many rows in Chromium: a group fix, find & replace with its preview, undo, redo."""

import pytest
from playwright.sync_api import Page, expect

from roster.importing.models import ImportRow
from tests.browser.accessibility import serious_violations
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDENTS = (
    "First Name,Last Name,Email,Phone,Parent Email,Instructor Email,Notes\n"
    "Ann,Lee,ann@example.com,,nobody@example.com,,Prefers mornings\n"
    "Bo,Ng,bo@example.com,,ghost@example.com,,\n"
    "Cy,Okafor,cy@example.com,,,,Call the office\n"
)


def parent_cells() -> list[str]:
    rows = ImportRow.objects.order_by("number").values_list("cells", flat=True)
    return [cells[4] for cells in rows]


def test_a_group_fix_find_and_replace_then_undo_and_redo(
    page: Page, live_server: object, admin: object
) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_role("textbox").fill(STUDENTS)
    page.get_by_role("button", name="Next").click()
    group = page.locator(".fix-group").filter(has_text="2 Parent Email cells name nobody")
    expect(group).to_be_visible()
    assert serious_violations(page) == []
    group.get_by_role("button", name="Keep the rows, drop the link that names nobody").click()
    expect(page.locator("#undo")).to_have_text("Undo: drop unknown links in 2 “Parent Email” cells")
    expect(page.locator(".fix-group")).to_have_count(0)
    assert parent_cells() == ["", "", ""]

    page.get_by_label("In column").select_option(label="Notes")
    page.get_by_label("Find", exact=True).fill("the office")
    page.get_by_label("Replace with").fill("home")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#replace-count")).to_have_text("1 cell will change.")
    page.get_by_role("button", name="Replace", exact=True).click()
    expect(page.locator("#c-4-6 .value")).to_have_text("Call home")

    page.locator("#undo").click()
    expect(page.locator("#c-4-6 .value")).to_have_text("Call the office")
    page.locator("#undo").click()
    expect(page.locator(".fix-group")).to_have_count(1)
    expect(page.locator("#c-2-4 .value")).to_have_text("nobody@example.com")
    expect(page.locator("#undo")).to_have_text("Nothing to undo")
    page.reload()  # kept with the import, not in the page
    expect(page.locator("#redo")).to_have_text("Redo: drop unknown links in 2 “Parent Email” cells")
    page.locator("#redo").click()
    expect(page.locator("#c-2-4 .value")).to_have_text("")
    expect(page.locator("#redo")).to_have_text(
        "Redo: replace “the office” with “home” in 1 “Notes” cell"
    )
