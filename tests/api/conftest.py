from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from roster.accounts.models import Account
from roster.api.models import Scope
from roster.api.tokens import create_token
from roster.orgs.models import Organization

ALL_SCOPES = (Scope.READ, Scope.IMPORT, Scope.PEOPLE)


class Api:
    """The test client with a bearer token."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"/api{path}",
            body or {},
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api{path}", data, headers=self.headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_for(org: Organization, admin: Account) -> Callable[..., Api]:
    """An API client with a new token of `org` (by default) made by its admin."""

    def make(*scopes: Scope, of: Organization | None = None, by: Account | None = None) -> Api:
        _token, secret = create_token(of or org, by or admin, "test", scopes or ALL_SCOPES)
        return Api(secret)

    return make


@pytest.fixture
def api(api_for: Callable[..., Api]) -> Api:
    return api_for(*ALL_SCOPES)
