"""Adding and editing one person by hand follows the import's rules (the field catalogue)."""

from typing import Any

from django.test import Client

from roster.accounts.models import Account, Role, Status, StudentParent
from roster.orgs.models import Organization
from tests.conftest import make_account


def _create(client: Client, **values: str) -> Any:
    return client.post("/o/northside/users/new/", values)


def test_creates_a_pending_student_with_a_normalised_phone(
    admin_client: Client, org: Organization
) -> None:
    response = _create(
        admin_client,
        role="student",
        first_name="  Ana  Maria ",
        last_name="Silva",
        email="Ana.Silva@Example.COM",
        phone="(415) 555-0132",
    )
    assert response.status_code == 302
    ana = Account.objects.in_org(org).get(role=Role.STUDENT)
    assert (ana.first_name, ana.email, ana.phone, ana.status) == (
        "Ana Maria",
        "Ana.Silva@example.com",
        "+14155550132",
        Status.PENDING,
    )


def test_refuses_what_an_import_would_flag(admin_client: Client, org: Organization) -> None:
    response = _create(admin_client, role="parent", first_name="", last_name="X", email="nope@")
    assert set(response.context["form"].errors) == {"first_name", "email"}
    response = _create(admin_client, role="parent", first_name="A", last_name="B", email="")
    assert set(response.context["form"].errors) == {"email"}  # parents need an email
    response = _create(admin_client, role="student", first_name="A", last_name="B", username="x")
    assert "username" in response.context["form"].errors  # too short to be a username
    assert not Account.objects.in_org(org).people().exists()


def test_an_email_in_use_in_the_organization_is_refused_in_any_case(
    admin_client: Client, org: Organization, other_org: Organization
) -> None:
    make_account(org, Role.PARENT, "pat@example.com")
    make_account(other_org, Role.PARENT, "new@example.com")
    taken = _create(
        admin_client, role="student", first_name="A", last_name="B", email="PAT@example.com"
    )
    assert "email" in taken.context["form"].errors
    free = _create(
        admin_client, role="student", first_name="A", last_name="B", email="new@example.com"
    )
    assert free.status_code == 302  # another organization's account is not ours


def test_a_username_only_student_needs_an_existing_parent(
    admin_client: Client, org: Organization
) -> None:
    lonely = _create(admin_client, role="student", first_name="A", last_name="B", username="kid.b")
    assert "parent_emails" in lonely.context["form"].errors
    mum = make_account(org, Role.PARENT, "mum@example.com")
    ok = _create(
        admin_client,
        role="student",
        first_name="A",
        last_name="B",
        username="kid.b",
        parent_emails="MUM@example.com",
    )
    assert ok.status_code == 302
    kid = Account.objects.in_org(org).get(username="kid.b")
    assert StudentParent.objects.filter(student=kid, parent=mum).exists()


def test_links_name_people_of_the_right_role_in_the_organization(
    admin_client: Client, org: Organization, other_org: Organization
) -> None:
    make_account(org, Role.INSTRUCTOR, "teach@example.com")
    make_account(other_org, Role.PARENT, "theirs@example.com")
    response = _create(
        admin_client,
        role="student",
        first_name="A",
        last_name="B",
        email="kid@example.com",
        parent_emails="teach@example.com; theirs@example.com",
    )
    errors = response.context["form"].errors["parent_emails"]
    assert len(errors) == 2  # one is an instructor, the other belongs to another organization


def test_edits_a_person_and_their_links(admin_client: Client, org: Organization) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    mum = make_account(org, Role.PARENT, "mum@example.com")
    dad = make_account(org, Role.PARENT, "dad@example.com")
    StudentParent.objects.create(organization=org, student=kid, parent=mum)
    form = admin_client.get(f"/o/northside/users/{kid.pk}/edit/").context["form"]
    assert form.initial["parent_emails"] == "mum@example.com"
    response = admin_client.post(
        f"/o/northside/users/{kid.pk}/edit/",
        {
            "role": "parent",
            "first_name": "Kid",
            "last_name": "Renamed",
            "email": "kid@example.com",
            "parent_emails": "dad@example.com",
        },
    )
    assert response.status_code == 302
    kid.refresh_from_db()
    assert (kid.role, kid.last_name) == (Role.STUDENT, "Renamed")  # the role cannot be edited
    assert list(StudentParent.objects.filter(student=kid).values_list("parent", flat=True)) == [
        dad.pk
    ]
