"""A draft import discarded in Chromium: from Imports, with a confirmation (issue 12)."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from roster.importing.models import ImportJob, ImportRow, JobStatus
from tests.browser.test_add_multiple_users import log_in, open_add_multiple_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDENTS = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nAlan,Turing,alan@\n"


def test_a_draft_is_discarded_after_a_confirmation(
    page: Page, live_server: object, admin: object, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    upload = tmp_path / "spring-students.csv"
    upload.write_text(STUDENTS)
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(upload)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()
    stored = list((tmp_path / "uploads").rglob("spring-students.csv"))
    assert len(stored) == 1

    page.get_by_role("navigation", name="Admin portal").get_by_role("link", name="Imports").click()
    row = page.locator("#imports tbody tr").first
    expect(row.locator(".files")).to_have_text("spring-students.csv")
    expect(row.locator(".state")).to_have_text("In review")
    row.get_by_role("link", name="Discard").click()
    expect(page.get_by_role("heading", name="Discard import")).to_be_visible()
    page.get_by_role("button", name="Discard this import").click()

    expect(page.locator(".messages")).to_contain_text("was discarded: spring-students.csv")
    expect(page.locator("#imports tbody tr").first.locator(".state")).to_have_text("Discarded")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DISCARDED
    assert not ImportRow.objects.filter(job=job).exists()
    assert not stored[0].exists()
