"""Big imports are checked and applied by a task worker; the pages show where they are."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from roster.accounts.models import Account
from roster.importing.models import ImportFlag, ImportJob, JobStatus
from roster.orgs.models import Organization

# The worker closes database connections between tasks: these tests need real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

ROWS = "First Name,Last Name,Email\n" + "".join(
    f"Kid{i},Family{i},kid{i}@example.com\n" for i in range(30)
)


@pytest.fixture
def small_sync_limit(monkeypatch: Any) -> None:
    """Everything over 10 rows counts as big, so 30 rows go to the worker."""
    monkeypatch.setattr("roster.importing.jobs.check.SYNC_ROWS", 10)


def run_worker() -> None:
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, queue_name="*"
    )


def test_a_big_import_is_checked_then_applied_by_the_worker(
    admin_client: Client, org: Organization, small_sync_limit: None
) -> None:
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_text": ROWS})
    job = ImportJob.objects.get()
    assert not job.checked  # the check waits for the worker
    review = admin_client.get(response["Location"]).content.decode()
    assert "Checking your import" in review
    run_worker()
    job.refresh_from_db()
    assert job.checked and job.preview["create"]["student"] == 30

    admin_client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": "no"})
    admin_client.post(f"/o/northside/imports/{job.pk}/apply/")
    admin_client.post(f"/o/northside/imports/{job.pk}/apply/")  # pressed twice
    job.refresh_from_db()
    assert job.status == JobStatus.APPLYING
    assert DBTaskResult.objects.filter(task_path__endswith="apply_import_job").count() == 1
    page = admin_client.get(f"/o/northside/imports/{job.pk}/result/").content.decode()
    assert "<progress" in page
    assert admin_client.get(f"/o/northside/imports/{job.pk}/progress/").json()["total"] == 30

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED
    assert Account.objects.in_org(org).people().count() == 30
    assert admin_client.get(f"/o/northside/imports/{job.pk}/progress/").json() == {
        "status": "applied",
        "progress": 30,
        "total": 30,
        "checked": True,
        "flags_current": True,
    }


def test_changes_while_a_check_is_queued_queue_no_other(
    admin_client: Client, small_sync_limit: None
) -> None:
    admin_client.post("/o/northside/users/add-multiple/", {"student_text": ROWS})
    job = ImportJob.objects.get()
    for field in ("", "last_name", ""):  # remaps: each leaves the flags to a full check
        admin_client.post(
            f"/o/northside/imports/{job.pk}/column/", {"tab": 0, "column": 1, "field": field}
        )
    checks = DBTaskResult.objects.filter(task_path__endswith="check_import_job")
    assert checks.count() == 1
    run_worker()
    job.refresh_from_db()
    assert job.flags_current and job.checked and job.check_queued_at is None
    codes = set(ImportFlag.objects.filter(job=job).values_list("code", flat=True))
    assert codes == {"unmapped_required_column"}  # the last remap ignored Last Name


def test_an_edit_of_a_big_import_is_rechecked_at_once_without_the_worker(
    admin_client: Client, small_sync_limit: None
) -> None:
    admin_client.post("/o/northside/users/add-multiple/", {"student_text": ROWS})
    run_worker()
    job = ImportJob.objects.get()
    response = admin_client.post(
        f"/o/northside/imports/{job.pk}/cell/",
        {"tab": 0, "row": 3, "column": 2, "value": "kid0@example.com"},  # a duplicate now
        headers={"X-Roster-Grid": "1"},
    )
    assert 'class="flagged sev-2"' in response.content.decode()
    job.refresh_from_db()
    assert job.flags_current and not job.checked  # the summary waits for Finish
    assert DBTaskResult.objects.filter(task_path__endswith="check_import_job").count() == 1
