"""`roster undo IMPORT_ID --org SLUG [--dry-run] [--json]` and `roster imports --org SLUG [--json]`.

Parse → gate → call the core (roster.importing.undo) → present.
"""

import argparse
import json
from typing import Any

from roster.audit.log import COMMAND_LINE
from roster.cli.output import FailureCode, fail
from roster.importing.models import ImportJob
from roster.importing.undo import UndoRefused, undo_import
from roster.importing.undo.report import as_text, import_items, undo_dict
from roster.orgs.models import Organization


def undo_command(args: argparse.Namespace) -> int:
    org = Organization.objects.by_slug_or_none(args.org)
    if org is None:
        return _unknown(args)
    try:
        plan = undo_import(args.import_id, org=org, by=COMMAND_LINE, dry_run=args.dry_run)
    except UndoRefused as refused:
        return fail(refused.message, code=refused.code, as_json=args.json)
    data = undo_dict(plan, dry_run=args.dry_run)
    print(json.dumps(data, ensure_ascii=False) if args.json else as_text(data))
    return 0


def imports_command(args: argparse.Namespace) -> int:
    org = Organization.objects.by_slug_or_none(args.org)
    if org is None:
        return _unknown(args)
    listed = import_dicts(org)
    if args.json:
        print(json.dumps(listed, ensure_ascii=False))
        return 0
    for each in listed:
        by = each["by"] or each["door"]
        files = ", ".join(name or "pasted text" for name in each["files"])
        print(f"{each['id']:>6}  {each['state']:<10} {each['created_at'][:16]}  {by}  {files}")
    return 0


def import_dicts(org: Organization) -> list[dict[str, Any]]:
    """Every import of the organization, newest first, as `roster imports --json` lists it."""
    jobs = ImportJob.objects.in_org(org).select_related("created_by", "organization")
    return import_items(org, list(jobs.order_by("-pk")))


def _unknown(args: argparse.Namespace) -> int:
    return fail(
        f"unknown organization: {args.org}",
        code=FailureCode.UNKNOWN_ORGANIZATION,
        as_json=args.json,
    )
