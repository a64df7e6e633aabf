from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from roster.orgs.gate import resolve_org
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
    return render(request, "web/login.html", {"org": org, "form": form})


@require_POST
def logout_view(request: HttpRequest, slug: str) -> HttpResponse:
    org = resolve_org(slug)
    logout(request)
    return redirect("web:login", slug=org.slug)
