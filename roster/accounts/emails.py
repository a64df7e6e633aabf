"""The emails Roster sends to people: one builder per kind (templates/emails/)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from roster.accounts.activation import activation_url, students_to_set_up
from roster.accounts.models import Invitation, Role
from roster.mail.render import render_email


def activation_email(invitation: Invitation) -> EmailMultiAlternatives:
    account = invitation.account
    org = account.organization
    assert org is not None
    context = {
        "account": account,
        "url": activation_url(invitation),
        "students": students_to_set_up(account) if account.role == Role.PARENT else [],
        "is_owner": account.role in (Role.OWNER, Role.ADMIN),
        "days": settings.ACTIVATION_LINK_DAYS,
    }
    return render_email("activation", org=org, to=account.email, context=context)
