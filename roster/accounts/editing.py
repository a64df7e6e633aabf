"""Creating and editing one account by hand: the only writer for the single-user form."""

from collections.abc import Mapping

from django.db import transaction

from roster.accounts.links import set_links
from roster.accounts.models import Account, Role, Status
from roster.audit.log import By, clipped, record
from roster.audit.models import Action
from roster.importing.fields import Kind, fields_for
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization


@transaction.atomic
def save_account(
    org: Organization,
    account: Account | None,
    values: Mapping[str, str],
    links: Mapping[str, list[Account]],
    *,
    by: By,
) -> Account:
    """Create (pending, like an import) or update one person and set their links.

    Validate the form under the same lock (lock_accounts_of, then form.is_valid()): an
    import may have added the email while the admin typed.
    """
    lock_accounts_of(org)
    action = Action.ADDED_USER if account is None else Action.EDITED_USER
    if account is None:
        account = Account(organization=org, role=Role(values["role"]), status=Status.PENDING)
        account.set_unusable_password()
    assert account.organization_id == org.pk
    role = Role(account.role)
    changed: dict[str, list[str]] = {}
    for field in fields_for(role):
        if field.kind is not Kind.LINKS:
            old, new = getattr(account, field.name), values.get(field.name, "")
            if old != new:
                changed[field.name] = [clipped(old), clipped(new)]
            setattr(account, field.name, new)
    account.save()
    for field in fields_for(role):
        if field.kind is Kind.LINKS:
            set_links(account, field.name, list(links.get(field.name, [])))
    detail = {"role": str(role), "changed": changed}
    record(org, action, by=by, account=account, detail=detail)
    return account


@transaction.atomic
@transaction.atomic
def deactivate_account(org: Organization, account: Account, *, by: By) -> Account:
    """Close a person's account: they can no longer log in, and no welcome email goes out
    (delivery skips deactivated accounts). Their links and history stay."""
    lock_accounts_of(org)
    assert account.organization_id == org.pk
    was = account.status
    account.status = Status.DEACTIVATED
    account.save(update_fields=["status", "updated_at"])
    record(org, Action.DEACTIVATED_USER, by=by, account=account, detail={"status": was})
    return account
