from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from roster.accounts.editing import save_account
from roster.accounts.links import linked_accounts
from roster.accounts.models import (
    Account,
    AccountQuerySet,
    Invitation,
    InvitationStatus,
    Role,
)
from roster.audit.log import By
from roster.importing.report import XLSX
from roster.importing.template import template_bytes
from roster.orgs.gate import OrgRequest, org_admin_required
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization
from roster.web.forms import AccountForm, UserFilterForm, initial_for

PAGE_SIZE = 50


def filtered_people(org: Organization, params: QueryDict) -> AccountQuerySet:
    """The organization's people that User Management's search and filters select.

    A search or filter that cannot be read selects nobody (the page says why): not
    everyone, whom "Resend welcome email to all shown by this search" would then email.
    """
    filters = UserFilterForm(params)
    people = Account.objects.in_org(org).people()
    if not filters.is_valid():
        return people.none()
    if query := filters.cleaned_data["q"].strip():
        people = people.search(query, org)
    if role := filters.cleaned_data["role"]:
        people = people.filter(role=role)
    if status := filters.cleaned_data["status"]:
        people = people.filter(status=status)
    return people


@org_admin_required
def user_list(request: OrgRequest) -> HttpResponse:
    """User Management: the organization's students, instructors and parents."""
    filters = UserFilterForm(request.GET)
    people = (
        filtered_people(request.org, request.GET)
        .order_by("last_name", "first_name", "id")
        .only("id", "role", "status", "first_name", "last_name", "email", "username")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "nav": "users",
        "org": request.org,
        "filters": filters,
        "page": page,
        "query": query_string.urlencode(),
    }
    return render(request, "web/users.html", context)


# Queued or being handed over: not sent until the mail server has taken it.
WAITING = frozenset({InvitationStatus.QUEUED, InvitationStatus.SENDING})


@org_admin_required
def user_detail(request: OrgRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(Account.objects.in_org(request.org).people(), pk=account_id)
    invitations = list(
        Invitation.objects.in_org(request.org).filter(account=account).order_by("-pk")
    )
    context = {
        "nav": "users",
        "org": request.org,
        "account": account,
        "linked": linked_accounts(account),
        "invitations": invitations,
        "sent_count": sum(i.status == InvitationStatus.SENT for i in invitations),
        "waiting_count": sum(i.status in WAITING for i in invitations),
    }
    return render(request, "web/user_detail.html", context)


@org_admin_required
@require_http_methods(["GET", "POST"])
def user_create(request: OrgRequest) -> HttpResponse:
    initial = {"role": request.GET.get("role", Role.STUDENT)}
    form = AccountForm(request.POST or None, org=request.org, initial=initial)
    if request.method == "POST":
        with transaction.atomic():
            # Checked and saved under the organization's lock: an import writing its
            # accounts finishes first, and an email it added is then "already used".
            lock_accounts_of(request.org)
            if form.is_valid():
                account = save_account(
                    request.org, None, form.cleaned_data, form.linked, by=By.web(request)
                )
                return redirect("web:user-detail", slug=request.org.slug, account_id=account.pk)
    return render(request, "web/user_form.html", {"nav": "users", "org": request.org, "form": form})


@org_admin_required
@require_http_methods(["GET", "POST"])
def user_edit(request: OrgRequest, account_id: int) -> HttpResponse:
    account = get_object_or_404(Account.objects.in_org(request.org).people(), pk=account_id)
    linked = linked_accounts(account)
    current = {
        "parent_emails": linked.parents,
        "instructor_emails": linked.instructors,
        "students": linked.students,
    }
    form = AccountForm(
        request.POST or None,
        org=request.org,
        account=account,
        initial=initial_for(account, current),
    )
    if request.method == "POST":
        with transaction.atomic():
            lock_accounts_of(request.org)
            if form.is_valid():
                save_account(
                    request.org, account, form.cleaned_data, form.linked, by=By.web(request)
                )
                return redirect("web:user-detail", slug=request.org.slug, account_id=account.pk)
    context = {"nav": "users", "org": request.org, "form": form, "account": account}
    return render(request, "web/user_form.html", context)


@org_admin_required
def template_download(request: OrgRequest) -> HttpResponse:
    """The "Download Template" workbook, generated from the field catalogue."""
    response = HttpResponse(template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="add-multiple-users-template.xlsx"'
    return response
