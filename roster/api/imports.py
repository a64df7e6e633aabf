"""Imports through the API: create from files or text, read state, issues and result.

Parse → gate (the token's organization) → call the same core functions as the web's
Add Multiple Users and review (roster/importing/jobs) → present.
"""

from math import ceil
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile as NinjaFile
from ninja.responses import Status
from pydantic import Field

from roster.accounts.models import Account, Role
from roster.api import history
from roster.api.auth import IMPORT, READ_IMPORTS, by_token, token_of
from roster.api.errors import ApiCode, ApiError, not_found, responses
from roster.api.present import flags_of, import_out, issue_out, progress_out
from roster.api.schemas import (
    ImportListPage,
    ImportOut,
    IssuePage,
    ProgressOut,
    ResultOut,
    TextImportIn,
)
from roster.importing import jobs
from roster.importing.dispatch import refresh_flags
from roster.importing.jobs.issues_report import issues_report
from roster.importing.models import ImportJob, JobStatus, Severity
from roster.importing.report import XLSX
from roster.importing.sources import ReadError, ReadErrorCode
from roster.importing.sources.encoding import check_pasted_text

router = Router(tags=["imports"])


def job_of(request: HttpRequest, job_id: int) -> ImportJob:
    """The token's organization's import, or 404 (another organization's is not found)."""
    job = ImportJob.objects.in_org(token_of(request).organization).filter(pk=job_id).first()
    if job is None:
        raise not_found("No such import in your organization.")
    return job


def actor(request: HttpRequest) -> Account:
    """Who an API change is recorded as: the admin who made the token."""
    creator = token_of(request).created_by
    if creator is None:
        raise ApiError(403, ApiCode.FORBIDDEN, "This token's creator is gone; make a new token.")
    return creator


def _created(request: HttpRequest, sources: list[jobs.NewSource]) -> Status[dict[str, Any]]:
    org = token_of(request).organization
    try:
        for source in sources:  # before it is stored: PostgreSQL refuses a NUL in text
            check_pasted_text(source.text)
        job = jobs.create_job(org, actor(request), sources, by=by_token(request))
    except ReadError as error:  # the readers' code and sentence, as the command line gives
        status = 413 if error.code == ReadErrorCode.TOO_LARGE else 422
        raise ApiError(status, error.code, error.message) from error
    refresh_flags(job)
    job.refresh_from_db()
    return Status(201, import_out(job))


@router.post("/imports", response=responses({201: ImportOut}), auth=IMPORT)
def create_import(
    request: HttpRequest,
    file: File[list[NinjaFile] | None] = None,
    student: File[list[NinjaFile] | None] = None,
    instructor: File[list[NinjaFile] | None] = None,
    parent: File[list[NinjaFile] | None] = None,
) -> Any:
    """One import from several files: under `student`, `instructor` or `parent` when the
    file lists one role, under `file` when its tabs, a role column or its name tell."""
    given: list[tuple[Role | None, list[NinjaFile]]] = [
        (None, file or []),
        (Role.STUDENT, student or []),
        (Role.INSTRUCTOR, instructor or []),
        (Role.PARENT, parent or []),
    ]
    sources = [
        jobs.NewSource(role=role, upload=upload) for role, uploads in given for upload in uploads
    ]
    if not sources:
        raise ApiError(422, ApiCode.INVALID_REQUEST, "Send at least one file.")
    return _created(request, sources)


@router.post("/imports/text", response=responses({201: ImportOut}), auth=IMPORT)
def create_text_import(request: HttpRequest, body: TextImportIn) -> Any:
    """One import from pasted text: a header row, comma- or tab-separated, per table."""
    sources = [
        jobs.NewSource(role=Role(table.role) if table.role else None, text=table.text)
        for table in body.tables
    ]
    return _created(request, sources)


router.get("/imports", response=responses({200: ImportListPage}), auth=READ_IMPORTS)(
    history.list_imports
)


@router.get("/imports/{int:job_id}", response=responses({200: ImportOut}), auth=READ_IMPORTS)
def read_import(request: HttpRequest, job_id: int) -> Any:
    """State, tabs with their mapping, and the summary (once checked)."""
    job = job_of(request, job_id)
    jobs.fail_if_abandoned(job)
    return import_out(job)


@router.get(
    "/imports/{int:job_id}/progress", response=responses({200: ProgressOut}), auth=READ_IMPORTS
)
def import_progress(request: HttpRequest, job_id: int) -> Any:
    job = job_of(request, job_id)
    jobs.fail_if_abandoned(job)  # a worker that died: failed, to apply again
    return progress_out(job)


class IssueFilter(Schema):
    tab: int | None = Field(None, ge=0, le=10_000)
    code: str | None = None
    severity: Literal["error", "warning"] | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(100, ge=1, le=1000)


@router.get("/imports/{int:job_id}/issues", response=responses({200: IssuePage}), auth=READ_IMPORTS)
def import_issues(request: HttpRequest, job_id: int, filters: Query[IssueFilter]) -> Any:
    """The flags of the last check, paged, by tab (position), code and severity; then, as
    the command line lists them, a bundle's issues on its link files (`tab` null)."""
    job = job_of(request, job_id)
    flags = flags_of(job)
    if filters.tab is not None:
        flags = flags.filter(tab__position=filters.tab)
    if filters.code:
        flags = flags.filter(code=filters.code)
    if filters.severity:
        wanted = Severity.ERROR if filters.severity == "error" else Severity.WARNING
        flags = flags.filter(severity=wanted)
    links = [
        {**issue, "tab": None}
        for issue in job.bundle_issues
        if filters.tab is None
        and filters.code in ("", None, issue["code"])
        and filters.severity in ("", None, issue["severity"])
    ]
    in_tabs = flags.count()
    count = in_tabs + len(links)
    start = (filters.page - 1) * filters.per_page
    end = start + filters.per_page
    items = [issue_out(flag) for flag in flags[start:end]]
    items += links[max(start - in_tabs, 0) : max(end - in_tabs, 0)]
    return {
        "count": count,
        "page": filters.page,
        "pages": ceil(count / filters.per_page),
        "items": items,
    }


@router.get(
    "/imports/{int:job_id}/result", response=responses({200: ResultOut}, 409), auth=READ_IMPORTS
)
def import_result(request: HttpRequest, job_id: int) -> Any:
    """What an applied import did: `roster import --json`'s summary and issues."""
    job = job_of(request, job_id)
    jobs.fail_if_abandoned(job)
    if job.status != JobStatus.APPLIED:
        raise ApiError(409, ApiCode.NOT_READY, f"This import is {job.status}, not applied.")
    issues = [issue_out(flag) for flag in flags_of(job)]
    issues += [{**issue, "tab": None} for issue in job.bundle_issues]
    return {"summary": job.summary, "issues": issues}


@router.get(
    "/imports/{int:job_id}/report.{kind}",
    response=responses({200: None}),
    auth=READ_IMPORTS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The issues report the web offers",
                "content": {"text/csv": {}, XLSX: {}},
            }
        }
    },
)
def import_report(request: HttpRequest, job_id: int, kind: Literal["csv", "xlsx"]) -> Any:
    """The issues report, every flagged cell, as the web's Download issues gives it."""
    found = issues_report(job_of(request, job_id), kind)
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.name}"'
    return response
