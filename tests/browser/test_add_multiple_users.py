"""The article's flow in Chromium: Users → Add Multiple Users → review → Finish → Yes."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from roster.accounts.models import Account, Invitation
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import save_screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What Excel on Windows saves as "CSV": Windows-1252, semicolons, a title line above the
# header, a bad email, and empty rows at the end.
MESSY_CSV = (
    "Students of Northside;;;\r\n"
    "First Name;Last Name;Email;Parent Email\r\n"
    "José;Müller;jose@example.com;pat@example.com\r\n"
    "Alan;Turing;alan(at)example.com;\r\n"
    "Grace;Hopper;grace@example.com;\r\n"
    ";;;\r\n;;;\r\n"
).encode("cp1252")
PARENTS_TSV = (
    "First Name\tLast Name\tEmail\tStudent\nPat\tMüller\tpat@example.com\tjose@example.com\n"
)


def log_in(page: Page, live_server: object, email: str = "admin@northside.example") -> None:
    page.goto(f"{live_server}/o/{email.split('@')[1].split('.')[0]}/login/")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def open_add_multiple_users(page: Page) -> None:
    page.get_by_role("navigation", name="Admin portal").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="User Management")).to_be_visible()
    card = page.locator("#add-multiple-users")
    card.get_by_role("link", name="Add Multiple Users").click()
    expect(page.get_by_role("heading", name="Add Multiple Users")).to_be_visible()


def upload_and_paste(page: Page, tmp_path: Path) -> None:
    messy = tmp_path / "students.csv"
    messy.write_bytes(MESSY_CSV)
    page.get_by_role("tab", name="Student").click()
    page.locator("#panel-student").get_by_label("Upload file").set_input_files(messy)
    page.get_by_role("tab", name="Parent").click()
    page.locator("#panel-parent").get_by_role("textbox").fill(PARENTS_TSV)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()


def test_template_downloads_as_a_workbook_with_three_tabs(
    page: Page, live_server: object, admin: object, tmp_path: Path
) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Template").click()
    path = tmp_path / "template.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    assert {"Student", "Instructor", "Parent"} <= set(book.sheetnames)


def test_upload_review_fix_finish_and_yes(
    page: Page, live_server: object, admin: object, org: Organization, tmp_path: Path
) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    upload_and_paste(page, tmp_path)

    bad = page.locator("#c-4-2")  # row 4 of the file (a title line is above the header)
    expect(bad).to_have_class("flagged sev-2")
    expect(page.locator(".issues-list")).to_contain_text("invalid_email")
    assert serious_violations(page) == []

    # Its reason shows on keyboard focus (and on hover).
    page.locator("#c-3-2").click()
    page.keyboard.press("ArrowDown")
    expect(bad).to_be_focused()
    expect(page.locator("#r-4-2")).to_be_visible()
    expect(page.locator("#r-4-2")).to_contain_text("not a valid email")

    # Fix it from the keyboard: Enter to edit, type, Enter to save.
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("alan@example.com")
    page.keyboard.press("Enter")
    expect(page.locator("#c-4-2")).not_to_have_class("flagged sev-2")
    expect(page.locator("#c-4-2")).to_have_text("alan@example.com")
    expect(page.locator("#c-5-2")).to_be_focused()  # Enter moved down a row

    # Ignoring a required column flags the tab; mapping it back clears the flag.
    page.get_by_label("What column “Last Name” holds").select_option(label="Ignore this column")
    expect(page.locator(".tab-issue")).to_contain_text("Last Name")
    page.get_by_label("What column “Last Name” holds").select_option(label="Last Name")
    expect(page.locator(".tab-issue")).to_have_count(0)

    # The review resumes with its edits after the browser comes back.
    page.reload()
    expect(page.locator("#c-4-2")).to_have_text("alan@example.com")

    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Choose Yes or No before Finish.")).to_be_visible()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name="Import summary")).to_be_visible()
    student = page.locator("#summary tbody tr", has_text="Student")
    expect(student.locator("td").nth(0)).to_have_text("3")  # new
    expect(page.locator("#summary tbody tr", has_text="Parent").locator("td").nth(0)).to_have_text(
        "1"
    )
    expect(page.locator("#invites")).to_have_text("4")
    assert serious_violations(page) == []
    save_screenshot(page, "confirm-import.png")

    page.get_by_role("button", name="Yes").dblclick()
    expect(page.get_by_role("heading", name="done")).to_be_visible()
    assert serious_violations(page) == []
    assert Account.objects.in_org(org).people().count() == 4
    assert Invitation.objects.filter(organization=org).count() == 4
    assert ImportJob.objects.get().status == JobStatus.APPLIED
    page.get_by_role("navigation", name="Admin portal").get_by_role("link", name="Imports").click()
    expect(page.locator("#imports tbody tr")).to_have_count(1)
    expect(page.locator("#imports tbody tr")).to_contain_text("4 / 0 / 0")
    assert serious_violations(page) == []


def test_pasted_tab_separated_text_and_rows_that_need_attention(
    page: Page, live_server: object, admin: object
) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    pasted = "First Name\tLast Name\tEmail\nAda\tLovelace\tada@example.com\nBob\t\tbob@\n"
    page.locator("#panel-student").get_by_role("textbox").fill(pasted)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#review-grid tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Rows that need attention (1)").click()
    expect(page.locator("#review-grid tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Row 3, Email").click()
    expect(page.locator("#c-3-2")).to_be_focused()
    page.get_by_role("checkbox", name="Select row 3").check()
    page.get_by_role("button", name="Delete selected rows").click()
    expect(page.get_by_text("No row needs attention on this tab.")).to_be_visible()


def test_another_organizations_admin_gets_not_found(
    page: Page, live_server: object, admin: Account, other_org: Organization
) -> None:
    theirs = ImportJob.objects.create(organization=other_org, status=JobStatus.REVIEWING)
    log_in(page, live_server)
    for path in ("", "confirm/", "result/", "issues.csv"):
        response = page.request.get(f"{live_server}/o/northside/imports/{theirs.pk}/{path}")
        assert response.status == 404


def test_the_accessibility_check_finds_what_it_should(page: Page) -> None:
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert any(line.startswith("label") for line in serious_violations(page))


def test_a_big_import_shows_its_progress_and_finishes_by_itself(
    page: Page, live_server: object, admin: object, org: Organization, monkeypatch: Any
) -> None:
    monkeypatch.setattr("roster.importing.jobs.check.SYNC_ROWS", 10)  # 30 rows count as big
    rows = "".join(f"Kid{i},Family{i},kid{i}@example.com\n" for i in range(30))
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.locator("#panel-student").get_by_role("textbox").fill(
        "First Name,Last Name,Email\n" + rows
    )
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("status").first).to_contain_text("Checking your import")
    run_worker()
    expect(page.locator("#check-status")).to_be_empty()  # the fresh workspace, swapped in by itself
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Finish").click()
    page.get_by_role("button", name="Yes").click()
    expect(page.locator("progress")).to_be_visible()
    run_worker()
    expect(page.get_by_role("heading", name="done")).to_be_visible()  # reloaded by itself
    assert Account.objects.in_org(org).people().count() == 30


def run_worker() -> None:
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, queue_name="*"
    )


def test_a_file_dropped_on_upload_file_is_imported(
    page: Page, live_server: object, admin: object
) -> None:
    log_in(page, live_server)
    open_add_multiple_users(page)
    page.get_by_role("tab", name="Instructor").click()
    dropped = page.evaluate_handle(
        """(text) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "teachers.csv", {type: "text/csv"}));
            return transfer;
        }""",
        "First Name,Last Name,Email\nMaria,Montessori,maria@example.com\n",
    )
    page.dispatch_event("#panel-instructor [data-dropzone]", "drop", {"dataTransfer": dropped})
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("link", name="Instructor (teachers.csv)")).to_be_visible()
    expect(page.locator("#c-2-2")).to_have_text("maria@example.com")
