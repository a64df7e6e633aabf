"""`roster import FILE... --org SLUG [--role R] [--invite|--no-invite] [--dry-run] [--json]`.

Parse → gate → call the core (roster.importing.pipeline) → present.
"""

import argparse
import json

from roster.accounts.models import Role
from roster.cli.output import fail
from roster.cli.progress import ProgressBar
from roster.importing.pipeline import Choices, UnclearRole, apply_import, preview_import
from roster.importing.sources import ReadError, ReadResult, read_file
from roster.importing.summary import as_text, import_dict
from roster.orgs.models import Organization


def import_command(args: argparse.Namespace) -> int:
    org = Organization.objects.by_slug_or_none(args.org)
    if org is None:
        return fail(f"unknown organization: {args.org}")
    results: list[ReadResult] = []
    for path in args.files:
        try:
            results.append(read_file(path))
        except ReadError as error:
            return fail(f"{path}: {error.message}")
        except OSError as error:
            return fail(f"{path}: {error.strerror or error}")
    choices = Choices(role=Role(args.role) if args.role else None)
    with ProgressBar("reading") as bar:
        try:
            preview = preview_import(results, org=org, choices=choices, progress=bar.update)
        except (ReadError, UnclearRole) as error:
            return fail(str(error))
    if args.dry_run:
        data = import_dict(preview.plan, invitations=preview.invitations(invite=args.invite))
    else:
        outcome = apply_import(preview, org=org, invite=args.invite)
        data = import_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
    print(
        json.dumps(data, ensure_ascii=False)
        if args.json
        else as_text(data, applied=not args.dry_run)
    )
    return 0
