"""Activity: the organization's audit log for its owner and admins, filtered, as CSV too."""

from typing import cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render

from roster.accounts.models import Account
from roster.audit.describe import describe
from roster.audit.export import csv_lines
from roster.audit.listing import Filters, entries
from roster.audit.models import Action, AuditEntry
from roster.importing.models import ImportJob
from roster.orgs.gate import OrgRequest, View, org_admin_required

PAGE_SIZE = 50
_ACTIONS = [("", "Any action"), *sorted(Action.choices, key=lambda choice: choice[1])]


class ActivityFilterForm(forms.Form):
    person = forms.CharField(required=False, max_length=200)
    action = forms.ChoiceField(required=False, choices=_ACTIONS)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _filters(params: QueryDict) -> tuple[ActivityFilterForm, Filters]:
    form = ActivityFilterForm(params)
    if not form.is_valid():  # a hand-typed bad date: shown with its error, no filter
        return form, Filters()
    data = form.cleaned_data
    filters = Filters(
        person=data["person"], action=data["action"], since=data["since"], until=data["until"]
    )
    return form, filters


@org_admin_required
def activity(request: OrgRequest) -> HttpResponse:
    form, filters = _filters(request.GET)
    page = Paginator(entries(request.org, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "activity",
        "org": request.org,
        "filters": form,
        "page": page,
        "rows": _rows(request, list(page)),
        "query": query.urlencode(),
    }
    return render(request, "web/activity.html", context)


def _rows(request: OrgRequest, shown: list[AuditEntry]) -> list[dict[str, object]]:
    """Each entry with its words and the links to what it concerns, where that still exists
    (an undo may remove accounts; the entry stays): two queries per page."""
    jobs = set(
        ImportJob.objects.in_org(request.org)
        .filter(pk__in={e.import_job_id for e in shown if e.import_job_id})
        .values_list("pk", flat=True)
    )
    people = set(
        Account.objects.in_org(request.org)
        .people()
        .filter(pk__in={e.account_id for e in shown if e.account_id})
        .values_list("pk", flat=True)
    )
    return [
        {
            "entry": entry,
            "what": describe(entry),
            "job_linked": entry.import_job_id in jobs,  # its results (or review) page
            "account_linked": entry.account_id in people,
        }
        for entry in shown
    ]


def _activity_csv(request: OrgRequest) -> StreamingHttpResponse:
    """The filtered entries (all of them, not one page) as CSV, streamed."""
    _, filters = _filters(request.GET)
    found = entries(request.org, filters).iterator(chunk_size=2000)
    response = StreamingHttpResponse(csv_lines(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{request.org.slug}-activity.csv"'
    return response


# The gate is typed for HttpResponse; a streamed response passes through it unchanged.
activity_csv = org_admin_required(cast(View, _activity_csv))
