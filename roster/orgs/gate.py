"""The tenancy gate: every portal view runs inside exactly one organization.

Another organization's data is "not found" (404), whatever the URL, never "forbidden":
a stranger learns nothing, not even that it exists.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from roster.accounts.models import Account
from roster.orgs.models import Organization


class OrgRequest(HttpRequest):
    org: Organization
    user: Account


type View = Callable[..., HttpResponse]


def resolve_org(slug: str) -> Organization:
    return get_object_or_404(Organization.objects.active(), slug=slug)


def org_member_required(view: View) -> View:
    """Resolves the slug to request.org; anyone logged in to another organization gets 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        org = resolve_org(slug)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login", args=[slug]))
        if not isinstance(user, Account) or user.organization_id != org.pk:
            raise Http404("No such page.")
        org_request: OrgRequest = request  # type: ignore[assignment]
        org_request.org = org
        return view(org_request, *args, **kwargs)

    return wrapper


def org_admin_required(view: View) -> View:
    """Like org_member_required, and only the organization's owner and admins pass."""

    @wraps(view)
    def admin_only(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_org_admin:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return org_member_required(admin_only)
