"""The grid's outcome filter counts what the confirmation says Yes will do, and the
confirmation's per-field counts link to the rows behind them (issue 12)."""

import html
import re

import pytest
from django.test import Client

from roster.accounts.models import Role
from roster.importing.models import ImportJob, ImportTab
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.web.test_import_wizard import start
from tests.web.test_row_outcomes import STUDENTS, shown_rows

PARENTS = (
    "First Name\tLast Name\tEmail\n"
    "Kim\tLovelace\tkim@example.com\n"  # an update of the first name: Kimberly → Kim
    "Sam\tSmith\tsam@example.com\n"  # new
    "Ada\tByron\tada.parent@example.com\n"  # update of the last name, on the Parent tab
)
KINDS = ("new", "update", "unchanged", "skipped")
COLUMNS = {"new": 1, "update": 2, "unchanged": 3, "skipped": 4}


@pytest.fixture
def directory(org: Organization) -> None:
    make_account(org, Role.STUDENT, "ada@example.com", first_name="Ada", last_name="Lovelace")
    make_account(org, Role.STUDENT, "grace@example.com", first_name="Grace", last_name="Hopper")
    make_account(org, Role.PARENT, "pat@example.com", first_name="Pat", last_name="Parent")
    make_account(org, Role.PARENT, "kim@example.com", first_name="Kimberly", last_name="Lovelace")
    make_account(org, Role.PARENT, "ada.parent@example.com", first_name="Ada", last_name="King")


def grid_counts(client: Client, job: ImportJob) -> dict[str, int]:
    totals = dict.fromkeys(KINDS, 0)
    for tab in ImportTab.objects.filter(job=job):
        page = client.get(f"/o/northside/imports/{job.pk}/?tab={tab.position}").content.decode()
        for kind in KINDS:
            found = re.search(rf'id="show-{kind}">\w+ \((\d+)\)</a>', page)
            assert found, kind
            totals[kind] += int(found.group(1))
    return totals


def confirmation(client: Client, job: ImportJob) -> str:
    finish = client.post(f"/o/northside/imports/{job.pk}/finish/", {"invite": "no", "tab": 0})
    assert finish.status_code == 302
    return str(client.get(finish["Location"]).content.decode())


def summary_counts(page: str) -> dict[str, int]:
    table = page[page.index('id="summary"') : page.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">\w+</th>((?:<td>\d+</td>)+)</tr>", table)
    cells = [[int(n) for n in re.findall(r"<td>(\d+)</td>", row)] for row in rows]
    return {kind: sum(row[COLUMNS[kind] - 1] for row in cells) for kind in KINDS}


@pytest.mark.usefixtures("directory")
def test_the_grids_outcome_counts_equal_the_confirmations_summary(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    assert grid_counts(admin_client, job) == {"new": 2, "update": 3, "unchanged": 1, "skipped": 2}
    assert summary_counts(confirmation(admin_client, job)) == grid_counts(admin_client, job)


@pytest.mark.usefixtures("directory")
def test_after_edits_they_still_agree(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    cell = f"/o/northside/imports/{job.pk}/cell/"
    admin_client.post(cell, {"tab": 0, "row": 5, "column": 2, "value": "bad@example.com"})
    admin_client.post(cell, {"tab": 1, "row": 2, "column": 0, "value": "Kimberly"})
    admin_client.post(f"/o/northside/imports/{job.pk}/delete/", {"tab": 0, "rows": [4]})
    expected = {"new": 2, "update": 2, "unchanged": 2, "skipped": 1}
    assert grid_counts(admin_client, job) == expected
    assert summary_counts(confirmation(admin_client, job)) == expected


@pytest.mark.usefixtures("directory")
def test_the_confirmation_counts_updates_per_field_with_links_to_the_rows(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS, parent_text=PARENTS)
    page = confirmation(admin_client, job)
    listed = page[page.index('<ul id="field-updates">') :]
    listed = listed[: listed.index("</ul>")]
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", listed)]
    assert items == [
        "Last Name: 2 updates (1 on Student, 1 on Parent)",
        "First Name: 1 update",
    ]
    links = [html.unescape(href) for href in re.findall(r'href="([^"]+)"', listed)]
    base = f"/o/northside/imports/{job.pk}/"
    assert links == [
        f"{base}?tab=0&show=update:last_name",
        f"{base}?tab=1&show=update:last_name",
        f"{base}?tab=1&show=update:first_name",
    ]
    rows = [shown_rows(admin_client.get(link).content.decode()) for link in links]
    assert rows == [[2], [4], [2]]
