import pytest
from playwright.sync_api import Page, expect

from roster.accounts.models import Role, StudentParent
from roster.orgs.models import Organization
from tests.browser.conftest import save_screenshot
from tests.conftest import PASSWORD, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_logs_in_and_finds_user_management(
    page: Page, live_server: object, admin: object, org: Organization
) -> None:
    kid = make_account(org, Role.STUDENT, "kim.ng@example.com", first_name="Kim", last_name="Ng")
    mum = make_account(org, Role.PARENT, "mo.ng@example.com", first_name="Mo", last_name="Ng")
    make_account(org, Role.STUDENT, username="lee.park", first_name="Lee", last_name="Park")
    StudentParent.objects.create(organization=org, student=kid, parent=mum)

    page.goto(f"{live_server}/o/northside/users/")
    expect(page.get_by_role("heading", name="Log in to Northside Tutoring")).to_be_visible()
    page.get_by_label("Email or username").fill("admin@northside.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="User Management")).to_be_visible()
    expect(page.locator("#users tbody tr")).to_have_count(3)
    expect(page.get_by_role("heading", name="Add Multiple Users")).to_be_visible()
    save_screenshot(page, "user-management.png")

    page.get_by_label("Search").fill("ng")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#users tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Ng, Kim").click()
    expect(page.get_by_role("heading", name="Kim Ng")).to_be_visible()
    expect(page.get_by_role("link", name="Mo Ng")).to_be_visible()


def test_the_dashboard_links_to_users_from_the_navigation(
    page: Page, live_server: object, admin: object
) -> None:
    page.goto(f"{live_server}/o/northside/login/")
    page.get_by_label("Email or username").fill("admin@northside.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("navigation", name="Admin portal").get_by_role("link", name="Users").click()
    expect(page).to_have_url(f"{live_server}/o/northside/users/")


def test_password_guessing_meets_a_page_that_says_when_to_try_again(
    page: Page, live_server: object, admin: object
) -> None:
    page.goto(f"{live_server}/o/northside/login/")
    for _ in range(10):
        page.get_by_label("Email or username").fill("admin@northside.example")
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Log in").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Try again in 15 minutes")
    expect(page.get_by_label("Email or username")).to_have_value("admin@northside.example")
