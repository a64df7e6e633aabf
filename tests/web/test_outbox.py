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
    assert [m.subject for m in page.context["messages"]] == ["Activate your Northside account"]
    assert admin_client.get(f"/o/northside/outbox/{kept.pk}/").status_code == 200
