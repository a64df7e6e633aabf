"""Creating and editing one account by hand: the only writer for the single-user form."""

from collections.abc import Mapping

from django.db import transaction

from roster.accounts.links import set_links
from roster.accounts.models import Account, Role, Status
from roster.importing.fields import Kind, fields_for
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization


@transaction.atomic
def save_account(
    org: Organization,
    account: Account | None,
    values: Mapping[str, str],
    links: Mapping[str, list[Account]],
) -> Account:
    """Create (pending, like an import) or update one person and set their links.

    Validate the form under the same lock (lock_accounts_of, then form.is_valid()): an
    import may have added the email while the admin typed.
    """
    lock_accounts_of(org)
    if account is None:
        account = Account(organization=org, role=Role(values["role"]), status=Status.PENDING)
        account.set_unusable_password()
    assert account.organization_id == org.pk
    role = Role(account.role)
    for field in fields_for(role):
        if field.kind is not Kind.LINKS:
            setattr(account, field.name, values.get(field.name, ""))
    account.save()
    for field in fields_for(role):
        if field.kind is Kind.LINKS:
            set_links(account, field.name, list(links.get(field.name, [])))
    return account


@transaction.atomic
def deactivate_account(org: Organization, account: Account) -> Account:
    """Close a person's account: they can no longer log in, and no welcome email goes out
    (delivery skips deactivated accounts). Their links and history stay."""
    lock_accounts_of(org)
    assert account.organization_id == org.pk
    account.status = Status.DEACTIVATED
    account.save(update_fields=["status", "updated_at"])
    return account
