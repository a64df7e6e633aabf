"""People through the API: the portal's rules for one person, and its resend."""

from collections.abc import Callable
from typing import Any

from roster.accounts.models import Account, Invitation, Role, Status
from roster.api.models import Scope
from roster.orgs.models import Organization
from tests.api.conftest import Api
from tests.conftest import make_account


def _people(org: Organization) -> list[Account]:
    return [
        make_account(org, Role.STUDENT, f"s{n}@example.com", first_name=f"Kid{n}") for n in range(5)
    ] + [make_account(org, Role.PARENT, "pat@example.com", first_name="Pat", status=Status.ACTIVE)]


def test_list_filters_searches_and_pages_by_cursor(api: Api, org: Organization) -> None:
    people = _people(org)
    make_account(org, Role.ADMIN, "boss@example.com")  # not one of the people managed
    page = api.get("/people", limit=2).json()
    seen = [item["id"] for item in page["items"]]
    while page["next_cursor"]:
        page = api.get("/people", limit=2, cursor=page["next_cursor"]).json()
        seen += [item["id"] for item in page["items"]]
    assert seen == [person.pk for person in people]
    parents = api.get("/people", role="parent").json()["items"]
    assert [p["email"] for p in parents] == ["pat@example.com"]
    assert api.get("/people", status="active").json()["items"] == parents
    assert [p["first_name"] for p in api.get("/people", q="kid3").json()["items"]] == ["Kid3"]


def test_a_search_for_a_nul_finds_nobody(api: Api, org: Organization) -> None:
    _people(org)
    for q in ("kid\x00", "kid3 \x00"):
        response = api.get("/people", q=q)
        assert response.status_code == 200, response.content
        assert response.json()["items"] == []


def test_create_read_update_and_deactivate(api: Api, org: Organization) -> None:
    created = api.post(
        "/people",
        {"role": "student", "first_name": "Ada", "last_name": "Lovelace", "username": "ada.l"},
    )
    assert created.status_code == 422  # a username-only student needs a parent
    assert created.json()["code"] == "invalid_person"
    assert created.json()["errors"][0]["loc"] == ["body", "parent_emails"]
    make_account(org, Role.PARENT, "pat@example.com")
    created = api.post(
        "/people",
        {
            "role": "student",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "username": "ada.l",
            "parent_emails": ["PAT@example.com"],
        },
    )
    assert created.status_code == 201
    person = created.json()
    assert (person["status"], person["parents"]) == ("pending", ["pat@example.com"])
    assert api.get(f"/people/{person['id']}").json() == person
    changed = api.patch(f"/people/{person['id']}", {"phone": "+44 20 7946 0958"})
    assert changed.status_code == 200
    assert changed.json()["phone"] and changed.json()["parents"] == ["pat@example.com"]
    assert changed.json()["first_name"] == "Ada"
    taken = api.patch(f"/people/{person['id']}", {"username": "", "email": "pat@example.com"})
    assert taken.status_code == 422
    closed = api.post(f"/people/{person['id']}/deactivate")
    assert closed.json()["status"] == "deactivated"
    assert Account.objects.get(pk=person["id"]).status == Status.DEACTIVATED


def test_resend_welcome_emails_to_a_selection(api: Api, org: Organization) -> None:
    people = _people(org)
    chosen = [people[0].pk, people[1].pk, people[-1].pk]  # the parent is active already
    answer = api.post("/people/resend", {"ids": chosen})
    assert answer.json() == {"queued": 2, "already_active": 1, "recently_sent": 0, "no_email": 0}
    assert Invitation.objects.in_org(org).count() == 2
    again = api.post("/people/resend", {"ids": chosen}).json()
    assert (again["queued"], again["recently_sent"]) == (0, 2)


def test_another_organization_s_people_are_not_found(
    api: Api,
    api_for: Callable[..., Api],
    org: Organization,
    other_org: Organization,
    stranger: Account,
) -> None:
    ours = _people(org)[0]
    theirs = api_for(Scope.READ, Scope.PEOPLE, of=other_org, by=stranger)
    assert theirs.get("/people").json()["items"] == []
    assert theirs.get(f"/people/{ours.pk}").status_code == 404
    assert theirs.patch(f"/people/{ours.pk}", {"first_name": "X"}).status_code == 404
    assert theirs.post(f"/people/{ours.pk}/deactivate").status_code == 404
    refused: Any = theirs.post("/people/resend", {"ids": [ours.pk]})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert not Invitation.objects.exists()
    assert Account.objects.get(pk=ours.pk).first_name == "Kid0"
