"""Building Roster's emails: one function per kind elsewhere, three templates per kind here.

`templates/emails/<kind>-subject.txt`, `<kind>-body.txt` and `<kind>-body.html`. Building
and sending are separate, so a preview and the delivery task share the builder.
"""

from collections.abc import Mapping
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from roster.mail.backends import ORGANIZATION_HEADER
from roster.orgs.models import Organization


def render_email(
    kind: str, *, org: Organization, to: str, context: Mapping[str, Any]
) -> EmailMultiAlternatives:
    ctx = {"org": org, **context}
    # A subject is one line: a newline in it would start a new header.
    subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{kind}-body.txt", ctx)
    html = render_to_string(f"emails/{kind}-body.html", ctx)
    message = EmailMultiAlternatives(
        subject,
        text,
        formataddr((f"{org.name} via Roster", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        [to],
        headers={ORGANIZATION_HEADER: str(org.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message
