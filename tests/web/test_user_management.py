from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.timezone import localtime

from roster.accounts.models import (
    Account,
    Invitation,
    InvitationStatus,
    Role,
    Status,
    StudentParent,
)
from roster.orgs.models import Organization
from tests.conftest import make_account


def _names(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/o/northside/users/{query}")
    assert response.status_code == 200
    return [f"{a.first_name} {a.last_name}" for a in response.context["page"]]


def test_lists_the_organizations_people_only(
    admin_client: Client, org: Organization, other_org: Organization
) -> None:
    make_account(org, Role.STUDENT, "kid@example.com", first_name="Kim", last_name="Ng")
    make_account(other_org, Role.STUDENT, "stranger@example.com", first_name="Zed", last_name="Q")
    assert _names(admin_client) == ["Kim Ng"]  # the admin and the other org's people are not listed


def test_searches_by_name_email_and_username(admin_client: Client, org: Organization) -> None:
    make_account(org, Role.STUDENT, "kim@example.com", first_name="Kim", last_name="Ng")
    make_account(org, Role.STUDENT, username="lee.park", first_name="Lee", last_name="Park")
    make_account(org, Role.PARENT, "mo@family.example", first_name="Mo", last_name="Ng")
    assert _names(admin_client, "?q=ng") == ["Kim Ng", "Mo Ng"]
    assert _names(admin_client, "?q=FAMILY") == ["Mo Ng"]
    assert _names(admin_client, "?q=lee.pa") == ["Lee Park"]
    assert _names(admin_client, "?q=kim+ng") == ["Kim Ng"]


def test_filters_by_role_and_status(admin_client: Client, org: Organization) -> None:
    make_account(org, Role.STUDENT, "a@example.com", first_name="A", status=Status.ACTIVE)
    make_account(org, Role.STUDENT, "b@example.com", first_name="B")
    make_account(org, Role.PARENT, "c@example.com", first_name="C", status=Status.ACTIVE)
    assert _names(admin_client, "?role=student") == ["A Lovelace", "B Lovelace"]
    assert _names(admin_client, "?role=student&status=active") == ["A Lovelace"]
    assert _names(admin_client, "?status=pending") == ["B Lovelace"]


def test_pages_fifty_at_a_time_keeping_the_filters(admin_client: Client, org: Organization) -> None:
    Account.objects.bulk_create(
        Account(
            organization=org,
            role=Role.STUDENT,
            email=f"s{n:03}@example.com",
            first_name="S",
            last_name=f"{n:03}",
        )
        for n in range(120)
    )
    page3 = admin_client.get("/o/northside/users/?role=student&page=3")
    assert [a.last_name for a in page3.context["page"]] == [f"{n:03}" for n in range(100, 120)]
    assert b"role=student&amp;page=2" in page3.content


def test_the_page_has_the_add_multiple_users_card(admin_client: Client) -> None:
    page = admin_client.get("/o/northside/users/").content.decode()
    assert 'id="add-multiple-users"' in page
    assert "Add Multiple Users" in page


def test_a_users_page_shows_status_and_associations(
    admin_client: Client, org: Organization
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com", first_name="Kid")
    mum = make_account(org, Role.PARENT, "mum@example.com", first_name="Mum", status=Status.INVITED)
    StudentParent.objects.create(organization=org, student=kid, parent=mum)
    kid_page = admin_client.get(f"/o/northside/users/{kid.pk}/")
    assert kid_page.context["linked"].parents == [mum]
    mum_page = admin_client.get(f"/o/northside/users/{mum.pk}/")
    assert mum_page.context["linked"].students == [kid]
    assert b"status-invited" in mum_page.content


def test_the_card_downloads_the_template_workbook(admin_client: Client) -> None:
    import io

    from python_calamine import CalamineWorkbook

    response = admin_client.get("/o/northside/users/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names[1:] == ["Student", "Instructor", "Parent"]


def test_a_users_page_shows_when_and_how_often_the_welcome_email_went_and_what_failed(
    admin_client: Client, org: Organization
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com", status=Status.INVITED)
    someone_else = make_account(org, Role.STUDENT, "else@example.com")
    now = timezone.now()
    sent = [
        Invitation.objects.create(
            organization=org,
            account=kid,
            status=InvitationStatus.SENT,
            attempts=1,
            sent_at=now - timedelta(days=days),
        )
        for days in (3, 2)
    ]
    failed = Invitation.objects.create(
        organization=org,
        account=kid,
        status=InvitationStatus.FAILED,
        attempts=5,
        error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    Invitation.objects.create(organization=org, account=someone_else, sent_at=now)
    page = admin_client.get(f"/o/northside/users/{kid.pk}/")
    assert page.context["sent_count"] == 2
    assert [i.pk for i in page.context["invitations"]] == [failed.pk, sent[1].pk, sent[0].pk]
    html = page.content.decode()
    for invitation in sent:
        assert invitation.sent_at is not None
        assert date_format(localtime(invitation.sent_at), "DATETIME_FORMAT") in html
    assert escape(failed.error) in html


def test_a_filter_that_cannot_be_read_shows_nobody_and_says_why(
    admin_client: Client, org: Organization
) -> None:
    make_account(org, Role.STUDENT, "kim@example.com", first_name="Kim", last_name="Ng")
    # Not a role, or a NUL in the search (the API finds nobody for it too): nobody, not all.
    for query in ("?role=pilot", "?q=kim%00", "?q=ng&status=sleeping"):
        assert _names(admin_client, query) == [], query
        page = admin_client.get(f"/o/northside/users/{query}").content.decode()
        assert 'id="filter-error"' in page and "No users are shown." in page
    assert 'id="filter-error"' not in admin_client.get("/o/northside/users/?q=ng").content.decode()


def test_resend_to_all_shown_by_a_filter_that_cannot_be_read_emails_nobody(
    admin_client: Client, org: Organization
) -> None:
    make_account(org, Role.STUDENT, "kim@example.com", first_name="Kim", last_name="Ng")
    admin_client.post("/o/northside/users/resend/", {"scope": "all", "role": "pilot"})
    assert not Invitation.objects.filter(organization=org).exists()
    admin_client.post("/o/northside/users/resend/", {"scope": "all", "role": "student"})
    assert Invitation.objects.filter(organization=org).count() == 1
