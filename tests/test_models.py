import pytest
from django.db import IntegrityError, transaction

from roster.accounts.models import Role
from roster.orgs.models import Organization
from tests.conftest import make_account


def test_email_is_unique_in_an_organization_ignoring_case(org: Organization) -> None:
    make_account(org, Role.STUDENT, "ann@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_account(org, Role.PARENT, "ANN@Example.com")


def test_same_email_in_two_organizations_is_two_accounts(
    org: Organization, other_org: Organization
) -> None:
    first = make_account(org, Role.PARENT, "pat@example.com")
    second = make_account(other_org, Role.PARENT, "pat@example.com")
    assert first.pk != second.pk
