"""An organization's imports as a list, and undo of an applied one, through the API.

The same answers as `roster imports --json` and `roster undo --json` (roster/cli/undo.py):
the list's items carry its keys, undo answers undo_dict, and a refusal keeps the command
line's code. Parse → gate (the token's organization) → roster.importing.undo → present.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from roster.api.auth import IMPORT, by_token, token_of
from roster.api.errors import ApiError, responses
from roster.api.schemas import UndoIn, UndoOut
from roster.importing.models import ImportJob
from roster.importing.undo import UndoRefused, undo_import
from roster.importing.undo.refusals import Refusal
from roster.importing.undo.report import import_items, undo_dict

router = Router(tags=["imports"])


@router.post(
    "/imports/{int:job_id}/undo",
    response=responses({200: UndoOut}, 409),
    auth=IMPORT,
    by_alias=True,  # the key is "import", as the command line prints it
)
def undo(request: HttpRequest, job_id: int, body: UndoIn) -> Any:
    """Undo an applied import (or, with `dry_run`, say what undo would do and change nothing)."""
    org = token_of(request).organization
    try:
        plan = undo_import(job_id, org=org, by=by_token(request), dry_run=body.dry_run)
    except UndoRefused as refused:
        # Unknown and another organization's are one answer: not found.
        status = 404 if refused.code == Refusal.UNKNOWN_IMPORT else 409
        raise ApiError(status, refused.code, refused.message) from refused
    return undo_dict(plan, dry_run=body.dry_run)


class ImportListFilter(Schema):
    cursor: int | None = Field(None, ge=0)  # the last id of the previous page
    limit: int = Field(50, ge=1, le=500)


def list_imports(request: HttpRequest, filters: Query[ImportListFilter]) -> Any:
    """The organization's imports, newest first, `limit` at a time; pass `next_cursor` on.
    Registered on the imports router (roster/api/imports.py), which owns `/imports`."""
    org = token_of(request).organization
    jobs = ImportJob.objects.in_org(org).select_related("created_by", "organization")
    if filters.cursor is not None:
        jobs = jobs.filter(pk__lt=filters.cursor)
    page = list(jobs.order_by("-pk")[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {
        "items": import_items(org, page),
        "next_cursor": str(page[-1].pk) if more else None,
    }
