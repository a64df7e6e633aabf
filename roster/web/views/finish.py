"""Finish → the confirmation with the import summary → Yes → progress → results."""

from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from roster.audit.log import By
from roster.importing import jobs
from roster.importing.dispatch import apply_or_enqueue, refresh_summary
from roster.importing.issues import IssueCode
from roster.importing.jobs.issues_report import issues_report
from roster.importing.models import ImportFlag, ImportJob, JobStatus, Severity
from roster.importing.people import IMPORTED_ROLES
from roster.orgs.gate import OrgRequest
from roster.web import outcomes
from roster.web.views.followup import followup_context
from roster.web.views.review import REVIEW, import_view, workspace
from roster.web.views.undo import undo_context


@import_view(post=True)
def finish(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Finish: the invite question must be answered; then the summary is prepared."""
    answer = request.POST.get("invite")
    if answer in ("yes", "no") and job.editable:
        jobs.answer_invite(job, invite=answer == "yes")
    if job.invite is None:
        context = workspace(request, job, request.POST) | {"invite_missing": True}
        return render(request, REVIEW, context, status=400)
    if jobs.undecided_tabs(job):  # their rows would be left out without a word
        context = workspace(request, job, request.POST) | {"role_missing": True}
        return render(request, REVIEW, context, status=400)
    refresh_summary(job)
    return redirect("web:import-confirm", slug=request.org.slug, job_id=job.pk)


@import_view()
def confirm(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """The confirmation window: what Yes will do, per role, and what is left out and why."""
    if not job.editable:
        return redirect("web:import-result", slug=request.org.slug, job_id=job.pk)
    if job.invite is None:
        return redirect("web:import-review", slug=request.org.slug, job_id=job.pk)
    refresh_summary(job)
    context = {
        "nav": "users",
        "org": request.org,
        "job": job,
        "preparing": not job.checked,
        "rows": summary_rows(job.preview),
        "skipped_reasons": skipped_reasons(job),
        "field_updates": outcomes.field_updates(job),
    }
    return render(request, "web/imports/confirm.html", context)


@import_view(post=True)
def apply(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Yes (or Try again): applies the reviewed import once, however often it is pressed."""
    jobs.fail_if_abandoned(job)
    if job.checked and not jobs.undecided_tabs(job) and jobs.start_apply(job):
        apply_or_enqueue(job, By.web(request))
    return redirect("web:import-result", slug=request.org.slug, job_id=job.pk)


@import_view()
def progress(request: OrgRequest, job: ImportJob) -> JsonResponse:
    jobs.fail_if_abandoned(job)  # a worker that died: the page shows it failed, to retry
    return JsonResponse(
        {
            "status": job.status,
            "progress": job.progress,
            "total": job.total,
            "checked": job.checked,
            "flags_current": job.flags_current,
        }
    )


@import_view()
def result(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """The results page of an applied import (or its progress while it applies)."""
    if job.editable:
        return redirect("web:import-review", slug=request.org.slug, job_id=job.pk)
    jobs.fail_if_abandoned(job)
    context = {
        "nav": "imports",
        "org": request.org,
        "job": job,
        "rows": summary_rows(job.summary),
        "created": sum(job.summary.get("create", {}).values()),
        "skipped_reasons": skipped_reasons(job) if job.status == JobStatus.APPLIED else [],
        **undo_context(job),
    }
    if job.status == JobStatus.APPLIED:
        context |= followup_context(request, job)
    return render(request, "web/imports/result.html", context)


def summary_rows(summary: dict[str, dict[str, int]]) -> list[dict[str, object]]:
    """Per role: new, updated, unchanged and skipped rows."""
    return [
        {
            "role": role.label,
            **{name: summary.get(name, {}).get(role.value, 0) for name in _ACTIONS},
        }
        for role in IMPORTED_ROLES
    ]


_ACTIONS = ("create", "update", "unchanged", "skipped")


def skipped_reasons(job: ImportJob) -> list[tuple[IssueCode, int]]:
    """Why rows are left out: each error's code (its heading, its description) and how many
    cells carry it."""
    counted = (
        ImportFlag.objects.filter(job=job, severity=Severity.ERROR)
        .values_list("code")
        .annotate(count=Count("id"))
        .order_by("-count", "code")
    )
    return [(IssueCode(code), count) for code, count in counted]


@import_view()
def report(request: OrgRequest, job: ImportJob, kind: str) -> HttpResponse:
    """The issues report: every flagged cell, as .xlsx or .csv."""
    found = issues_report(job, "csv" if kind == "csv" else "xlsx")
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.name}"'
    return response
