"""The review's changes through the API: the same jobs.* calls as roster/web/views/review.py,
fixes.py and fix_rows.py; each answers with the import's fresh state."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from roster.accounts.models import Role
from roster.api.auth import IMPORT, READ_IMPORTS, by_token
from roster.api.errors import ApiCode, ApiError, not_found, responses
from roster.api.imports import actor, job_of
from roster.api.present import import_out
from roster.api.schemas import (
    CellIn,
    DeleteRowsIn,
    FixGroupOut,
    FixIn,
    ImportOut,
    MappingIn,
    ReplaceIn,
    RoleIn,
    TabChange,
)
from roster.audit.log import By
from roster.importing import jobs
from roster.importing.dispatch import refresh_flags
from roster.importing.models import ImportJob, ImportTab
from roster.web.fix_groups import fix_groups

router = Router(tags=["review"])
CHANGED = responses({200: ImportOut}, 409)


def _change(
    request: HttpRequest,
    job_id: int,
    body: TabChange,
    change: Callable[[ImportJob, ImportTab, By], object],
) -> dict[str, Any]:
    """Make one change to the tab the body names, then answer with fresh flags."""
    job = job_of(request, job_id)
    tab = ImportTab.objects.filter(job=job, position=body.tab).first()
    if tab is None:
        raise not_found("This import has no such tab.")
    try:
        change(job, tab, by_token(request))
    except jobs.EditError as error:
        raise ApiError(409, ApiCode.REFUSED_CHANGE, str(error)) from error
    jobs.record_touch(job, actor(request))
    job.refresh_from_db()
    refresh_flags(job)
    job.refresh_from_db()
    return import_out(job)


@router.post("/imports/{int:job_id}/cells", response=CHANGED, auth=IMPORT)
def edit_cell(request: HttpRequest, job_id: int, body: CellIn) -> Any:
    """Save one cell: the row as numbered in the file, the column's index, the value."""
    return _change(
        request,
        job_id,
        body,
        lambda job, tab, by: jobs.edit_cell(job, tab, body.row, body.column, body.value, by=by),
    )


@router.post("/imports/{int:job_id}/mapping", response=CHANGED, auth=IMPORT)
def map_column(request: HttpRequest, job_id: int, body: MappingIn) -> Any:
    """Map a column to a field (one of its tab's `fields`), or ignore it (null)."""
    return _change(
        request,
        job_id,
        body,
        lambda job, tab, by: jobs.choose_column(job, tab, body.column, body.field or None, by=by),
    )


@router.post("/imports/{int:job_id}/role", response=CHANGED, auth=IMPORT)
def choose_role(request: HttpRequest, job_id: int, body: RoleIn) -> Any:
    """The role of a tab whose names and headers do not say (its `role` is null)."""
    return _change(
        request,
        job_id,
        body,
        lambda job, tab, by: jobs.choose_role(job, tab, Role(body.role), by=by),
    )


@router.post("/imports/{int:job_id}/rows/delete", response=CHANGED, auth=IMPORT)
def delete_rows(request: HttpRequest, job_id: int, body: DeleteRowsIn) -> Any:
    return _change(
        request,
        job_id,
        body,
        lambda job, tab, by: jobs.delete_rows(job, tab, body.rows, by=by),
    )


@router.get(
    "/imports/{int:job_id}/fixes", response=responses({200: list[FixGroupOut]}), auth=READ_IMPORTS
)
def list_fix_groups(request: HttpRequest, job_id: int, tab: int = 0) -> Any:
    """A tab's flags grouped by code, column and cause, with the fixes each may take."""
    found = ImportTab.objects.filter(job=job_of(request, job_id), position=tab).first()
    if found is None:
        raise not_found("This import has no such tab.")
    return [
        {
            "tab": found.position,
            "code": each.group.code,
            "column": each.group.column,
            "cause": each.group.cause,
            "count": each.count,
            "heading": each.heading,
            "fixes": [fix for fix, _words in each.fixes],
        }
        for each in fix_groups(found)
    ]


@router.post("/imports/{int:job_id}/fixes", response=CHANGED, auth=IMPORT)
def fix_group(request: HttpRequest, job_id: int, body: FixIn) -> Any:
    """Fix every row of one group of flags (code, column, cause) with one of its fixes."""
    group = jobs.Group(body.code, body.column, body.cause)
    return _change(
        request,
        job_id,
        body,
        lambda job, tab, by: jobs.fix_group(job, tab, group, body.fix, source=body.source, by=by),
    )


@router.post("/imports/{int:job_id}/replace", response=CHANGED, auth=IMPORT)
def find_replace(request: HttpRequest, job_id: int, body: ReplaceIn) -> Any:
    return _change(
        request,
        job_id,
        body,
        lambda job, tab, by: jobs.find_replace(
            job, tab, body.column, body.find, body.replace, whole=body.whole, by=by
        ),
    )
