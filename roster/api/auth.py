"""Bearer tokens with scopes: who calls, for which organization, and how often."""

from collections.abc import Collection
from dataclasses import replace
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from roster.accounts.throttle import client_address
from roster.api.errors import ApiCode, ApiError, RateLimited
from roster.api.models import ApiToken, Scope
from roster.api.rate import take_call
from roster.api.tokens import token_for
from roster.audit.log import By
from roster.audit.models import Door


class TokenAuth(HttpBearer):
    """A live token of the organization holding one of `scopes`; 401, 403 or 429 otherwise."""

    def __init__(self, *scopes: Scope) -> None:
        super().__init__()
        self.scopes: Collection[Scope] = scopes

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for(token)
        if found is None:
            return None  # ninja answers 401
        retry_after = take_call(found)
        if retry_after:
            raise RateLimited(retry_after)
        if not set(found.scopes) & {scope.value for scope in self.scopes}:
            wanted = " or ".join(f"'{scope.value}'" for scope in self.scopes)
            raise ApiError(403, ApiCode.FORBIDDEN, f"This token needs the {wanted} scope.")
        return found


READ_IMPORTS = TokenAuth(Scope.READ, Scope.IMPORT)
IMPORT = TokenAuth(Scope.IMPORT)
READ_PEOPLE = TokenAuth(Scope.READ, Scope.PEOPLE)
PEOPLE = TokenAuth(Scope.PEOPLE)


def token_of(request: HttpRequest) -> ApiToken:
    token: Any = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)
    return token


def by_token(request: HttpRequest) -> By:
    """Who an API change is recorded as in the audit log: the admin who made the token,
    through the API, from the caller's address; the token's name says which script."""
    token = token_of(request)
    by = By.account(token.created_by, Door.API, client_address(request))
    label = f"{by.actor_label} (API token “{token.name}”)" if by.actor_label else token.name
    return replace(by, actor_label=label)
