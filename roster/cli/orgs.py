import argparse

import phonenumbers
from django.core.exceptions import ValidationError

from roster.accounts.activation import activation_url
from roster.audit.log import COMMAND_LINE
from roster.cli.output import FailureCode, fail
from roster.orgs.creation import create_organization


def create_org_command(args: argparse.Namespace) -> int:
    region = args.region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        # A made-up region would flag every phone written without a country code.
        message = f"--region {args.region}: not a two-letter country code (e.g. US, GB, DE)."
        return fail(message, code=FailureCode.INVALID_ORGANIZATION)
    try:
        org, owner = create_organization(
            args.slug,
            name=args.name,
            owner_email=args.owner_email,
            owner_first_name=args.owner_first_name,
            owner_last_name=args.owner_last_name,
            by=COMMAND_LINE,
        )
    except ValidationError as error:
        return fail(" ".join(error.messages), code=FailureCode.INVALID_ORGANIZATION)
    org.default_region = region
    org.save(update_fields=["default_region"])
    invitation = owner.invitations.get()
    print(f"Created {org.name}: portal /o/{org.slug}/, owner {owner.email} ({owner.status}).")
    print(
        f"An activation email is on its way to {owner.email}; its link: {activation_url(invitation)}"
    )
    return 0
