from django.contrib.auth import authenticate
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.orgs.models import Organization
from tests.conftest import PASSWORD, make_account


def _login(client: Client, slug: str, login: str, password: str = PASSWORD) -> int:
    response = client.post(f"/o/{slug}/login/", {"login": login, "password": password})
    return response.status_code


def test_an_admin_logs_in_by_email_in_any_case_and_lands_on_the_dashboard(admin: Account) -> None:
    client = Client()
    response = client.post(
        "/o/northside/login/", {"login": " Admin@Northside.EXAMPLE ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/o/northside/"
    assert client.get("/o/northside/users/").status_code == 200


def test_a_username_only_student_logs_in_by_username(org: Organization) -> None:
    make_account(org, Role.STUDENT, username="sam.ito", status=Status.ACTIVE)
    client = Client()
    assert _login(client, org.slug, "SAM.ITO") == 302
    assert client.get("/o/northside/").status_code == 200


def test_only_active_accounts_can_log_in(org: Organization) -> None:
    for status in (Status.PENDING, Status.INVITED, Status.DEACTIVATED):
        email = f"{status}@example.com"
        make_account(org, Role.PARENT, email, status=status)
        assert authenticate(username=email, password=PASSWORD, organization=org) is None
        assert _login(Client(), org.slug, email) == 200  # the form again, with an error


def test_a_wrong_password_is_refused(admin: Account) -> None:
    assert _login(Client(), "northside", admin.email, "not the password") == 200


def test_logging_in_happens_inside_the_accounts_own_organization(
    admin: Account, other_org: Organization
) -> None:
    assert authenticate(username=admin.email, password=PASSWORD, organization=other_org) is None
    assert _login(Client(), other_org.slug, admin.email) == 200


def test_the_same_email_in_two_organizations_has_two_passwords(
    org: Organization, other_org: Organization
) -> None:
    make_account(org, Role.PARENT, "pat@example.com", status=Status.ACTIVE)
    theirs = make_account(other_org, Role.PARENT, "pat@example.com", status=Status.ACTIVE)
    theirs.set_password("another password entirely")
    theirs.save()
    assert authenticate(username="pat@example.com", password=PASSWORD, organization=org)
    assert not authenticate(username="pat@example.com", password=PASSWORD, organization=other_org)


def test_people_who_are_not_admins_see_no_admin_pages(org: Organization) -> None:
    parent = make_account(org, Role.PARENT, "mum@example.com", status=Status.ACTIVE)
    client = Client()
    client.force_login(parent)
    assert client.get("/o/northside/").status_code == 200
    assert client.get("/o/northside/users/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_organizations_login(org: Organization) -> None:
    response = Client().get("/o/northside/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/o/northside/login/?next=")


def test_an_unknown_organization_is_not_found(db: None) -> None:
    assert Client().get("/o/nowhere/login/").status_code == 404
