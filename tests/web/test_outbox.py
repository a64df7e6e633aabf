from django.core.mail import EmailMultiAlternatives
from django.test import Client

from roster.mail.backends import ORGANIZATION_HEADER, OutboxBackend
from roster.mail.models import OutboxMessage
from roster.orgs.models import Organization


def _send(org: Organization, subject: str) -> None:
    message = EmailMultiAlternatives(
        subject,
        "Welcome!",
        "no-reply@example.com",
        ["kid@example.com"],
        headers={ORGANIZATION_HEADER: str(org.pk)},
    )
    message.attach_alternative("<p>Welcome!</p>", "text/html")
    assert OutboxBackend().send_messages([message]) == 1


def test_the_outbox_keeps_each_message_for_its_organization(
    admin_client: Client, org: Organization, other_org: Organization
) -> None:
    _send(org, "Activate your Northside account")
    _send(other_org, "Activate your Southside account")
    kept = OutboxMessage.objects.get(organization=org)
    assert (kept.to, kept.html_body) == ("kid@example.com", "<p>Welcome!</p>")
    assert "Subject: Activate your Northside account" in kept.raw
    page = admin_client.get("/o/northside/outbox/")
    assert [m.subject for m in page.context["emails"]] == ["Activate your Northside account"]
    assert admin_client.get(f"/o/northside/outbox/{kept.pk}/").status_code == 200


def test_the_outbox_shows_its_emails_in_the_table_not_as_banners(
    admin_client: Client, org: Organization
) -> None:
    """The page once named its emails `messages`, the name of Django's messages framework:
    base.html showed every email's subject as a flash banner (200 after a big import)."""
    for number in range(3):
        _send(org, f"Activate your Northside account {number}")
    html = admin_client.get("/o/northside/outbox/").content.decode()
    assert 'class="messages"' not in html
    assert html.count("Activate your Northside account") == 3  # once each, in the table
