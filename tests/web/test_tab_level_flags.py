"""A tab's counts and its "Flagged on this tab" panel always agree, tab-level flags
included; a column mapped twice is `duplicate_column` (issue 12)."""

import re

from django.test import Client

from roster.importing.models import ImportJob, ImportTab, Outcome
from tests.web.test_import_wizard import start
from tests.web.test_row_outcomes import outcomes

STUDENTS = (
    "First Name,Last Name,Email,Shoe Size,Work Email\n"
    "Ada,Lovelace,ada@example.com,38,ada@work.example.com\n"
    "Grace,Hopper,grace@example.com,40,\n"
)
GRID = {"X-Roster-Grid": "1"}


def panel(page: str) -> str:
    return page[page.index('<aside class="card issues-list"') : page.index("</aside>")]


def group_counts(page: str) -> dict[str, int]:
    found = re.findall(
        r'<code class="code">(\w+)</code> <span class="count">(\d+)</span>', panel(page)
    )
    return {code: int(count) for code, count in found}


def tab_counts(page: str) -> tuple[int, int]:
    errors = re.search(r'data-count="errors"[^>]*>(\d+) error', page)
    warnings = re.search(r'data-count="warnings"[^>]*>(\d+) warning', page)
    assert errors and warnings
    return int(errors.group(1)), int(warnings.group(1))


def review(client: Client, job: ImportJob) -> str:
    return client.get(f"/o/northside/imports/{job.pk}/").content.decode()


def map_column(client: Client, job: ImportJob, column: int, field: str) -> str:
    data = {"tab": 0, "column": column, "field": field}
    response = client.post(f"/o/northside/imports/{job.pk}/column/", data, headers=GRID)
    assert response.status_code == 200
    return str(response.content.decode())


def assert_agree(page: str) -> None:
    errors, warnings = tab_counts(page)
    assert sum(group_counts(page).values()) == errors + warnings, panel(page)
    assert ("Nothing is flagged on this tab." in page) == (errors + warnings == 0)


def test_a_tab_level_warning_is_in_the_panel(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    page = review(admin_client, job)
    assert tab_counts(page) == (0, 2)  # Shoe Size and Work Email will be ignored
    assert group_counts(page) == {"unknown_column": 2}
    assert "This column matches no field and will be ignored." in panel(page)
    assert_agree(page)


def test_a_required_column_ignored_is_in_the_panel_and_skips_every_row(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS)
    page = map_column(admin_client, job, 0, "")  # First Name: Ignore this column
    assert group_counts(page)["unmapped_required_column"] == 1
    assert "First Name</a>: No column of this tab is matched to a required field." in panel(page)
    assert_agree(page)
    assert set(outcomes(job).values()) == {Outcome.SKIPPED}
    assert 'id="show-skipped">Skipped (2)</a>' in page


def test_a_second_column_mapped_to_email_is_an_error_until_one_is_ignored(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS)
    page = map_column(admin_client, job, 4, "email")  # Work Email → Email, beside Email
    assert group_counts(page)["duplicate_column"] == 1
    assert "“Email” (column 3), “Work Email” (column 5) are both matched to Email" in panel(page)
    assert tab_counts(page) == (1, 1)
    assert_agree(page)
    assert set(outcomes(job).values()) == {Outcome.SKIPPED}
    tab = ImportTab.objects.get(job=job)
    assert (tab.skipped_rows, tab.new_rows) == (2, 0)

    page = map_column(admin_client, job, 2, "")  # the admin ignores the first Email column
    assert "duplicate_column" not in group_counts(page)
    assert_agree(page)
    # Work Email now holds the email: Grace has none there.
    assert outcomes(job) == {2: Outcome.NEW, 3: Outcome.SKIPPED}
    assert 'id="show-new">New (1)</a>' in page
