"""What each row will do, in the review grid: new, update (old → new), unchanged, skipped
(why), filterable, kept current after an edit, and equal to the confirmation (issue 12)."""

import re

import pytest
from django.test import Client

from roster.accounts.models import Role
from roster.importing.models import ImportJob, ImportRow, Outcome
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.web.test_import_wizard import start

STUDENTS = (
    "First Name,Last Name,Email,Phone\n"
    "Ada,Byron,ada@example.com,\n"  # row 2: an update of the last name
    "Grace,Hopper,grace@example.com,\n"  # row 3: already as it is
    "Alan,Turing,alan@example.com,\n"  # row 4: new
    "Bad,Email,not-an-email,\n"  # row 5: skipped, invalid_email
    "Pat,Parent,pat@example.com,\n"  # row 6: skipped, the email is a parent's
)
GRID = {"X-Roster-Grid": "1"}


@pytest.fixture
def directory(org: Organization) -> None:
    make_account(org, Role.STUDENT, "ada@example.com", first_name="Ada", last_name="Lovelace")
    make_account(org, Role.STUDENT, "grace@example.com", first_name="Grace", last_name="Hopper")
    make_account(org, Role.PARENT, "pat@example.com", first_name="Pat", last_name="Parent")


def outcomes(job: ImportJob) -> dict[int, int | None]:
    return dict(ImportRow.objects.filter(job=job).values_list("number", "outcome"))


def row_html(page: str, number: int) -> str:
    found = re.search(rf'<tr[^>]*data-row="{number}">(.*?)</tr>', page, re.S)
    assert found, f"row {number} is not on the page"
    return found.group(1)


def shown_rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr[^>]*data-row="(\d+)"', page)]


def review(client: Client, job: ImportJob, query: str = "") -> str:
    return client.get(f"/o/northside/imports/{job.pk}/{query}").content.decode()


@pytest.mark.usefixtures("directory")
def test_each_row_says_what_it_will_do(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    assert outcomes(job) == {
        2: Outcome.UPDATE,
        3: Outcome.UNCHANGED,
        4: Outcome.NEW,
        5: Outcome.SKIPPED,
        6: Outcome.SKIPPED,
    }
    page = review(admin_client, job)
    update = row_html(page, 2)
    assert "<summary>Update</summary>" in update
    assert "Last Name: Lovelace → Byron" in update  # in the title (hover) and the details
    assert 'title="Updates Last Name: Lovelace → Byron"' in update
    assert ">Unchanged<" in row_html(page, 3) and ">New<" in row_html(page, 4)
    assert "<summary>Skipped</summary>" in row_html(page, 5)
    assert "Skipped: This is not a valid email address. (invalid_email)" in row_html(page, 5)
    assert "already belongs to a user with another role" in row_html(page, 6)


@pytest.mark.usefixtures("directory")
def test_the_grid_filters_by_outcome(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    page = review(admin_client, job)
    for name, count in (("new", 1), ("update", 1), ("unchanged", 1), ("skipped", 2)):
        assert re.search(rf'id="show-{name}">\w+ \({count}\)</a>', page), name
    assert shown_rows(review(admin_client, job, "?show=skipped")) == [5, 6]
    assert shown_rows(review(admin_client, job, "?show=update")) == [2]
    assert shown_rows(review(admin_client, job, "?show=update:last_name")) == [2]
    assert shown_rows(review(admin_client, job, "?show=update:phone")) == []
    assert shown_rows(review(admin_client, job, "?show=nonsense")) == [2, 3, 4, 5, 6]


@pytest.mark.usefixtures("directory")
def test_an_edit_updates_the_rows_outcome(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)

    def edit(row: int, column: int, value: str) -> str:
        data = {"tab": 0, "row": row, "column": column, "value": value, "show": "skipped"}
        response = admin_client.post(f"/o/northside/imports/{job.pk}/cell/", data, headers=GRID)
        assert response.status_code == 200
        return str(response.content.decode())

    answer = edit(5, 2, "bad@example.com")  # the invalid email fixed: a new user
    assert outcomes(job)[5] == Outcome.NEW
    assert shown_rows(answer) == [6]  # the filtered grid no longer lists it
    assert 'id="show-new">New (2)</a>' in answer and 'id="show-skipped">Skipped (1)</a>' in answer
    edit(2, 1, "Lovelace")  # back to the stored value: nothing changes
    assert outcomes(job)[2] == Outcome.UNCHANGED
    edit(3, 0, "Amazing Grace")
    assert outcomes(job)[3] == Outcome.UPDATE
    assert "First Name: Grace → Amazing Grace" in row_html(review(admin_client, job), 3)


@pytest.mark.usefixtures("directory")
def test_deleted_rows_leave_the_outcome_counts(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    admin_client.post(f"/o/northside/imports/{job.pk}/delete/", {"tab": 0, "rows": [5, 6]})
    page = review(admin_client, job)
    assert 'id="show-skipped">Skipped (0)</a>' in page
    assert shown_rows(review(admin_client, job, "?show=skipped")) == []
