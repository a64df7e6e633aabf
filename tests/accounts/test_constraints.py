"""The database itself enforces identity rules, whatever code writes to it."""

import pytest
from django.db import IntegrityError, connection, transaction

from roster.accounts.models import Account, Invitation, Role, StudentInstructor, StudentParent
from roster.orgs.models import Organization
from tests.conftest import make_account, refused_by_database


def _fails(**fields: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(first_name="X", last_name="Y", **fields)


def test_email_is_unique_in_an_organization_ignoring_case(org: Organization) -> None:
    make_account(org, Role.STUDENT, "ann@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_account(org, Role.PARENT, "ANN@Example.com")


def test_username_is_unique_in_an_organization_ignoring_case(org: Organization) -> None:
    make_account(org, Role.STUDENT, username="sam.ito")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_account(org, Role.STUDENT, username="Sam.Ito")


def test_same_email_in_two_organizations_is_two_accounts(
    org: Organization, other_org: Organization
) -> None:
    first = make_account(org, Role.PARENT, "pat@example.com")
    second = make_account(other_org, Role.PARENT, "pat@example.com")
    assert first.pk != second.pk
    assert Account.objects.in_org(org).get().pk == first.pk


def test_many_students_without_email_are_allowed(org: Organization) -> None:
    make_account(org, Role.STUDENT, username="kid.one")
    make_account(org, Role.STUDENT, username="kid.two")
    assert Account.objects.in_org(org).count() == 2


def test_an_account_needs_an_email_or_a_student_username(org: Organization) -> None:
    _fails(organization=org, role=Role.STUDENT)
    _fails(organization=org, role=Role.PARENT, username="parent.name")


def test_platform_operators_have_no_organization_and_members_have_one(org: Organization) -> None:
    _fails(organization=None, role=Role.ADMIN, email="a@example.com")
    _fails(organization=org, role=Role.OPERATOR, email="b@example.com")


def test_a_role_or_status_outside_the_product_is_refused(org: Organization) -> None:
    _fails(organization=org, role="janitor", email="c@example.com")
    _fails(organization=org, role=Role.STUDENT, email="d@example.com", status="asleep")


def test_a_link_between_two_people_is_stored_once(org: Organization) -> None:
    student = make_account(org, Role.STUDENT, "kid@example.com")
    parent = make_account(org, Role.PARENT, "mum@example.com")
    StudentParent.objects.create(organization=org, student=student, parent=parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentParent.objects.create(organization=org, student=student, parent=parent)


@pytest.mark.parametrize("model", [StudentParent, StudentInstructor])
def test_a_link_into_another_organization_is_refused(
    org: Organization, other_org: Organization, model: type[StudentParent | StudentInstructor]
) -> None:
    student = make_account(org, Role.STUDENT, "kid@example.com")
    theirs = make_account(other_org, Role.PARENT, "their.mum@example.com")
    other = "parent" if model is StudentParent else "instructor"
    for fields in (
        {"organization": org, "student": student, other: theirs},  # the other person
        {"organization": other_org, "student": student, other: theirs},  # the student
    ):
        refused_by_database(model, **fields)


def test_an_invitation_for_another_organizations_account_is_refused(
    org: Organization, other_org: Organization
) -> None:
    theirs = make_account(other_org, Role.PARENT, "their.mum@example.com")
    refused_by_database(Invitation, organization=org, account=theirs)


def test_a_link_within_the_organization_is_kept(org: Organization) -> None:
    student = make_account(org, Role.STUDENT, "kid@example.com")
    tutor = make_account(org, Role.INSTRUCTOR, "tutor@example.com")
    StudentInstructor.objects.create(organization=org, student=student, instructor=tutor)
    connection.check_constraints()
    assert StudentInstructor.objects.filter(organization=org).count() == 1
