"""Imports through the API: the review's operations, apply, result and report."""

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from roster.accounts.models import Account, Role
from roster.api.models import Scope
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.models import ImportJob
from tests.api.conftest import Api

STUDENTS = (
    "First Name,Last Name,Email,Parent Email\n"
    "Ada,Lovelace,ada@example.com,pat@example.com\n"
    "Bob,,bob@example,\n"
    "Cy, Young ,cy@example.com,\n"
)
PARENTS = "First Name,Last Name,Email\nPat,Lovelace,pat@example.com\n"


def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def _cells(data: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def _created(api: Api, **files: Any) -> dict[str, Any]:
    response = api.upload("/imports", files)
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_several_files_with_their_roles_make_one_import(api: Api) -> None:
    job = _created(
        api,
        student=_file("kids.csv", STUDENTS),
        parent=_file("grown-ups.csv", PARENTS),
    )
    assert [(tab["file"], tab["role"]) for tab in job["tabs"]] == [
        ("kids.csv", "student"),
        ("grown-ups.csv", "parent"),
    ]
    assert job["status"] == "reviewing" and job["checked"]
    summary = job["summary"]
    assert summary["create"] == {"student": 2, "instructor": 0, "parent": 1}
    assert summary["skipped"]["student"] == 1
    assert summary["associations"]["student_parent"] == 1


def test_a_file_without_a_role_is_guessed_from_its_name_or_asked(api: Api) -> None:
    job = _created(api, file=_file("parents.csv", PARENTS))
    assert job["tabs"][0]["role"] == "parent"
    unclear = _created(api, file=_file("export.csv", PARENTS))
    assert unclear["tabs"][0]["role"] is None
    refused = api.post(
        f"/imports/{unclear['id']}/apply", {"invite": False}, {"Idempotency-Key": "a"}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "unclear_role"
    chosen = api.post(f"/imports/{unclear['id']}/role", {"tab": 0, "role": "parent"})
    assert chosen.status_code == 200
    assert chosen.json()["summary"]["create"]["parent"] == 1


def test_text_with_a_role(api: Api) -> None:
    response = api.post("/imports/text", {"tables": [{"role": "parent", "text": PARENTS}]})
    assert response.status_code == 201
    assert response.json()["tabs"][0]["file"] is None
    assert response.json()["summary"]["create"]["parent"] == 1


def test_a_file_the_readers_refuse_has_their_code(api: Api) -> None:
    response = api.upload("/imports", {"student": _file("empty.csv", "First Name,Email\n")})
    assert response.status_code == 422
    assert response.json()["code"] == "only_header"


def test_issues_are_paged_and_filtered(api: Api) -> None:
    job = _created(api, student=_file("kids.csv", STUDENTS), parent=_file("p.csv", PARENTS))
    everything = api.get(f"/imports/{job['id']}/issues").json()
    codes = sorted(issue["code"] for issue in everything["items"])
    assert codes == ["invalid_email", "missing_required"]
    assert everything["count"] == 2
    page = api.get(f"/imports/{job['id']}/issues", per_page=1, page=2).json()
    assert page["pages"] == 2 and len(page["items"]) == 1
    assert page["items"][0] == everything["items"][1]
    only = api.get(f"/imports/{job['id']}/issues", code="invalid_email").json()
    assert [issue["row"] for issue in only["items"]] == [3]
    assert api.get(f"/imports/{job['id']}/issues", tab=1).json()["count"] == 0
    assert api.get(f"/imports/{job['id']}/issues", severity="warning").json()["count"] == 0


def test_the_review_operations(api: Api) -> None:
    job = _created(api, student=_file("kids.csv", STUDENTS))
    url = f"/imports/{job['id']}"
    fixed = api.post(f"{url}/cells", {"tab": 0, "row": 3, "column": 1, "value": "Byron"})
    assert fixed.status_code == 200
    codes = [issue["code"] for issue in api.get(f"{url}/issues").json()["items"]]
    assert codes == ["unknown_association", "invalid_email"]  # no missing_required now
    replaced = api.post(
        f"{url}/replace", {"tab": 0, "column": 2, "find": "bob@example", "replace": "b@e.org"}
    )
    assert replaced.json()["tabs"][0]["errors"] == 1  # the parent nobody knows
    ignored = api.post(f"{url}/mapping", {"tab": 0, "column": 3, "field": None})
    assert ignored.json()["tabs"][0]["mapping"][3]["field"] is None
    assert ignored.json()["tabs"][0]["errors"] == 0
    deleted = api.post(f"{url}/rows/delete", {"tab": 0, "rows": [4]})
    assert deleted.json()["tabs"][0]["rows"] == 2
    nothing = api.post(f"{url}/cells", {"tab": 0, "row": 99, "column": 0, "value": "x"})
    assert nothing.status_code == 409 and nothing.json()["code"] == "refused_change"
    assert (
        api.post(f"{url}/cells", {"tab": 5, "row": 2, "column": 0, "value": "x"}).status_code == 404
    )


def test_a_group_of_flags_fixed_at_once(api: Api) -> None:
    text = "First Name,Last Name,Email\nAnn,Lee,ANN@X.ORG \nBo,Ray, bo@x.org\n"
    job = _created(api, student=_file("kids.csv", text))
    groups = api.get(f"/imports/{job['id']}/fixes", tab=0).json()
    assert groups == []  # the engine trims and accepts these: nothing to fix
    bad = "First Name,Last Name,Email\nAnn,,a@x.org\nBo,,b@x.org\n"
    job = _created(api, student=_file("kids.csv", bad))
    [group] = api.get(f"/imports/{job['id']}/fixes").json()
    assert (group["code"], group["count"]) == ("missing_required", 2)
    assert "delete" in group["fixes"]
    body = {"tab": 0, "code": group["code"], "column": group["column"], "fix": "delete"}
    body["cause"] = group["cause"]
    fixed = api.post(f"/imports/{job['id']}/fixes", body)
    assert fixed.status_code == 200 and fixed.json()["tabs"][0]["rows"] == 0


def test_apply_then_result_and_the_web_s_report(
    api: Api, admin_client: Client, org: Any, mailoutbox: list[Any]
) -> None:
    job = _created(api, student=_file("kids.csv", STUDENTS), parent=_file("p.csv", PARENTS))
    url = f"/imports/{job['id']}"
    assert api.get(f"{url}/result").json()["code"] == "not_ready"
    applied = api.post(f"{url}/apply", {"invite": True}, {"Idempotency-Key": "one"})
    assert applied.status_code == 202
    assert applied.json()["status"] == "applied"
    assert api.get(f"{url}/progress").json()["status"] == "applied"
    result = api.get(f"{url}/result").json()
    assert result["summary"]["create"] == {"student": 2, "instructor": 0, "parent": 1}
    assert result["summary"]["invites"] == 3
    assert [issue["code"] for issue in result["issues"]] == ["missing_required", "invalid_email"]
    assert Account.objects.in_org(org).filter(role=Role.STUDENT).count() == 2
    web = f"/o/northside/imports/{job['id']}/issues"
    assert api.get(f"{url}/report.csv").content == admin_client.get(f"{web}.csv").content
    ours, theirs = api.get(f"{url}/report.xlsx"), admin_client.get(f"{web}.xlsx")
    assert ours["Content-Type"] == theirs["Content-Type"]
    assert _cells(ours.content) == _cells(theirs.content)  # the bytes hold a timestamp
    changed = api.post(f"{url}/cells", {"tab": 0, "row": 2, "column": 0, "value": "x"})
    assert changed.status_code == 409


def test_another_organization_s_import_is_not_found(
    api: Api, api_for: Callable[..., Api], other_org: Any, stranger: Account
) -> None:
    job = _created(api, student=_file("kids.csv", STUDENTS))
    theirs = api_for(Scope.READ, Scope.IMPORT, of=other_org, by=stranger)
    for path in ("", "/issues", "/progress", "/result", "/fixes", "/report.csv"):
        response = theirs.get(f"/imports/{job['id']}{path}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_discarded_import_can_neither_change_nor_be_applied(api: Api, admin: Account) -> None:
    job = _created(api, student=_file("kids.csv", STUDENTS))
    jobs.discard_job(ImportJob.objects.get(pk=job["id"]), admin, by=SYSTEM)
    url = f"/imports/{job['id']}"
    assert api.get(url).json()["status"] == "discarded"
    edit = api.post(f"{url}/cells", {"tab": 0, "row": 2, "column": 0, "value": "x"})
    assert edit.status_code == 409 and edit.json()["code"] == "refused_change"
    apply = api.post(f"{url}/apply", {"invite": False}, {"Idempotency-Key": "d"})
    assert apply.status_code == 409 and apply.json()["code"] == "refused_change"


def test_pasted_text_holding_a_nul_is_the_readers_422_and_nothing_is_stored(api: Api) -> None:
    # Found by the fuzz test on PostgreSQL, which refuses a NUL in a text column (a 500).
    body = {"tables": [{"role": "student", "text": "First Name,Last Name\nA\0,B\n"}]}
    response = api.post("/imports/text", body)
    assert response.status_code == 422
    assert response.json()["code"] == "unsupported_format"
    assert "NUL characters" in response.json()["message"]
    assert not ImportJob.objects.exists()
