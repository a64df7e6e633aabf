from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from roster.orgs.gate import resolve_org
from roster.orgs.models import Organization
from roster.web.forms import LoginForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def login_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Log in inside one organization's portal, by email or (for students) username."""
    org = resolve_org(slug)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = authenticate(
            request,
            username=form.cleaned_data["login"],
            password=form.cleaned_data["password"],
            organization=org,
        )
        if account is not None:
            login(request, account)
            next_url = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(next_url, {request.get_host()})
            return redirect(next_url if next_url and safe else "web:dashboard", slug=org.slug)
        form.add_error(None, "That email or username and password don't match an active account.")
    return _login_page(request, org, form)


def _login_page(
    request: HttpRequest, org: Organization, form: LoginForm, status: int = 200, lockout: str = ""
) -> HttpResponse:
    context = {"org": org, "form": form, "lockout": lockout}
    return render(request, "web/login.html", context, status=status)


def lockout_message() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return (
        "Too many failed attempts to log in with this email or username, or from this"
        f" network. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): 429, in words."""
    match = request.resolver_match
    if match is None or match.view_name != "web:login":  # Django's admin login
        return HttpResponse(lockout_message(), status=429, content_type="text/plain")
    form = LoginForm(initial={"login": request.POST.get("login", "")})
    org = resolve_org(match.kwargs["slug"])
    return _login_page(request, org, form, status=429, lockout=lockout_message())


@require_POST
def logout_view(request: HttpRequest, slug: str) -> HttpResponse:
    org = resolve_org(slug)
    logout(request)
    return redirect("web:login", slug=org.slug)
