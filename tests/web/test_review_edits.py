"""Review edits keep a file's limits, and name a tab of their own job (issue 11, finding 9)."""

from typing import Any

import pytest
from django.test import Client

from roster.importing.models import ImportJob, ImportRow, ImportTab
from tests.web.test_import_wizard import STUDENTS, flag_codes, start

GRID = {"X-Roster-Grid": "1"}


def _edit(client: Client, job: ImportJob, value: str, **fields: Any) -> Any:
    data = {"tab": 0, "row": 2, "column": 0, "value": value} | fields
    return client.post(f"/o/northside/imports/{job.pk}/cell/", data, headers=GRID)


def _first_name(job: ImportJob) -> str:
    return str(ImportRow.objects.get(tab__job=job, number=2).cells[0])


def test_a_value_longer_than_a_files_cell_may_be_is_refused_in_words(
    admin_client: Client, settings: Any
) -> None:
    job = start(admin_client, student_text=STUDENTS)
    limit = settings.IMPORT_MAX_CELL_CHARS
    response = _edit(admin_client, job, "x" * (limit + 1))
    assert response.status_code == 409
    assert f"at most {limit:,} characters" in response.content.decode()
    assert _first_name(job) == "Ada"


def test_a_20_mb_value_is_refused_before_it_is_read(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    assert _edit(admin_client, job, "x" * (20 * 1024 * 1024)).status_code == 413
    assert _first_name(job) == "Ada"


def test_a_value_over_its_fields_length_is_kept_and_flagged_like_a_files(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS)
    response = _edit(admin_client, job, "A" * 500)
    assert response.status_code == 200
    assert _first_name(job) == "A" * 500
    assert (2, "value_too_long") in flag_codes(job)


def test_a_nul_character_is_refused_in_words(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    response = _edit(admin_client, job, "Ad\x00a")
    assert response.status_code == 409 and "NUL" in response.content.decode()
    assert _first_name(job) == "Ada"


@pytest.mark.parametrize("tab", ["7", "-1", "first", ""])
@pytest.mark.parametrize("action", ["cell", "column", "delete"])
def test_a_change_naming_a_tab_the_job_does_not_have_is_not_found(
    admin_client: Client, tab: str, action: str
) -> None:
    job = start(admin_client, student_text=STUDENTS)
    data = {"tab": tab, "row": 2, "rows": [2], "column": 0, "value": "Zed", "field": ""}
    response = admin_client.post(f"/o/northside/imports/{job.pk}/{action}/", data)
    assert response.status_code == 404
    assert _first_name(job) == "Ada"
    assert ImportTab.objects.get(job=job).choices == {}
    assert ImportRow.objects.filter(tab__job=job, deleted=True).count() == 0


def test_the_review_of_a_tab_the_job_does_not_have_is_not_found(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    assert admin_client.get(f"/o/northside/imports/{job.pk}/?tab=3").status_code == 404
    assert admin_client.get(f"/o/northside/imports/{job.pk}/").status_code == 200
