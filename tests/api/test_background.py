"""A big import through the API: checked and applied by the task worker, followed by polling."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roster.accounts.models import Account
from roster.orgs.models import Organization
from tests.api.conftest import Api
from tests.web.test_import_in_background import ROWS, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_sync_limit(monkeypatch: Any) -> None:
    """Everything over 10 rows counts as big, so 30 rows go to the worker."""
    monkeypatch.setattr("roster.importing.jobs.check.SYNC_ROWS", 10)


def test_a_big_import_is_followed_until_applied(
    api_for: Callable[..., Api], org: Organization, small_sync_limit: None
) -> None:
    api = api_for()
    created = api.upload("/imports", {"student": SimpleUploadedFile("kids.csv", ROWS.encode())})
    job = created.json()
    assert (job["checked"], job["summary"]) == (False, None)  # the worker checks it
    url = f"/imports/{job['id']}"
    early = api.post(f"{url}/apply", {"invite": False}, {"Idempotency-Key": "k"})
    assert early.status_code == 409 and early.json()["code"] == "not_ready"
    run_worker()
    assert api.get(url).json()["summary"]["create"]["student"] == 30
    applying = api.post(f"{url}/apply", {"invite": False}, {"Idempotency-Key": "k"})
    assert applying.status_code == 202 and applying.json()["status"] == "applying"
    progress = api.get(f"{url}/progress").json()
    assert (progress["status"], progress["total"]) == ("applying", 30)
    assert api.get(f"{url}/result").json()["code"] == "not_ready"
    run_worker()
    assert api.get(f"{url}/progress").json()["status"] == "applied"
    assert api.get(f"{url}/result").json()["summary"]["create"]["student"] == 30
    assert Account.objects.in_org(org).people().count() == 30
    again = api.post(f"{url}/apply", {"invite": False}, {"Idempotency-Key": "k"})
    assert again.json() == applying.json()  # the first answer, kept
