"""Creating an organization together with its owner: the one writer for new tenants."""

from django.core.exceptions import ValidationError
from django.db import transaction

from roster.accounts.delivery import record_invitations
from roster.accounts.models import Account, Role, Status
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.importing.fields import check_email
from roster.orgs.models import Organization


@transaction.atomic
def create_organization(
    slug: str,
    *,
    name: str,
    owner_email: str,
    owner_first_name: str = "",
    owner_last_name: str = "",
    invite_owner: bool = True,
    by: By,
) -> tuple[Organization, Account]:
    """A new organization and its owner, who is sent an activation email (unless told not to)."""
    checked = check_email(owner_email.strip())  # trimmed, like an import cell
    if checked.issue is not None:
        raise ValidationError(f"The owner's email is not valid: {checked.detail or owner_email}.")
    org = Organization(slug=slug, name=name.strip())
    org.full_clean()
    org.save()
    owner = Account(
        organization=org,
        role=Role.OWNER,
        status=Status.PENDING,
        email=checked.value,
        first_name=owner_first_name.strip() or checked.value.split("@")[0],
        last_name=owner_last_name.strip(),
    )
    owner.set_unusable_password()
    owner.save()
    if invite_owner:
        record_invitations(org, [owner])
    detail = {"slug": org.slug, "name": org.name}
    record(org, Action.CREATED_ORGANIZATION, by=by, account=owner, detail=detail)
    return org, owner
