"""Review steps over many rows: a group fix, find & replace, undo and redo.

Thin doors onto jobs/fixes.py and jobs/journal.py; each answers as every review change
does (views/review.py): the fresh workspace for the grid's script, or the page again.
"""

from django.http import HttpResponse, JsonResponse, QueryDict

from roster.audit.log import By
from roster.importing import jobs
from roster.importing.models import ImportJob
from roster.orgs.gate import OrgRequest
from roster.web.views.review import apply_change, edited_tab, import_view, int_param, refused


def _ticked(params: QueryDict, name: str) -> bool:
    return params.get(name) in ("on", "1", "true")


@import_view(post=True)
def fix_group(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Fix every row of one group of flags: code, column and cause, and the fix chosen."""
    params = request.POST
    group = jobs.Group(
        params.get("code", ""), int_param(params, "column", -1), params.get("cause", "")
    )
    fix = params.get("fix", "")
    source = int_param(params, "source", -1)
    return apply_change(
        request,
        job,
        lambda tab: jobs.fix_group(job, tab, group, fix, source=source, by=By.web(request)),
    )


@import_view()
def replace_preview(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """How many cells find & replace would change, before it changes them."""
    params = request.GET
    try:
        count = jobs.count_replacements(
            edited_tab(job, params),
            int_param(params, "column", -1),
            params.get("find", ""),
            params.get("replace", ""),
            whole=_ticked(params, "whole"),
        )
    except jobs.EditError as error:
        return refused(error)
    words = f"{count:,} cell{'s' if count != 1 else ''} will change."
    return JsonResponse({"count": count, "text": words if count else "No cell would change."})


@import_view(post=True)
def find_replace(request: OrgRequest, job: ImportJob) -> HttpResponse:
    params = request.POST
    column, find, replace = (
        int_param(params, "column", -1),
        params.get("find", ""),
        params.get("replace", ""),
    )
    whole = _ticked(params, "whole")
    return apply_change(
        request,
        job,
        lambda tab: jobs.find_replace(
            job, tab, column, find, replace, whole=whole, by=By.web(request)
        ),
    )


@import_view(post=True)
def undo(request: OrgRequest, job: ImportJob) -> HttpResponse:
    return apply_change(request, job, lambda tab: jobs.undo(job))


@import_view(post=True)
def redo(request: OrgRequest, job: ImportJob) -> HttpResponse:
    return apply_change(request, job, lambda tab: jobs.redo(job))
