import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from roster.accounts.delivery import record_invitations
from roster.accounts.models import Role, StudentParent
from roster.orgs.models import Organization
from tests.accounts.test_invitations import run_worker
from tests.conftest import SmtpCollector, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_follows_the_emailed_link_sets_passwords_and_is_logged_in(
    page: Page, live_server: Any, org: Organization, smtp: SmtpCollector, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    mum = make_account(org, Role.PARENT, "mum@example.com", first_name="Maria")
    kid = make_account(org, Role.STUDENT, username="kid.one", first_name="Kid", last_name="One")
    StudentParent.objects.create(organization=org, student=kid, parent=mum)
    record_invitations(
        org, [mum]
    )  # committed at once: this test runs without a wrapping transaction
    run_worker()
    [message] = smtp.parsed()
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    link = re.search(r"http://\S+/activate/\S+/", body.get_content())
    assert link is not None

    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Welcome to Northside Tutoring")).to_be_visible()
    page.get_by_label("Choose a password").fill("a fresh long passphrase 42")
    page.get_by_label("Type it again").fill("a fresh long passphrase 42")
    page.get_by_label(re.compile("Password for Kid One")).fill("kid's own secret 77")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Welcome, Maria")).to_be_visible()

    page.goto(link.group(0))  # a second use of the same link is refused with a clear page
    expect(page.get_by_role("heading", name="This activation link does not work")).to_be_visible()
    expect(page.get_by_text("already active")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/o/northside/login/")
    page.get_by_label("Email or username").fill("kid.one")
    page.get_by_label("Password").fill("kid's own secret 77")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Kid")).to_be_visible()
