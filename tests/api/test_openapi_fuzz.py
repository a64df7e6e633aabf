"""Schemathesis against the served OpenAPI document: over every operation, no 5xx and no
answer outside the document (status, content type, headers, body schema).

In-process through the WSGI application (STACK.md §8: the pytest fixture loader is broken
on pytest 9.2). A few examples per operation keep the suite fast; the ids it tries are
mostly unknown (404), and its bodies mostly malformed (400/422): both must be documented.
"""

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from roster.accounts.models import Account
from roster.api.models import Scope
from roster.api.tokens import create_token
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization

# What the contract promises. Not schemathesis's positive-data check: a well-formed
# request may still be refused by the rules (an unreadable file, a person the field
# catalogue refuses: 422 with the readers' or the form's reason).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Called as WSGI, Django closes the database connection after each request, and with
    it the test's transaction (PostgreSQL); its test client keeps it, and so do these."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def secret(connection_kept: None, org: Organization, admin: Account, settings: Any) -> str:
    settings.API_RATE_PER_MINUTE = 100_000
    # An import of our own with a small id, so that some generated ids find something.
    ImportJob.objects.create(organization=org, status=JobStatus.REVIEWING)
    _token, value = create_token(org, admin, "fuzz", [Scope.READ, Scope.IMPORT, Scope.PEOPLE])
    return value


@schema.parametrize()
@hypothesis.settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_every_operation_keeps_to_the_document(case: Any, secret: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)


def test_the_document_is_served_and_there_is_no_docs_page(client: Any) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    # Swagger UI would load its assets from another origin, which the CSP refuses.
    missing = client.get("/api/docs")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
