"""API tokens: made, found by their secret, revoked. Only the secret's sha256 is stored.

A secret is `roster_` and 43 URL-safe characters (32 random bytes): recognisable in a
log or a leaked file, and too long to guess. Looking a token up by its hash needs no
constant-time comparison: the hash of a guess says nothing about the real secret.
"""

import hashlib
import secrets
from collections.abc import Collection
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from roster.accounts.models import Account
from roster.api.models import ApiRateWindow, ApiToken, Scope
from roster.orgs.models import Organization

PREFIX = "roster_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(
    org: Organization, admin: Account, name: str, scopes: Collection[Scope]
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=org,
        name=name.strip()[:100] or "API token",
        scopes=sorted({Scope(scope).value for scope in scopes}),
        secret_hash=hash_secret(secret),
        prefix=secret[: len(PREFIX) + 4],
        created_by=admin,
    )
    # A window already over: the first call starts a new one and records the first use.
    started = timezone.now() - timedelta(minutes=1)
    ApiRateWindow.objects.create(organization=org, token=token, started_at=started)
    return token, secret


def token_for(secret: str) -> ApiToken | None:
    """The live token whose secret this is, with its organization, or None."""
    if not secret.startswith(PREFIX):
        return None
    return (
        ApiToken.objects.select_related("organization")
        .filter(secret_hash=hash_secret(secret), revoked_at=None)
        .first()
    )


def bearer_secret(authorization: str) -> str:
    scheme, _, secret = authorization.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def revoke_token(org: Organization, token_id: int) -> bool:
    """Revoke one of the organization's tokens; its next call is refused (401)."""
    revoked = (
        ApiToken.objects.in_org(org)
        .filter(pk=token_id, revoked_at=None)
        .update(revoked_at=timezone.now())
    )
    return bool(revoked)
