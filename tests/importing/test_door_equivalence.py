"""The same file gives the same answer through the web's stored review, the command line
and the REST API.

For every sample: the filled template, the vendor exports (door_samples.py) and every
file under tests/data/samples/ (walked, so files added there are covered at once). The
web side uploads the file through the wizard with Django's test client, on the tab of
the role its name says (jobs.create_job, then the check, as the page does), and reads the
stored summary and flags; the command line runs `roster import FILE --org X --dry-run
--json --no-invite`. Both must give the same summary (but `invites`: the review counts
what Yes would send, the command line was told --no-invite) and the same issues (code,
severity, file, sheet, row, column, message). A file whose role the command line cannot
tell (`unclear_role`) must leave the web review asking for it; a file it refuses (a
reader's code) the wizard refuses with the same sentence. Tabs left out (hidden,
or holding no people) give the same notes: the review's, and the command line's lines on
stderr without --json. The API uploads the file as the wizard does (under the role its
name says, else with none) and must give the command line's summary, issues and notes, or
refuse with its code and sentence, or leave the tab's role null when it cannot tell.
"""

import html
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.accounts.models import Account
from roster.api.models import Scope
from roster.api.tokens import create_token
from roster.audit.log import SYSTEM
from roster.cli.main import main
from roster.importing import jobs
from roster.importing.headers import guess_role
from roster.importing.models import ImportFlag, ImportJob
from roster.importing.sources import ReadError
from roster.orgs.models import Organization
from tests.importing.door_samples import EXPORTS, WRITERS, write_samples

SAMPLES = Path(__file__).parent.parent / "data" / "samples"
NOT_SAMPLES = ("README", "LICENSE")  # notes about the folder, not files an admin brings
GENERATED = [*WRITERS, *EXPORTS]


def _dropped() -> list[str]:
    return sorted(
        str(path.relative_to(SAMPLES))
        for path in SAMPLES.rglob("*")
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.upper().startswith(NOT_SAMPLES)
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("door-samples")
    return {path.name: path for path in write_samples(folder)}


def _cli(path: Path, org: Organization, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    argv = ["import", str(path), "--org", org.slug, "--dry-run", "--json", "--no-invite"]
    status = main(argv)
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert (status == 0) == ("error" not in out), out
    return out


def _web(path: Path, org: Organization, admin: Account, client: Client) -> ImportJob:
    """The wizard's upload: on the tab of the role the file's name says (the guess the
    command line makes first), which the review then checks; raises the form's error."""
    role = guess_role("", path.name, ())
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    if role is None:
        # The wizard always names a role; a caller that names none (the coming API) calls
        # the core as the wizard's view does. The headers may still tell.
        job = jobs.create_job(org, admin, [jobs.NewSource(role=None, upload=upload)], by=SYSTEM)
        assert jobs.check_job(job)
        return job
    response = client.post("/o/northside/users/add-multiple/", {f"{role}_file": upload})
    if response.status_code == 400:
        raise Refused(response.content.decode())
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _api(path: Path, org: Organization, admin: Account) -> tuple[int, dict[str, Any]]:
    """The API's upload and, once created, its issues: (status, body with "issues")."""
    role = guess_role("", path.name, ())
    _token, secret = create_token(org, admin, "doors", [Scope.IMPORT])
    client, headers = Client(), {"Authorization": f"Bearer {secret}"}
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post("/api/imports", {role or "file": upload}, headers=headers)
    body: dict[str, Any] = response.json()
    if response.status_code == 201:
        issues = client.get(
            f"/api/imports/{body['id']}/issues", {"per_page": 1000}, headers=headers
        ).json()
        assert issues["pages"] <= 1
        body["issues"] = [
            {key: value for key, value in issue.items() if key != "tab"}
            for issue in issues["items"]
        ]
    return response.status_code, body


def _api_agrees(
    path: Path, org: Organization, admin: Account, out: dict[str, Any]
) -> list[str] | None:
    """The API gives the command line's answer; returns its notes (None if refused)."""
    status, body = _api(path, org, admin)
    if "error" in out and out["error"]["code"] != "unclear_role":
        assert status in (413, 422)
        assert (body["code"], body["message"]) == (out["error"]["code"], out["error"]["message"])
        return None
    assert status == 201, body
    if "error" in out:
        assert None in [tab["role"] for tab in body["tabs"]]
    else:
        assert _without_invites(body["summary"]) == _without_invites(out["summary"])
        assert _cli_issues(body) == _cli_issues(out)
    notes: list[str] = body["notes"]
    return notes


class Refused(Exception):
    """The wizard's page came back with a form error."""


def _issues(job: ImportJob) -> list[tuple[object, ...]]:
    """The review's issues: its flags, and a bundle's issues on its link files."""
    flags = ImportFlag.objects.filter(job=job).select_related("tab")
    keys = ("code", "severity", "file", "sheet", "row", "column", "message")
    return sorted(
        [
            (
                flag.code,
                "error" if flag.severity == 2 else "warning",
                flag.tab.file_name or None,
                flag.tab.sheet,
                flag.row,
                flag.column_label,
                flag.message,
            )
            for flag in flags
        ]
        + [tuple(issue[key] for key in keys) for issue in job.bundle_issues]
    )


def _cli_issues(out: dict[str, Any]) -> list[tuple[object, ...]]:
    keys = ("code", "severity", "file", "sheet", "row", "column", "message")
    return sorted(tuple(issue[key] for key in keys) for issue in out["issues"])


def _without_invites(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in summary.items() if key != "invites"}


def _agree(
    path: Path,
    org: Organization,
    admin: Account,
    client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _cli(path, org, capsys)
    api_notes = _api_agrees(path, org, admin, out)
    if "error" in out and out["error"]["code"] != "unclear_role":
        # A file the readers refuse: the wizard refuses it too, with the same sentence.
        with pytest.raises((Refused, ReadError)) as refused:
            _web(path, org, admin, client)
        page = " ".join(html.unescape(str(refused.value)).split())
        assert out["error"]["message"] in page
        assert not ImportJob.objects.exists()  # neither the API's nor the wizard's
        return
    job = _web(path, org, admin, client)
    if "error" in out:
        assert out["error"]["code"] == "unclear_role", out
        assert jobs.undecided_tabs(job), "the review must ask whom the table lists"
        return
    assert not jobs.undecided_tabs(job)
    assert _without_invites(job.preview) == _without_invites(out["summary"])
    assert _issues(job) == _cli_issues(out)
    # The tabs left out (hidden, or holding no people): the same neutral notes.
    assert main(["import", str(path), "--org", org.slug, "--dry-run", "--no-invite"]) == 0
    notes = capsys.readouterr().err.splitlines()
    assert notes == [f"roster: note: {note}" for note in job.notes]
    assert api_notes == job.notes


@pytest.mark.parametrize("name", GENERATED)
def test_generated_sample_gives_one_answer(
    name: str,
    generated: dict[str, Path],
    org: Organization,
    admin: Account,
    admin_client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _agree(generated[name], org, admin, admin_client, capsys)


@pytest.mark.parametrize("name", _dropped())
def test_sample_file_gives_one_answer(
    name: str,
    org: Organization,
    admin: Account,
    admin_client: Client,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _agree(SAMPLES / name, org, admin, admin_client, capsys)


def test_the_samples_folder_is_walked() -> None:
    assert len(_dropped()) >= 3
