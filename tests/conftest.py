"""Fixtures every test can use: two organizations always exist, ours and a stranger's."""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.orgs.models import Organization

# Playwright's sync API runs an event loop in the main thread; the ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # The real hasher costs ~0.3 s per password by design; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_account(org: Organization, role: Role, email: str = "", **fields: Any) -> Account:
    fields.setdefault("first_name", "Ada")
    fields.setdefault("last_name", "Lovelace")
    account = Account(organization=org, role=role, email=email, **fields)
    account.set_password(PASSWORD)
    account.save()
    return account


@pytest.fixture
def org(db: None) -> Organization:
    return Organization.objects.create(slug="northside", name="Northside Tutoring")


@pytest.fixture
def other_org(db: None) -> Organization:
    return Organization.objects.create(slug="southside", name="Southside Learning")


@pytest.fixture
def admin(org: Organization) -> Account:
    return make_account(org, Role.ADMIN, "admin@northside.example", status=Status.ACTIVE)


@pytest.fixture
def stranger(other_org: Organization) -> Account:
    return make_account(other_org, Role.ADMIN, "admin@southside.example", status=Status.ACTIVE)


@pytest.fixture
def admin_client(admin: Account) -> Iterator[Client]:
    client = Client()
    client.force_login(admin)
    yield client
