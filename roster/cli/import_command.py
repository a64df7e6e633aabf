"""`roster import FILE... --org SLUG [--role R] [--invite|--no-invite] [--dry-run] [--json]`.

Parse → gate → call the core (roster.importing.pipeline) → present.
"""

import argparse
import json
import sys
from pathlib import PurePath
from typing import Any

from roster.accounts.models import Role
from roster.audit.log import COMMAND_LINE
from roster.cli.output import FailureCode, fail
from roster.cli.progress import ProgressDisplay
from roster.importing.pipeline import (
    Choices,
    UnclearRole,
    UnreadableFile,
    preview_import,
)
from roster.importing.sources import Given, ReadError, ReadResult, read_given
from roster.importing.summary import as_text, import_dict
from roster.importing.undo.record import apply_and_store
from roster.importing.upload_limits import upload_limits
from roster.orgs.models import Organization


def import_command(args: argparse.Namespace) -> int:
    org = Organization.objects.by_slug_or_none(args.org)
    if org is None:
        return fail(
            f"unknown organization: {args.org}",
            code=FailureCode.UNKNOWN_ORGANIZATION,
            as_json=args.json,
        )
    try:
        given = [read_path(path) for path in args.files]
        results = [result for each in given for result in each.results]
        with ProgressDisplay.on_stderr(quiet=args.json) as display:
            data, notes = run_import(results, org, args, display)
        notes = (*(note for each in given for note in each.notes), *notes)
    except UnreadableFile as error:
        return fail(error.message, code=error.code, file=error.file, as_json=args.json)
    except OSError as error:
        file = PurePath(error.filename or "").name or None
        reason = error.strerror or str(error)
        return fail(reason, code=FailureCode.CANNOT_OPEN_FILE, file=file, as_json=args.json)
    except UnclearRole as error:
        return fail(
            error.message, code=FailureCode.UNCLEAR_ROLE, file=error.file, as_json=args.json
        )
    if not args.json:  # PRODUCT.md's JSON holds only the summary and the issues
        for note in notes:
            print(f"roster: note: {note}", file=sys.stderr)
    print(
        json.dumps(data, ensure_ascii=False)
        if args.json
        else as_text(data, applied=not args.dry_run)
    )
    return 0


def read_path(path: str) -> Given:
    """One file (or each file of a zip archive), read within the installation's limits;
    its errors name the file."""
    try:
        return read_given(path, limits=upload_limits())
    except ReadError as error:
        raise UnreadableFile(PurePath(path).name, error) from error


def run_import(
    results: list[ReadResult], org: Organization, args: argparse.Namespace, display: ProgressDisplay
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Preview, then apply unless --dry-run: PRODUCT.md's JSON object of what it did, and
    the notes on tabs left out (hidden, or holding no people)."""
    choices = Choices(role=Role(args.role) if args.role else None)
    preview = preview_import(results, org=org, choices=choices, progress=display.step)
    if args.dry_run:
        data = import_dict(preview.plan, invitations=preview.invitations(invite=args.invite))
        return data, preview.notes
    # Stored like the web's imports: listed by `roster imports`, undone by `roster undo`.
    files = [result.file for result in results]
    outcome, _ = apply_and_store(
        preview, org=org, invite=args.invite, files=files, by=COMMAND_LINE, progress=display.step
    )
    data = import_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
    return data, preview.notes
