"""The portal's API tokens page: made and shown once, scoped, listed, revoked."""

import re

from django.test import Client

from roster.accounts.models import Account
from roster.api.models import ApiToken, Scope
from roster.api.tokens import create_token
from roster.orgs.models import Organization

PAGE = "/o/northside/api-tokens/"


def test_an_admin_makes_a_token_that_is_shown_once(admin_client: Client, org: Organization) -> None:
    made = admin_client.post(PAGE, {"name": "Nightly SIS sync", "scopes": ["read", "import"]})
    assert made.status_code == 200
    [secret] = re.findall(r'<code id="new-token">(roster_[\w-]+)</code>', made.content.decode())
    token = ApiToken.objects.get(organization=org)
    assert (token.name, token.scopes) == ("Nightly SIS sync", ["import", "read"])
    assert secret not in admin_client.get(PAGE).content.decode()  # never again
    assert token.prefix in admin_client.get(PAGE).content.decode()
    answer = Client().get("/api/imports/1", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 404  # the token works: there is just no such import


def test_a_token_needs_a_name_and_a_scope(admin_client: Client) -> None:
    assert admin_client.post(PAGE, {"name": "x"}).status_code == 400
    assert admin_client.post(PAGE, {"scopes": ["read"]}).status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_refuses_the_next_call(
    admin_client: Client, org: Organization, admin: Account
) -> None:
    token, secret = create_token(org, admin, "old", [Scope.READ])
    headers = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/people", headers=headers).status_code == 200
    assert admin_client.post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/people", headers=headers).status_code == 401
    assert "revoked" in admin_client.get(PAGE).content.decode()


def test_another_organization_s_token_is_not_found(
    admin_client: Client, other_org: Organization, stranger: Account
) -> None:
    token, _secret = create_token(other_org, stranger, "theirs", [Scope.READ])
    assert admin_client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert "theirs" not in admin_client.get(PAGE).content.decode()
