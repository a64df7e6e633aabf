"""Fixtures every test can use: two organizations always exist, ours and a stranger's."""

import os
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
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


def refused_by_database(model: type[Any], **fields: Any) -> None:
    """Creating this row fails, at the latest when its foreign keys are checked."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)
        connection.check_constraints()  # deferred: checked when committing


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
        self.refusal = "451 Try again later"  # the reply while refusing
        # Accept the message after this many, then drop the connection before answering:
        # the client cannot know that the message arrived.
        self.hang_up_after: int | None = None
        # After this many messages, drop the connection at the next one's recipient, before
        # its DATA: the client knows that message never arrived.
        self.hang_up_before_data_after: int | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if len(self.messages) == self.hang_up_before_data_after:
            self.hang_up_before_data_after = None
            server.transport.close()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refusal
        self.messages.append(envelope)
        if len(self.messages) - 1 == self.hang_up_after:
            self.hang_up_after = None
            server.transport.close()
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        return [
            BytesParser(policy=policy.default).parsebytes(e.original_content) for e in self.messages
        ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_smtp(port: int) -> tuple[SmtpCollector, Any]:
    from aiosmtpd.controller import Controller

    handler = SmtpCollector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return handler, controller


def _send_to_port(settings: Any, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpCollector]:
    """A real SMTP server on 127.0.0.1 that Roster's mailer sends to during the test."""
    handler, controller = _serve_smtp(_free_port())
    _send_to_port(settings, controller.port)
    try:
        yield handler
    finally:
        controller.stop()


class SmtpOutage:
    """The mail server's port with nothing listening (connection refused) until `restore()`."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.controller: Any = None

    def restore(self) -> SmtpCollector:
        handler, self.controller = _serve_smtp(self.port)
        return handler


@pytest.fixture
def smtp_down(settings: Any) -> Iterator[SmtpOutage]:
    outage = SmtpOutage(_free_port())
    _send_to_port(settings, outage.port)
    try:
        yield outage
    finally:
        if outage.controller is not None:
            outage.controller.stop()
