"""Fixtures every test can use: two organizations always exist, ours and a stranger's."""

import os
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
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


class SmtpCollector:
    """An SMTP server's handler that keeps every message it accepts (aiosmtpd)."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.refuse = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 Try again later"
        self.messages.append(envelope)
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        return [
            BytesParser(policy=policy.default).parsebytes(e.original_content) for e in self.messages
        ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpCollector]:
    """A real SMTP server on 127.0.0.1 that Roster's mailer sends to during the test."""
    from aiosmtpd.controller import Controller

    handler = SmtpCollector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    try:
        yield handler
    finally:
        controller.stop()
