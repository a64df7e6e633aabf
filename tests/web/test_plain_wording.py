"""What the pages say: plain headings for issue codes (the code small beside them), emails
"queued" until the mail server has taken them, no invitation talk when nobody was added."""

from django.test import Client

from roster.accounts.models import Account, Invitation, InvitationStatus, Role
from roster.importing.issues import HEADINGS, IssueCode
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.web.test_import_wizard import STUDENTS, start


def test_every_issue_code_has_a_plain_heading() -> None:
    for code in IssueCode:
        assert code.value in HEADINGS, code
        assert code.heading != code.value and "_" not in code.heading


def _apply(client: Client, text: str, invite: str) -> str:
    job = start(client, student_text=text)
    client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": invite})
    confirm = client.get(f"/o/northside/imports/{job.pk}/confirm/").content.decode()
    client.post(f"/o/northside/imports/{job.pk}/apply/")
    result = client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    return confirm + result


def test_the_panel_and_the_confirmation_head_each_code_in_words(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    review = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    heading = '<strong class="heading">Email not valid</strong> <code class="code">invalid_email'
    assert heading in review
    pages = _apply(admin_client, STUDENTS, "yes")
    assert '<strong>Email not valid</strong> <code class="code">invalid_email</code>' in pages


def test_the_result_says_queued_not_sent(admin_client: Client, org: Organization) -> None:
    result = _apply(admin_client, STUDENTS, "yes")
    queued = Invitation.objects.filter(organization=org, status=InvitationStatus.QUEUED)
    assert queued.count() == 1  # no worker has run: nothing has gone to the mail server
    assert '<span id="invites">1</span> account activation email queued' in result
    assert "sent to new users" not in result


def test_a_re_import_that_adds_nobody_invites_nobody(
    admin_client: Client, org: Organization
) -> None:
    _apply(admin_client, STUDENTS, "yes")
    again = _apply(admin_client, STUDENTS, "yes")
    assert "No new user was added, so no activation email." in again
    assert "invited" not in again.split("Import summary")[-1].lower()
    assert Invitation.objects.filter(organization=org).count() == 1


def test_a_user_page_counts_only_emails_the_mail_server_took(
    admin_client: Client, org: Organization
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    Invitation.objects.create(organization=org, account=kid, status=InvitationStatus.SENT)
    Invitation.objects.create(organization=org, account=kid)
    page = admin_client.get(f"/o/northside/users/{kid.pk}/").content.decode()
    assert "Sent 1 time; 1 queued, not yet taken by the mail server." in page
    assert Account.objects.filter(pk=kid.pk).exists()
