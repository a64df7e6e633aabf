"""Undo and the list of imports through the API: the command line's answers
(`roster undo --json`, `roster imports --json`), its refusal codes, and the organization's
imports only."""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from roster.accounts.models import Account
from roster.api.models import Scope
from roster.audit.models import Action, AuditEntry, Door
from roster.cli.main import main
from roster.importing.models import ImportJob, JobStatus
from roster.importing.undo.refusals import Refusal
from roster.orgs.models import Organization
from tests.api.conftest import Api
from tests.undo.helpers import imported
from tests.undo.test_undo_core import FAMILY, people

Capture = pytest.CaptureFixture[str]


def _cli(capsys: Capture, *argv: str) -> Any:
    main([*argv, "--json"])
    return json.loads(capsys.readouterr().out)


def test_a_dry_run_answers_the_command_lines_and_the_undo_removes_what_was_added(
    api: Api, org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY, "--invite")
    dry = api.post(f"/imports/{job.pk}/undo", {"dry_run": True})
    assert dry.status_code == 200, dry.content
    assert dry.json() == _cli(capsys, "undo", str(job.pk), "--org", org.slug, "--dry-run")
    assert len(people(org)) == 4  # a dry run changes nothing

    done = api.post(f"/imports/{job.pk}/undo", {"dry_run": False})
    assert done.status_code == 200, done.content
    assert done.json() == {**dry.json(), "dry_run": False}
    assert people(org) == []
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE
    entry = AuditEntry.objects.in_org(org).get(action=Action.UNDID)
    assert (entry.door, entry.import_job_id) == (Door.API, job.pk)
    assert "API token" in entry.actor_label

    again = api.post(f"/imports/{job.pk}/undo", {})
    assert again.status_code == 409
    assert again.json()["code"] == Refusal.ALREADY_UNDONE
    cli = _cli(capsys, "undo", str(job.pk), "--org", org.slug)["error"]
    assert again.json() == {"code": cli["code"], "message": cli["message"]}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": JobStatus.REVIEWING}, Refusal.NOT_APPLIED),
        ({"applied_at": timezone.now() - timedelta(days=400)}, Refusal.UNDO_WINDOW_PASSED),
        ({"applied_ids": {}}, Refusal.NOT_RECORDED),
    ],
    ids=["not-applied", "window-passed", "not-recorded"],
)
def test_refusals_are_409_with_the_command_lines_code_and_change_nothing(
    api: Api,
    org: Organization,
    tmp_path: Path,
    capsys: Capture,
    change: dict[str, object],
    code: Refusal,
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    ImportJob.objects.filter(pk=job.pk).update(**change)
    response = api.post(f"/imports/{job.pk}/undo", {"dry_run": False})
    assert response.status_code == 409
    body = response.json()
    cli = _cli(capsys, "undo", str(job.pk), "--org", org.slug)["error"]
    assert body == {"code": code, "message": cli["message"]} and cli["code"] == code
    assert len(people(org)) == 4


def test_another_organizations_import_is_not_found_like_an_unknown_one(
    api_for: Callable[..., Api],
    other_org: Organization,
    stranger: Account,
    tmp_path: Path,
    capsys: Capture,
) -> None:
    theirs = imported(tmp_path, capsys, FAMILY)  # made in northside, seen from southside
    theirs_api = api_for(Scope.IMPORT, of=other_org, by=stranger)
    unknown = theirs_api.post(f"/imports/{theirs.pk + 1000}/undo", {"dry_run": True})
    found = theirs_api.post(f"/imports/{theirs.pk}/undo", {"dry_run": False})
    assert found.status_code == unknown.status_code == 404
    assert found.json()["code"] == unknown.json()["code"] == Refusal.UNKNOWN_IMPORT
    assert ImportJob.objects.get(pk=theirs.pk).status == JobStatus.APPLIED


def test_a_read_token_may_list_but_not_undo(
    api_for: Callable[..., Api], tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    reader = api_for(Scope.READ)
    assert reader.get("/imports").status_code == 200
    assert reader.post(f"/imports/{job.pk}/undo", {"dry_run": True}).status_code == 403


def test_the_list_is_the_command_lines_paged_newest_first_and_the_organizations_only(
    api: Api, org: Organization, other_org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    first = imported(tmp_path, capsys, FAMILY, "--invite")
    api.post(f"/imports/{first.pk}/undo", {})
    second = imported(tmp_path, capsys, FAMILY)
    ImportJob.objects.create(organization=org, status=JobStatus.REVIEWING)
    ImportJob.objects.create(organization=other_org, status=JobStatus.REVIEWING)
    cli = _cli(capsys, "imports", "--org", org.slug)
    whole = api.get("/imports").json()
    assert whole == {"items": cli, "next_cursor": None}
    assert [item["state"] for item in whole["items"]] == ["reviewing", "applied", "undone"]
    assert whole["items"][1]["id"] == second.pk

    walked, cursor = [], None
    while True:
        page = api.get("/imports", limit=1, **({"cursor": cursor} if cursor else {})).json()
        walked += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == cli
