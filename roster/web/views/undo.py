"""Undo an applied import from its page: the preview of what undo will do, then one POST;
and copying an import into a new draft."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from roster.audit.log import By
from roster.importing.dispatch import refresh_flags
from roster.importing.jobs.copies import can_copy, copy_job
from roster.importing.models import ImportJob
from roster.importing.undo import UndoRefused, plan_undo, refusal, undo_import
from roster.importing.undo.refusals import undo_deadline
from roster.importing.undo.report import lists
from roster.orgs.gate import OrgRequest
from roster.web.views.review import import_view

PAGE = "web/imports/undo.html"


@import_view()
def undo(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """GET: what undo will do (counts and lists) and the button; POST: undo, all or nothing."""
    if request.method == "POST":
        try:
            done = undo_import(job.pk, org=request.org, by=By.web(request))
        except UndoRefused as refused:
            return _page(request, job, refused, status=409)
        removed = sum(done.counts()["removed"]["accounts"].values())
        messages.success(
            request,
            f"Import {job.pk} was undone: {len(done.restores)} field(s) put back,"
            f" {removed} account(s) removed, {len(done.kept)} thing(s) kept.",
        )
        return redirect("web:import-result", slug=request.org.slug, job_id=job.pk)
    return _page(request, job, refusal(job, timezone.now()))


def _page(
    request: OrgRequest, job: ImportJob, refused: UndoRefused | None, status: int = 200
) -> HttpResponse:
    plan = plan_undo(job) if refused is None else None
    counts = plan.counts() if plan else None
    context = {
        "nav": "imports",
        "org": request.org,
        "job": job,
        "refused": refused,
        "deadline": undo_deadline(job),
        "counts": counts,
        "lists": lists(plan) if plan else None,
        "removed_accounts": len(plan.remove_accounts) if plan else 0,
        "removed_links": sum(counts["removed"]["associations"].values()) if counts else 0,
        "kept": len(plan.kept) if plan else 0,
    }
    return render(request, PAGE, context, status=status)


@import_view(post=True)
def copy(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """A new draft with this import's rows, to review and apply again."""
    if not can_copy(job):
        return HttpResponse(
            "Only an applied, undone or failed import with stored rows can be copied.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    draft = copy_job(job, request.user)
    refresh_flags(draft)
    messages.success(request, f"Import {job.pk} was copied into import {draft.pk}.")
    return redirect("web:import-review", slug=request.org.slug, job_id=draft.pk)


def undo_context(job: ImportJob) -> dict[str, object]:
    """For the import's page: whether it can be undone (until when), or copied."""
    refused = refusal(job, timezone.now())
    return {
        "undoable": refused is None,
        "undo_deadline": undo_deadline(job),
        "copyable": can_copy(job),
    }
