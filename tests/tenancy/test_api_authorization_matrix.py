"""The API's authorization matrix: every operation × token scope × own and another
organization's ids (issue 16), beside the portal's (test_authorization_matrix.py).

The operations come from the served OpenAPI document, so a new one fails
`test_every_operation_has_a_row` until its row is written here. A token without the
operation's scope is refused (403); no token, an unknown one or a revoked one, 401; another
organization's id is "not found" (404) for a token that may call the operation.
"""

import json
from typing import Any

import pytest
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.api.models import Scope
from roster.api.tokens import create_token, revoke_token
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization
from tests.conftest import make_account

READ, IMPORT, PEOPLE = Scope.READ, Scope.IMPORT, Scope.PEOPLE
TAB = {"tab": 0}
# (method, path) → the scopes that may call it, and a well-formed body (ids filled in).
OPERATIONS: dict[tuple[str, str], tuple[set[Scope], Any]] = {
    ("post", "/api/imports"): ({IMPORT}, None),
    ("post", "/api/imports/text"): ({IMPORT}, {"tables": [{"role": "student", "text": "x"}]}),
    ("get", "/api/imports/{job_id}"): ({READ, IMPORT}, None),
    ("get", "/api/imports/{job_id}/progress"): ({READ, IMPORT}, None),
    ("get", "/api/imports/{job_id}/issues"): ({READ, IMPORT}, None),
    ("get", "/api/imports/{job_id}/result"): ({READ, IMPORT}, None),
    ("get", "/api/imports/{job_id}/report.{kind}"): ({READ, IMPORT}, None),
    ("post", "/api/imports/{job_id}/cells"): (
        {IMPORT},
        {**TAB, "row": 2, "column": 0, "value": "A"},
    ),
    ("post", "/api/imports/{job_id}/mapping"): ({IMPORT}, {**TAB, "column": 0, "field": None}),
    ("post", "/api/imports/{job_id}/role"): ({IMPORT}, {**TAB, "role": "parent"}),
    ("post", "/api/imports/{job_id}/rows/delete"): ({IMPORT}, {**TAB, "rows": [2]}),
    ("get", "/api/imports/{job_id}/fixes"): ({READ, IMPORT}, None),
    ("post", "/api/imports/{job_id}/fixes"): ({IMPORT}, {**TAB, "code": "x", "fix": "trim"}),
    ("post", "/api/imports/{job_id}/replace"): (
        {IMPORT},
        {**TAB, "column": 0, "find": "a", "replace": "b"},
    ),
    ("post", "/api/imports/{job_id}/apply"): ({IMPORT}, {"invite": False}),
    ("get", "/api/imports"): ({READ, IMPORT}, None),
    ("post", "/api/imports/{job_id}/undo"): ({IMPORT}, {"dry_run": True}),
    ("get", "/api/people"): ({READ, PEOPLE}, None),
    ("post", "/api/people"): ({PEOPLE}, {"role": "student", "first_name": "A"}),
    ("get", "/api/people/{account_id}"): ({READ, PEOPLE}, None),
    ("patch", "/api/people/{account_id}"): ({PEOPLE}, {"first_name": "B"}),
    ("post", "/api/people/{account_id}/deactivate"): ({PEOPLE}, None),
    ("post", "/api/people/resend"): ({PEOPLE}, {"ids": ["{account_id}"]}),
}
TOKENS = {"read": [READ], "import": [IMPORT], "people": [PEOPLE], "all": [READ, IMPORT, PEOPLE]}


def _document() -> dict[str, Any]:
    document: dict[str, Any] = Client().get("/api/openapi.json").json()
    return document


def test_every_operation_has_a_row(db: None) -> None:
    served = {
        (method, path) for path, operations in _document()["paths"].items() for method in operations
    }
    assert served == set(OPERATIONS)


def _objects(org: Organization) -> dict[str, Any]:
    kid = make_account(org, Role.STUDENT, f"kid@{org.slug}.example", status=Status.PENDING)
    job = ImportJob.objects.create(organization=org, status=JobStatus.REVIEWING)
    return {"job_id": job.pk, "account_id": kid.pk, "kind": "csv"}


def _call(secret: str, method: str, path: str, body: Any, ids: dict[str, Any]) -> Any:
    url = path.format(**ids)
    headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": f"k-{url}"}
    if body is None:
        return getattr(Client(), method)(url, headers=headers)
    text = json.dumps(body).replace('"{account_id}"', str(ids["account_id"]))
    return getattr(Client(), method)(url, text, content_type="application/json", headers=headers)


@pytest.fixture
def world(org: Organization, other_org: Organization, admin: Account) -> dict[str, Any]:
    return {
        "secrets": {
            name: create_token(org, admin, name, scopes)[1] for name, scopes in TOKENS.items()
        },
        "ours": _objects(org),
        "theirs": _objects(other_org),
    }


@pytest.mark.parametrize("token", TOKENS)
def test_the_api_authorization_matrix(world: dict[str, Any], token: str) -> None:
    secret = world["secrets"][token]
    wrong: list[str] = []
    for (method, path), (scopes, body) in OPERATIONS.items():
        allowed = bool(scopes & set(TOKENS[token]))
        own = _call(secret, method, path, body, world["ours"])
        if (own.status_code == 403) == allowed or own.status_code in (401, 500):
            wrong.append(f"{method} {path} (own): {own.status_code}, allowed={allowed}")
        if "{" in path:
            theirs = _call(secret, method, path, body, world["theirs"])
            expected = 404 if allowed else 403
            if theirs.status_code != expected:
                wrong.append(f"{method} {path} (theirs): {theirs.status_code}, not {expected}")
            # undo keeps the command line's code for an import it cannot find
            assert theirs.json()["code"] in ("not_found", "unknown_import", "forbidden")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("secret", ["", "Bearer ", "Bearer roster_unknown", "Token abc"])
def test_no_live_token_is_401_on_every_operation(world: dict[str, Any], secret: str) -> None:
    for method, path in OPERATIONS:
        url = path.format(**world["ours"])
        response = getattr(Client(), method)(url, headers={"Authorization": secret})
        assert response.status_code == 401, f"{method} {url}"
        assert response.json()["code"] == "unauthorized"
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_401(org: Organization, admin: Account) -> None:
    token, secret = create_token(org, admin, "old", [READ])
    headers = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/people", headers=headers).status_code == 200
    assert revoke_token(org, token.pk)
    response = Client().get("/api/people", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_another_organization_cannot_revoke_a_token(
    org: Organization, other_org: Organization, admin: Account
) -> None:
    token, secret = create_token(org, admin, "ours", [READ])
    assert not revoke_token(other_org, token.pk)
    assert (
        Client().get("/api/people", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
