from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.db.models.functions import Lower
from django.http import HttpRequest

from roster.accounts.models import Account, Role
from roster.importing.fields import email_key, identity_key
from roster.orgs.models import Organization


class AccountBackend(BaseBackend):
    """Logs people in inside one organization's portal, by email or by username.

    Without an organization it only accepts platform operators (Django's admin login).
    Only active accounts pass (PRODUCT.md: only `active` accounts can log in).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        organization: Organization | None = None,
        **kwargs: Any,
    ) -> Account | None:
        if not username or not password:
            return None
        # An email is looked up in its canonical form, as every door stores it: a Punycode
        # spelling of the domain finds the account stored with the Unicode one.
        key = email_key(username) if "@" in username else identity_key(username)
        accounts = Account.objects.alias(email_key=Lower("email"), username_key=Lower("username"))
        if organization is None:
            candidates = accounts.filter(
                organization__isnull=True, role=Role.OPERATOR, email_key=key
            )
        else:
            by_email = accounts.filter(organization=organization, email_key=key)
            by_username = accounts.filter(organization=organization, username_key=key)
            candidates = by_email if "@" in key else by_username
        account = candidates.first()
        if account is None:
            Account().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if account.check_password(password) and account.is_active:
            return account
        return None

    def get_user(self, user_id: int) -> Account | None:
        account = Account.objects.select_related("organization").filter(pk=user_id).first()
        return account if account is not None and account.is_active else None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(getattr(user_obj, "is_superuser", False) and user_obj.is_active)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(getattr(user_obj, "is_superuser", False) and user_obj.is_active)
