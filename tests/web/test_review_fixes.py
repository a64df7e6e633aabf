"""Group fixes, find & replace, undo and redo through the review's web door (issue 12).

Who may post to these URLs: tests/tenancy/test_authorization_matrix.py."""

import re

from django.test import Client

from roster.importing.jobs.fixes import cause_of
from roster.importing.models import ImportFlag, ImportJob, ImportRow
from tests.web.test_import_wizard import start

GRID = {"X-Roster-Grid": "1"}
STUDENTS = (
    "First Name,Last Name,Email,Parent Email\n"
    "Ada,Lovelace,ada@example.com,nobody@example.com\n"
    "Alan,Turing,alan@example.com,ghost@example.com\n"
    "Grace,Hopper,grace@example.com,\n"
)


def url(job: ImportJob, action: str) -> str:
    return f"/o/northside/imports/{job.pk}/{action}/"


def parent_cells(job: ImportJob) -> list[str]:
    rows = ImportRow.objects.filter(tab__job=job).order_by("number")
    return [cells[3] for cells in rows.values_list("cells", flat=True)]


def test_the_panel_offers_each_groups_fixes_and_a_fix_applies_to_every_row(
    admin_client: Client,
) -> None:
    job = start(admin_client, student_text=STUDENTS)
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    assert "2 Parent Email cells name nobody in your organization or this import" in page
    assert "Keep the rows, drop the link that names nobody" in page
    assert 'id="undo" disabled' in page
    flag = ImportFlag.objects.filter(job=job, code="unknown_association").first()
    assert flag is not None
    fix = {"tab": 0, "code": flag.code, "column": 3, "cause": cause_of(flag.message)}
    response = admin_client.post(url(job, "fix"), fix | {"fix": "drop_link"}, headers=GRID)
    assert response.status_code == 200
    assert parent_cells(job) == ["", "", ""]
    assert not ImportFlag.objects.filter(job=job, code="unknown_association").exists()
    assert "Undo: drop unknown links in 2 “Parent Email” cells" in response.content.decode()
    # Again: the group is gone, said in words.
    again = admin_client.post(url(job, "fix"), fix | {"fix": "drop_link"}, headers=GRID)
    assert again.status_code == 409 and "No row is flagged" in again.content.decode()


def test_find_and_replace_previews_its_count_then_replaces(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    query: dict[str, str | int] = {
        "tab": 0,
        "column": 3,
        "find": "@example.com",
        "replace": "@school.example",
    }
    preview = admin_client.get(url(job, "replace/count"), query)
    assert preview.json() == {"count": 2, "text": "2 cells will change."}
    assert parent_cells(job)[0] == "nobody@example.com"
    response = admin_client.post(url(job, "replace"), query, headers=GRID)
    assert response.status_code == 200
    assert parent_cells(job) == ["nobody@school.example", "ghost@school.example", ""]
    whole: dict[str, str | int] = {"tab": 0, "column": 3, "find": "", "replace": "x@y.example"}
    whole["whole"] = "1"
    assert admin_client.get(url(job, "replace/count"), whole).json()["count"] == 1
    refused = admin_client.get(url(job, "replace/count"), whole | {"whole": ""})
    assert refused.status_code == 409 and "Type the text to find" in refused.content.decode()


def test_undo_then_redo_without_the_script(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    query = {"tab": 0, "column": 3, "find": "nobody", "replace": "pat"}
    admin_client.post(url(job, "replace"), query)
    response = admin_client.post(url(job, "undo"), {"tab": 0})
    assert response.status_code == 302
    assert parent_cells(job)[0] == "nobody@example.com"
    page = admin_client.get(response["Location"]).content.decode()
    assert "Redo: replace “nobody” with “pat” in 1 “Parent Email” cell" in page
    admin_client.post(url(job, "redo"), {"tab": 0})
    assert parent_cells(job)[0] == "pat@example.com"
    refused = admin_client.post(url(job, "redo"), {"tab": 0}, headers=GRID)
    assert refused.status_code == 409 and "nothing to redo" in refused.content.decode()


def test_every_review_form_keeps_the_filter_the_admin_is_looking_at(admin_client: Client) -> None:
    job = start(admin_client, student_text=STUDENTS)
    page = admin_client.get(f"/o/northside/imports/{job.pk}/?tab=0&show=skipped").content.decode()
    shows = re.findall(r'<input type="hidden" name="show" value="([^"]*)">', page)
    assert len(shows) >= 4 and set(shows) == {"skipped"}  # toolbar, fix groups, row deletion
