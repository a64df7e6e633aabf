"""Activation links refuse accounts that must not become active."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from roster.accounts.activation import ActivationLinkError, activate_account, activation_url
from roster.accounts.models import Account, Invitation, InvitationStatus, Role, Status
from roster.orgs.models import Organization
from tests.conftest import make_account

NEW_PASSWORD = "a fresh long passphrase 42"


def test_a_deactivated_account_cannot_activate_through_an_old_link(org: Organization) -> None:
    mum = make_account(org, Role.PARENT, "mum@example.com", status=Status.INVITED)
    invitation = Invitation.objects.create(
        organization=org, account=mum, status=InvitationStatus.SENT
    )
    path = urlsplit(activation_url(invitation)).path
    Account.objects.filter(pk=mum.pk).update(status=Status.DEACTIVATED)
    shown = Client().get(path)
    assert (shown.status_code, shown.context["problem"]) == (410, "deactivated")
    posted = Client().post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert (posted.status_code, posted.context["problem"]) == (410, "deactivated")
    with pytest.raises(ActivationLinkError):  # deactivated after the link was checked
        activate_account(mum, password=NEW_PASSWORD)
    mum.refresh_from_db()
    assert mum.status == Status.DEACTIVATED and not mum.check_password(NEW_PASSWORD)
