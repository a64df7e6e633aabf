from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

from roster.mail.models import OutboxMessage

# Set by Roster's email builders so that the outbox can show each organization only its mail.
ORGANIZATION_HEADER = "X-Roster-Organization"


class OutboxBackend(BaseEmailBackend):
    """Keeps every message in the database; the portal's Outbox page shows them.

    The embedded default, so a newcomer sees invitations without an SMTP server.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows = [self._row(message) for message in email_messages]
        OutboxMessage.objects.bulk_create(rows)
        return len(rows)

    @staticmethod
    def _row(message: EmailMessage) -> OutboxMessage:
        org_id = message.extra_headers.get(ORGANIZATION_HEADER)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(c) for c, mime in message.alternatives if mime == "text/html"), "")
        return OutboxMessage(
            organization_id=int(org_id) if org_id and org_id.isdigit() else None,
            subject=str(message.subject),
            from_email=str(message.from_email),
            to="\n".join(message.recipients()),
            body=str(message.body),
            html_body=html,
            raw=message.message().as_string(),
        )
