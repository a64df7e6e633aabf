"""Tokens (hashed, last use recorded once a minute), the per-token rate, and body limits."""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roster.accounts.models import Account
from roster.api.models import ApiToken, Scope
from roster.api.tokens import create_token
from roster.orgs.models import Organization
from tests.api.conftest import Api

MB = 1024 * 1024


def test_only_the_secret_s_sha256_is_stored(org: Organization, admin: Account) -> None:
    token, secret = create_token(org, admin, "sync", [Scope.READ])
    assert secret.startswith("roster_") and len(secret) >= 7 + 43
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_last_use_is_written_at_most_once_a_minute(org: Organization, admin: Account) -> None:
    token, secret = create_token(org, admin, "sync", [Scope.READ])
    client, headers = Client(), {"Authorization": f"Bearer {secret}"}
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/api/people", headers=headers).status_code == 200
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        assert first is not None
        clock.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/people", headers=headers)
        writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
        assert len(writes) == 1 and "api_apiratewindow" in writes[0]  # the count only
        assert ApiToken.objects.get(pk=token.pk).last_used_at == first
        clock.shift(timedelta(seconds=31))
        client.get("/api/people", headers=headers)
        assert ApiToken.objects.get(pk=token.pk).last_used_at == timezone.now()


def test_a_token_over_its_rate_is_told_when_to_retry(
    api_for: Callable[..., Api], settings: Any
) -> None:
    settings.API_RATE_PER_MINUTE = 3
    api, other = api_for(Scope.READ), api_for(Scope.READ)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert [api.get("/people").status_code for _ in range(3)] == [200] * 3
        clock.shift(timedelta(seconds=20))
        refused = api.get("/people")
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert refused["Retry-After"] == "40"
        assert other.get("/people").status_code == 200  # per token
        clock.shift(timedelta(seconds=40))
        assert api.get("/people").status_code == 200


def test_an_upload_over_the_import_limit_is_413(api: Api, settings: Any) -> None:
    settings.IMPORT_MAX_UPLOAD_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = MB // 2
    rows = b"First Name,Email\n" + b"a,a@x.org\n" * (MB // 7)  # 1.4 MB
    # Within the request's limit (the import's plus the small one), over the readers'.
    response = api.upload("/imports", {"student": SimpleUploadedFile("big.csv", rows)})
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    # Over the request's limit: refused from its Content-Length, unread.
    twice = {"student": [SimpleUploadedFile(name, rows) for name in ("a.csv", "b.csv")]}
    response = api.upload("/imports", twice)
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def test_only_a_token_that_may_import_sends_more_than_the_small_limit(
    api_for: Callable[..., Api], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = MB // 2
    rows = b"First Name,Last Name,Email\n" + b"Ann,Lee,ann@x.org\n" * (MB // 18)
    reader, importer = api_for(Scope.READ, Scope.PEOPLE), api_for(Scope.IMPORT)
    refused = reader.upload("/imports", {"student": SimpleUploadedFile("s.csv", rows)})
    assert refused.status_code == 413 and refused.json()["code"] == "request_too_large"
    taken = importer.upload("/imports", {"student": SimpleUploadedFile("s.csv", rows)})
    assert taken.status_code == 201
    text = {"tables": [{"role": "student", "text": rows.decode()}]}
    assert importer.post("/imports/text", text).status_code == 413  # pasted text: small limit
