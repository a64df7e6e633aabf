"""Stored emails in the one canonical form every door now stores and looks up.

Before, an import's plain-ASCII fast path stored a Punycode domain (`jo@xn--mnchen-3ya.de`)
as typed, while every other path stored the Unicode form (`jo@münchen.de`). Identity
lookups compare the canonical form, so such accounts are rewritten to it. One that would
collide with an account already holding the Unicode spelling in its organization is left
as it is (the unique index forbids two): the admin sees both accounts in User Management
and keeps one. Backwards: nothing to undo (both spellings name one mailbox).
"""

from typing import Any

from django.db import migrations
from django.db.models.functions import Lower
from email_validator import EmailNotValidError, validate_email


def canonical_emails(apps: Any, schema_editor: Any) -> None:
    account_model = apps.get_model("accounts", "Account")
    punycode = account_model.objects.filter(email__icontains="xn--")
    for account in punycode.iterator(chunk_size=1000):
        try:
            # smtputf8 allowed here: this rewrites domains only, and refuses no stored account.
            canonical = validate_email(account.email, check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        if canonical == account.email:
            continue
        holders = account_model.objects.filter(organization_id=account.organization_id)
        taken = holders.alias(key=Lower("email")).filter(key=canonical.lower())
        if not taken.exclude(pk=account.pk).exists():
            account.email = canonical
            account.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_links_reference_accounts_in_their_organization")]

    operations = [migrations.RunPython(canonical_emails, migrations.RunPython.noop)]
