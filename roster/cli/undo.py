"""`roster undo IMPORT_ID --org SLUG [--dry-run] [--json]` and `roster imports --org SLUG [--json]`.

Parse → gate → call the core (roster.importing.undo) → present.
"""

import argparse
import json
from typing import Any

from roster.audit.log import COMMAND_LINE
from roster.cli.output import FailureCode, fail
from roster.importing.models import ImportJob, ImportSource
from roster.importing.undo import UndoRefused, undo_import
from roster.importing.undo.refusals import undo_deadline
from roster.importing.undo.report import as_text, undo_dict
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
    """The organization's imports, newest first, in two queries."""
    jobs = list(
        ImportJob.objects.in_org(org).select_related("created_by", "organization").order_by("-pk")
    )
    files: dict[int, list[str | None]] = {}
    sources = ImportSource.objects.filter(organization=org).order_by("pk")
    for job_id, name in sources.values_list("job_id", "file_name"):
        files.setdefault(job_id, []).append(name or None)
    return [
        {
            "id": job.pk,
            "state": job.status,
            "door": job.door,
            "by": job.created_by.login_name if job.created_by else None,
            "created_at": job.created_at.isoformat(),
            "applied_at": _when(job.applied_at),
            "undone_at": _when(job.undone_at),
            "undo_until": _when(undo_deadline(job)) if job.applied_ids else None,
            "files": files.get(job.pk, []),
            "summary": job.summary or None,
        }
        for job in jobs
    ]


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _unknown(args: argparse.Namespace) -> int:
    return fail(
        f"unknown organization: {args.org}",
        code=FailureCode.UNKNOWN_ORGANIZATION,
        as_json=args.json,
    )
