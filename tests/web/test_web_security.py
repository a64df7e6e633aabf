"""What held in issue 11's adversarial test, kept holding: CSRF, escaping, open redirects."""

import pytest
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.orgs.models import Organization
from tests.conftest import PASSWORD, make_account

SCRIPT = '<script>alert("x")</script>'


@pytest.mark.parametrize(
    "url, data",
    [
        ("/o/northside/login/", {"login": "admin@northside.example", "password": PASSWORD}),
        ("/o/northside/users/new/", {"role": "student", "first_name": "Eve", "last_name": "X"}),
        ("/o/northside/users/add-multiple/", {"student_text": "First Name,Last Name\nA,B\n"}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(
    admin: Account, url: str, data: dict[str, str]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(url, data).status_code == 403
    assert not Account.objects.filter(first_name="Eve").exists()


def test_names_are_escaped_on_every_page_that_shows_them(
    admin_client: Client, org: Organization
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com", first_name=SCRIPT, last_name=SCRIPT)
    for url in ("/o/northside/users/", f"/o/northside/users/{kid.pk}/"):
        page = admin_client.get(url).content.decode()
        assert SCRIPT not in page and "&lt;script&gt;" in page, url


def test_a_pasted_script_is_escaped_in_the_review_grid(admin_client: Client) -> None:
    text = f"First Name,Last Name,Email\n{SCRIPT},B,b@example.com\n"
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_text": text})
    page = admin_client.get(response["Location"]).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example"],
)
def test_login_never_redirects_to_another_site(org: Organization, target: str) -> None:
    make_account(org, Role.ADMIN, "a@northside.example", status=Status.ACTIVE)
    response = Client().post(
        f"/o/northside/login/?next={target}", {"login": "a@northside.example", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, "/o/northside/")


def test_login_follows_a_next_page_of_this_site(org: Organization) -> None:
    make_account(org, Role.ADMIN, "a@northside.example", status=Status.ACTIVE)
    response = Client().post(
        "/o/northside/login/?next=/o/northside/users/",
        {"login": "a@northside.example", "password": PASSWORD},
    )
    assert response["Location"] == "/o/northside/users/"
