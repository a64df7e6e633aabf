"""Login throttling with django-axes, fitted to logins that happen inside one organization.

An account is known by its organization and the email or username typed, so failures are
counted per (organization, login) and per client address; either reaching
LOGIN_FAILURE_LIMIT within LOGIN_COOLOFF_MINUTES locks that login, or that address, out
for the cool-off (issue 11, finding 6). The lockout page is roster.web.views.auth.locked_out.
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest

from roster.orgs.models import Organization


def login_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """ "northside:ada@example.com"; "-:…" for Django's admin (platform operators)."""
    credentials = credentials or {}
    org = credentials.get("organization")
    scope = org.slug if isinstance(org, Organization) else "-"
    typed = str(credentials.get("username") or "").strip().lower()
    return f"{scope}:{typed}"[:255]


def client_address(request: HttpRequest) -> str:
    """The address that sent the request: behind TRUSTED_PROXY_COUNT proxies, the one the
    outermost of them saw (X-Forwarded-For's entries before it are the client's to forge)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return str(hops[-proxies])
    return str(request.META.get("REMOTE_ADDR") or "")


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a locked-out login before any password is checked.

    Code that authenticates without a request (the command line, tests) is not an
    attacker at the door and has no address to count, so it is not throttled.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
