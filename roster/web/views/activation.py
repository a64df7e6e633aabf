from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from roster.accounts.activation import (
    ActivationLinkError,
    LinkProblem,
    activate_account,
    invitation_for_token,
    students_to_set_up,
)
from roster.orgs.gate import resolve_org
from roster.orgs.models import Organization
from roster.web.forms import ActivationForm

PROBLEM_STATUS = {LinkProblem.INVALID: 404}


def activate(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The activation link: choose a password (a parent also their students'), then logged in."""
    org = resolve_org(slug)
    try:
        return _choose_password(request, org, token)
    except ActivationLinkError as error:
        status = PROBLEM_STATUS.get(error.problem, 410)
        context = {"org": org, "problem": error.problem.value}
        return render(request, "web/activation_problem.html", context, status=status)


def _choose_password(request: HttpRequest, org: Organization, token: str) -> HttpResponse:
    account = invitation_for_token(org, token).account
    students = students_to_set_up(account)
    form = ActivationForm(request.POST or None, account=account, students=students)
    if request.method == "POST" and form.is_valid():
        activate_account(
            account, password=form.cleaned_data["password1"], students=form.student_passwords()
        )
        login(request, account, backend="roster.accounts.backends.AccountBackend")
        return redirect("web:dashboard", slug=org.slug)
    return render(request, "web/activate.html", {"org": org, "form": form, "account": account})
