"""The fix file's round trip in Chromium: Download rows to fix, correct, Upload fixed rows."""

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDENTS = (
    "First Name,Last Name,Email\n"
    "Ada,Lovelace,ada@example.com\n"
    "Alan,Turing,alan@\n"
    "Grace,Hopper,grace@example\n"
)


def test_rows_fixed_in_a_spreadsheet_come_back_into_the_review(
    page: Page, live_server: object, admin: object, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    upload = tmp_path / "students.csv"
    upload.write_text(STUDENTS)
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(upload)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#c-3-2")).to_have_class("flagged sev-2")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download rows to fix").click()
    fix = tmp_path / "fix.xlsx"
    downloading.value.save_as(fix)
    book = load_workbook(fix)
    sheet = book["Student"]
    assert [sheet.cell(row, 1).value for row in (2, 3)] == ["3", "4"]
    sheet["D2"], sheet["D3"] = "alan@example.com", "grace@example.com"
    book.save(fix)

    page.get_by_label("Upload fixed rows").set_input_files(fix)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("2 rows replaced from the fixed file")
    expect(page.locator("#c-3-2")).to_have_text("alan@example.com")
    expect(page.locator("#c-3-2")).not_to_have_class("flagged sev-2")
    expect(page.locator('[data-tab-link="0"]')).to_contain_text("0 errors")
