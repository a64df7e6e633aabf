"""Add Multiple Users: the page with a tab per role (upload or paste), and the history."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from roster.audit.log import By
from roster.importing import jobs
from roster.importing.dispatch import purge_or_enqueue, refresh_flags
from roster.importing.models import ImportJob, ImportSource
from roster.importing.sources import ReadError
from roster.orgs.gate import OrgRequest, org_admin_required
from roster.web.forms import AddUsersForm
from roster.web.views.review import import_view

HISTORY_SIZE = 50


@org_admin_required
@require_http_methods(["GET", "POST"])
def add_users(request: OrgRequest) -> HttpResponse:
    """Upload a file or paste text on the Student, Instructor or Parent tab, then Next."""
    form = AddUsersForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.create_job(request.org, request.user, form.sources(), by=By.web(request))
        except ReadError as error:
            form.add_error(None, error.message)
        else:
            refresh_flags(job)
            return redirect("web:import-review", slug=request.org.slug, job_id=job.pk)
    context = {"nav": "users", "org": request.org, "form": form}
    status = 400 if form.errors else 200
    return render(request, "web/imports/add_users.html", context, status=status)


@org_admin_required
def history(request: OrgRequest) -> HttpResponse:
    """The organization's imports, newest first: their files, state, who last touched
    each and what it did."""
    recent = (
        ImportJob.objects.in_org(request.org)
        .select_related("created_by", "touched_by")
        .prefetch_related("sources")
        .order_by("-created_at")[:HISTORY_SIZE]
    )
    for job in recent:
        jobs.fail_if_abandoned(job)  # an apply whose worker died shows as failed, to retry
    rows = [(job, _totals(job.summary)) for job in recent]
    context = {"nav": "imports", "org": request.org, "rows": rows}
    return render(request, "web/imports/history.html", context)


@import_view()
def discard(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Discard a draft: a confirmation first (GET), then the rows and files go (POST)."""
    if not job.editable:
        return redirect("web:import-result", slug=request.org.slug, job_id=job.pk)
    if request.method == "POST":
        if not jobs.discard_job(job, request.user, by=By.web(request)):  # Yes was pressed meanwhile
            return redirect("web:import-result", slug=request.org.slug, job_id=job.pk)
        purge_or_enqueue(job)
        messages.success(request, f"Import {job.pk} was discarded: {_files(job)}.")
        return redirect("web:imports", slug=request.org.slug)
    context = {"nav": "imports", "org": request.org, "job": job, "files": _files(job)}
    return render(request, "web/imports/discard.html", context)


def _files(job: ImportJob) -> str:
    return ", ".join(str(source) for source in ImportSource.objects.filter(job=job))


def _totals(summary: dict[str, dict[str, int]]) -> dict[str, int]:
    """Rows per action, all roles together (an applied job's summary; empty before)."""
    return {
        action: sum(summary.get(action, {}).values()) for action in ("create", "update", "skipped")
    }
