"""An applied import's follow-up (on its results page), Remind, and the reminder settings."""

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from roster.accounts.models import Account, InvitationStatus, StudentParent
from roster.audit.log import By
from roster.followup import people
from roster.followup.figures import follow_up
from roster.followup.remind import Reminded, remind_import
from roster.followup.tasks import remind_in_background
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.gate import OrgRequest, org_admin_required
from roster.web import chart
from roster.web.forms import ReminderSettingsForm
from roster.web.views.review import import_view

PAGE_SIZE = 25


def followup_context(request: OrgRequest, job: ImportJob) -> dict[str, Any]:
    """What the results page of an applied import shows under "Follow-up"."""
    numbers = follow_up(request.org, job)
    totals, bars = numbers.figures, numbers.bars
    waiting = people.waiting(request.org, job).order_by("last_name", "first_name", "pk")
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "figures": totals,
        "bars": bars,
        "first_day": bars[0].day,
        "last_day": bars[-1].day,
        "columns": chart.columns(bars, totals.people),
        "chart": {"width": chart.WIDTH, "height": chart.HEIGHT},
        "waiting_page": page,
        "waiting_rows": _rows(request, list(page)),
        "to_remind": people.to_remind(request.org, job).count(),
        # The form's key: a double click, or the same form posted twice, reminds once.
        "remind_key": secrets.token_hex(16),
    }


def _with_emails(request: OrgRequest, shown: list[Account]) -> list[Any]:
    """The page's accounts again, with their emails: annotating only a page's 25 accounts,
    not sorting every waiting one with its invitations (at 100,000 people, 0.7 s)."""
    sent = Q(invitations__status=InvitationStatus.SENT)
    annotated = people.with_newest(
        Account.objects.in_org(request.org).filter(pk__in=[a.pk for a in shown])
    ).annotate(emails=Count("invitations", filter=sent), last_sent=Max("invitations__sent_at"))
    by_id = {account.pk: account for account in annotated}
    return [by_id[account.pk] for account in shown if account.pk in by_id]


@dataclass(frozen=True, slots=True)
class Waiting:
    """One row of "Not activated yet"."""

    account: Account
    parents: list[Account]  # for a username-only student: who sets them up
    expired: bool  # their newest link was sent and has expired

    @property
    def needs_parent(self) -> bool:
        return not self.account.email


def _rows(request: OrgRequest, page: list[Account]) -> list[Waiting]:
    shown = _with_emails(request, page)
    parents = _parents_of(request, shown)
    cutoff = people.expired_before(timezone.now())
    return [
        Waiting(
            account=account,
            parents=parents.get(account.pk, []),
            expired=account.newest_status == InvitationStatus.SENT
            and account.newest_sent_at < cutoff,
        )
        for account in shown
    ]


def _parents_of(request: OrgRequest, shown: list[Account]) -> dict[int, list[Account]]:
    """The parents of the username-only students on this page, one query."""
    students = [a.pk for a in shown if not a.email]
    links = (
        StudentParent.objects.filter(organization=request.org, student_id__in=students)
        .select_related("parent")
        .order_by("parent__last_name", "parent__first_name")
    )
    found: dict[int, list[Account]] = {}
    for link in links:
        found.setdefault(link.student_id, []).append(link.parent)
    return found


KEY_LENGTH = 32
# Past this many people, a click is handed to the task worker (about 0.5 ms a person).
IN_REQUEST = 5000
REMINDER_PRIORITY = -5  # after first activation emails, which someone is waiting for


@import_view(post=True)
def remind(request: OrgRequest, job: ImportJob) -> HttpResponse:
    """Remind: one reminder per form (its key), however often or concurrently it is sent."""
    key = request.POST.get("key", "")
    if len(key) != KEY_LENGTH or not all(c in "0123456789abcdef" for c in key):
        return HttpResponseBadRequest("This form is out of date: reload the page.")
    if job.status != JobStatus.APPLIED:
        return HttpResponse("Only an applied import has people to remind.", status=409)
    waiting = people.to_remind(request.org, job).count()
    if waiting > IN_REQUEST:
        # Same key: a task run twice, or a click handled twice, still reminds once.
        task = remind_in_background.using(priority=REMINDER_PRIORITY)
        task.enqueue(request.org.pk, job.pk, f"click:{key}", By.web(request).as_json())
        messages.info(request, f"{waiting} reminders are being queued; they go out shortly.")
    else:
        result = remind_import(request.org, job, key=f"click:{key}", by=By.web(request))
        messages.info(request, _said(result))
    url = reverse("web:import-result", args=[request.org.slug, job.pk])
    return redirect(f"{url}#follow-up")


def _said(result: Reminded) -> str:
    if result.repeated:
        return "These reminders were already sent; nothing was sent twice."
    parts = [f"{result.reminded} reminder{'s' if result.reminded != 1 else ''} on the way"]
    if result.renewed:
        parts.append(f"{result.renewed} of them with a new link in place of an expired one")
    if result.parents:
        parts.append(f"{result.parents} to parents who still have to set up their students")
    if result.held:
        parts.append(f"{result.held} emailed a moment ago (not sent again yet)")
    return "; ".join(parts) + "."


@org_admin_required
def org_settings(request: OrgRequest) -> HttpResponse:
    """The organization's settings: automatic reminders (owner and admins)."""
    form = ReminderSettingsForm(request.POST or None, instance=request.org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.info(request, "Settings saved.")
        return redirect("web:org-settings", slug=request.org.slug)
    return render(
        request, "web/settings.html", {"nav": "settings", "org": request.org, "form": form}
    )
