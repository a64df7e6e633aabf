"""School-system bundles through `POST /api/imports`: several files under `file` (no
role), or one zip, are one import that reads the bundle, as the web's Add Multiple Users
does; its summary, issues and notes are `roster import … --dry-run --json`'s (door
equivalence for bundles: the API and the command line). A hostile zip is refused with the
reader's code and sentence, and the next request is answered."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.cli.main import main
from roster.importing.models import ImportJob, ImportTab
from roster.orgs.models import Organization
from tests.api.conftest import Api
from tests.cli.test_oneroster import bundle as oneroster11_bundle
from tests.cli.test_oneroster_ids import zipped
from tests.data.bundles import canvas_bundle
from tests.importing.test_door_equivalence import _cli_issues, _without_invites
from tests.web.test_bundle_upload import _with

ADD = "/o/northside/users/add-multiple/"
Capture = pytest.CaptureFixture[str]
BUNDLES: dict[str, tuple[Callable[[Path], list[str]], bool]] = {
    "oneroster-1.1-zip": (oneroster11_bundle, True),
    "oneroster-1.1-files": (oneroster11_bundle, False),
    "canvas-files": (canvas_bundle, False),
    "canvas-zip": (canvas_bundle, True),
}


def _uploads(paths: list[str]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(Path(path).name, Path(path).read_bytes()) for path in paths]


def _tabs(job_id: int) -> list[tuple[Any, ...]]:
    rows = ImportTab.objects.filter(job_id=job_id).order_by("position")
    return list(rows.values_list("file_name", "sheet", "role", "rows", "id_source"))


@pytest.mark.parametrize("name", BUNDLES)
def test_a_bundle_is_one_import_with_the_command_lines_answer_and_the_webs_tabs(
    api: Api,
    admin_client: Client,
    org: Organization,
    tmp_path: Path,
    capsys: Capture,
    name: str,
) -> None:
    write, as_zip = BUNDLES[name]
    files = write(tmp_path)
    given = [zipped(tmp_path, files)] if as_zip else files
    response = api.upload("/imports", {"file": _uploads(given)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert ImportJob.objects.count() == 1  # one import, not one per file

    argv = ["import", *given, "--org", org.slug, "--dry-run", "--no-invite"]
    assert main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _without_invites(body["summary"]) == _without_invites(out["summary"])
    issues = api.get(f"/imports/{body['id']}/issues", per_page=1000).json()
    assert issues["pages"] <= 1
    # Every issue, a link file's (a bundle issue, `tab` null) included, in the same order.
    assert _cli_issues({"issues": issues["items"]}) == _cli_issues(out)
    assert issues["count"] > 0
    assert main(argv) == 0
    notes = capsys.readouterr().err.splitlines()
    assert notes == [f"roster: note: {note}" for note in body["notes"]]
    assert any("bundle" in note for note in body["notes"])  # it was read as a bundle

    web = admin_client.post(ADD, {"instructor_file": _uploads(given)})  # any tab: the bundle says
    assert web.status_code == 302
    web_job = ImportJob.objects.exclude(pk=body["id"]).get()
    assert _tabs(body["id"]) == _tabs(web_job.pk)
    assert [tab["role"] for tab in body["tabs"]] == [role for _, _, role, _, _ in _tabs(web_job.pk)]


def test_a_zip_naming_a_file_outside_it_is_422_with_the_readers_code_then_all_is_well(
    api: Api, org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    hostile = tmp_path / "export.zip"
    hostile.write_bytes(_with("../../etc/x.csv", b"a"))
    response = api.upload("/imports", {"file": _uploads([str(hostile)])})
    assert response.status_code == 422
    assert main(["import", str(hostile), "--org", org.slug, "--dry-run", "--json"]) == 1
    refused = json.loads(capsys.readouterr().out)["error"]
    assert refused["code"] == "unsafe_file"
    assert response.json() == {"code": refused["code"], "message": refused["message"]}
    assert "a file whose name points outside it" in refused["message"]
    assert not ImportJob.objects.exists()

    assert api.get("/imports").json() == {"items": [], "next_cursor": None}
    files = oneroster11_bundle(tmp_path)
    assert api.upload("/imports", {"file": _uploads(files)}).status_code == 201


def test_a_link_files_issues_reach_the_api(
    api: Api, org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    files = canvas_bundle(tmp_path)  # u404 in enrollments.csv, u999 in user_observers.csv
    body = api.upload("/imports", {"file": _uploads(files)}).json()
    assert main(["import", *files, "--org", org.slug, "--dry-run", "--json", "--no-invite"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {issue["file"] for issue in out["issues"]} >= {"enrollments.csv", "user_observers.csv"}
    issues = api.get(f"/imports/{body['id']}/issues", per_page=1000).json()
    assert _cli_issues({"issues": issues["items"]}) == _cli_issues(out)
