"""A remembered mapping in Chromium: mapped once, applied to the next upload, forgotten."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from roster.importing.models import RememberedMapping
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDENTS = (
    "First Name,Last Name,Email,Household Email\nAda,Lovelace,ada@example.com,pat@example.com\n"
)


def _upload(page: Page, path: Path) -> None:
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(path)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()
    # The grid's script (deferred) must listen before a mapping is changed, or no request goes.
    page.wait_for_load_state("load")


def test_a_mapping_made_once_maps_the_next_upload_until_forgotten(
    page: Page, live_server: object, admin: object, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    path = tmp_path / "students.csv"
    path.write_text(STUDENTS)
    log_in(page, live_server)
    _upload(page, path)
    expect(page.locator(".recalled")).to_have_count(0)
    with page.expect_response(lambda response: "/column/" in response.url) as mapped:
        page.get_by_label("What column “Household Email” holds").select_option(label="Parent Email")
    assert mapped.value.status == 200
    assert RememberedMapping.objects.get().field == "parent_emails"

    _upload(page, path)
    note = page.locator(".recalled")
    expect(note).to_contain_text("Mapped as last time: Household Email → Parent Email")
    expect(page.locator("#map-3")).to_have_value("parent_emails")
    note.get_by_role("button", name="Forget").click()
    expect(page.locator(".recalled")).to_have_count(0)
    expect(page.locator("#map-3")).to_have_value("")
    assert not RememberedMapping.objects.exists()
