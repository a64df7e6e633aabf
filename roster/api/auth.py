"""Bearer tokens with scopes: who calls, for which organization, and how often."""

from collections.abc import Collection
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from roster.api.errors import ApiCode, ApiError, RateLimited
from roster.api.models import ApiToken, Scope
from roster.api.rate import take_call
from roster.api.tokens import token_for


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


def audit(request: HttpRequest, action: str, **detail: Any) -> None:
    """Where every API call that changes something is recorded as from the API.

    The audit log (roster/audit `record(organization, action, *, actor, door, ip, …)`)
    is built on its own branch; this is the one place the API calls it.
    """
    return None
