"""Review: the grid of an import's tabs, edited cell by cell and saved as the admin goes."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from roster.accounts.models import PEOPLE_ROLES, Role
from roster.audit.log import By
from roster.importing import jobs
from roster.importing.dispatch import refresh_flags
from roster.importing.jobs.mappings import id_column_note, mapping_choices, recalled_columns
from roster.importing.models import ImportJob, ImportTab, JobStatus
from roster.orgs.gate import OrgRequest, org_admin_required
from roster.web import grid, outcomes
from roster.web.fix_groups import fix_groups

REVIEW = "web/imports/review.html"


def job_of(request: OrgRequest, job_id: int) -> ImportJob:
    """The organization's import, or 404 (another organization's is "not found" too)."""
    return get_object_or_404(
        ImportJob.objects.in_org(request.org).select_related("organization", "created_by"),
        pk=job_id,
    )


type JobView = Callable[..., HttpResponse]


def import_view(*, post: bool = False) -> Callable[[JobView], JobView]:
    """An admin's view of one of their organization's imports: it gets the job, not its id.

    The job is looked up before the method is checked, so another organization's import
    is "not found" whatever the method.
    """

    def decorate(view: JobView) -> JobView:
        @wraps(view)
        def with_job(request: OrgRequest, job_id: int, **kwargs: Any) -> HttpResponse:
            job = job_of(request, job_id)
            if post and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            if job.status == JobStatus.DISCARDED:
                return discarded(request, job)
            response = view(request, job, **kwargs)
            if request.method == "POST" and response.status_code < 400:
                jobs.record_touch(job, request.user)
            return response

        return org_admin_required(with_job)

    return decorate


def discarded(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """A discarded import cannot be reviewed, changed or applied: it says so (410 Gone)."""
    if request.method == "POST" or request.headers.get("X-Roster-Grid"):
        message = "This import was discarded; it can no longer change or be applied."
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    context = {"nav": "imports", "org": request.org, "job": job}
    return render(request, "web/imports/discarded.html", context, status=410)


def int_param(params: QueryDict, name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except (TypeError, ValueError):
        return default


def _tab(tabs: list[ImportTab], params: QueryDict, *, named: bool = False) -> ImportTab | None:
    """The tab the request names by position, or the first when it names none (unless
    `named`: a change must say which tab it changes). A tab that is not the job's: 404."""
    raw = params.get("tab", "")
    if raw == "" and not named:
        return tabs[0] if tabs else None
    wanted = int_param(params, "tab", -1)
    tab = next((tab for tab in tabs if tab.position == wanted), None)
    if tab is None:
        raise Http404("This import has no such tab.")
    return tab


def workspace(request: OrgRequest, job: ImportJob, params: QueryDict) -> dict[str, Any]:
    """Everything the review page shows of one tab: grid page, issue list, counts."""
    tabs = list(ImportTab.objects.filter(job=job))
    tab = _tab(tabs, params)
    show = outcomes.Show.of(params.get("show", ""))
    attention = show.attention
    context: dict[str, Any] = {
        "nav": "users",
        "org": request.org,
        "job": job,
        "tabs": tabs,
        "tab": tab,
        "attention": attention,
        "show": show,
        "pending": not job.flags_current,
        "undecided": {each.pk for each in tabs if not jobs.decided(each)},
    }
    if tab is None:
        return context
    page = int_param(params, "page", 1)
    if "row" in params:
        page = grid.page_of_row(tab, int_param(params, "row", 0), show)
    context |= {
        "needs_role": tab.pk in context["undecided"],
        "people_roles": [(role.value, role.label) for role in PEOPLE_ROLES],
        "grid": grid.grid_page(tab, page=page, show=show),
        "outcome_filters": outcomes.outcome_filters(tab),
        "groups": grid.issue_groups(tab),
        "tab_issues": grid.tab_issues(tab),
        "options": mapping_choices(tab),
        "recalled": recalled_columns(tab),
        "id_note": id_column_note(tab),
        "fix_groups": fix_groups(tab),
        "steps": jobs.next_steps(job),
    }
    return context


@import_view()
def review(request: OrgRequest, job: ImportJob) -> HttpResponse:
    if job.status in (JobStatus.APPLYING, JobStatus.APPLIED, JobStatus.FAILED, JobStatus.UNDONE):
        return redirect("web:import-result", slug=request.org.slug, job_id=job.pk)
    template = f"{REVIEW}#workspace" if request.headers.get("X-Roster-Grid") else REVIEW
    return render(request, template, workspace(request, job, request.GET))


def _answer(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """After a change: the fresh workspace for the grid's script, or the page again."""
    job.refresh_from_db()
    if request.headers.get("X-Roster-Grid"):
        return render(request, f"{REVIEW}#workspace", workspace(request, job, request.POST))
    query = {key: request.POST[key] for key in ("tab", "page", "show") if request.POST.get(key)}
    url = reverse("web:import-review", args=[request.org.slug, job.pk])
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def edited_tab(job: ImportJob, params: QueryDict) -> ImportTab:
    tab = _tab(list(ImportTab.objects.filter(job=job)), params, named=True)
    assert tab is not None
    return tab


def refused(error: jobs.EditError) -> HttpResponse:
    """A change the job cannot take: 409, with the sentence the grid's script shows."""
    return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")


def apply_change(
    request: OrgRequest, job: ImportJob, change: Callable[[ImportTab], object]
) -> HttpResponse:
    """Make one change to the tab the request names, then answer with fresh flags."""
    try:
        change(edited_tab(job, request.POST))
    except jobs.EditError as error:
        return refused(error)
    job.refresh_from_db()
    refresh_flags(job)
    return _answer(request, job)


@import_view(post=True)
def edit_cell(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Save one cell: row (as numbered in the file), column index, and the new value."""
    row, column = int_param(request.POST, "row", -1), int_param(request.POST, "column", -1)
    value = request.POST.get("value", "")
    return apply_change(
        request, job, lambda tab: jobs.edit_cell(job, tab, row, column, value, by=By.web(request))
    )


@import_view(post=True)
def map_column(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Map a column to another field, or ignore it ("" for the field)."""
    column, field = int_param(request.POST, "column", -1), request.POST.get("field") or None
    return apply_change(
        request, job, lambda tab: jobs.choose_column(job, tab, column, field, by=By.web(request))
    )


@import_view(post=True)
def forget_mapping(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Forget how the organization mapped a column's header ("Mapped as last time")."""
    column = int_param(request.POST, "column", -1)
    return apply_change(
        request, job, lambda tab: jobs.forget_mapping(job, tab, column, by=By.web(request))
    )


@import_view(post=True)
def choose_role(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """The role of a tab whose names and headers do not say; then the tab is checked."""
    role = request.POST.get("role", "")
    if role not in PEOPLE_ROLES:
        return HttpResponse("Choose students, instructors or parents.", status=400)
    return apply_change(
        request, job, lambda tab: jobs.choose_role(job, tab, Role(role), by=By.web(request))
    )


@import_view(post=True)
def delete_rows(request: OrgRequest, job: ImportJob) -> HttpResponse:
    numbers = [int(n) for n in request.POST.getlist("rows") if n.isdigit()]
    return apply_change(
        request,
        job,
        lambda tab: numbers and jobs.delete_rows(job, tab, numbers, by=By.web(request)),
    )


@import_view(post=True)
def answer_invite(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """The answer to "Auto-invite new users upon close?", saved as soon as it is chosen."""
    answer = request.POST.get("invite")
    if answer not in ("yes", "no"):
        return HttpResponse("Answer yes or no.", status=400)
    try:
        jobs.answer_invite(job, invite=answer == "yes")
    except jobs.EditError as error:
        return refused(error)
    return HttpResponse(status=204)
