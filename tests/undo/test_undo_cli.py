"""`roster undo` and `roster imports` through the command line (main, and the real script)."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from roster.accounts.models import Account
from roster.cli.main import main
from roster.cli.output import FailureCode
from roster.importing.models import ImportJob, JobStatus
from roster.importing.undo.refusals import Refusal
from roster.orgs.models import Organization
from tests.undo.helpers import imported
from tests.undo.test_undo_core import FAMILY, people

Capture = pytest.CaptureFixture[str]


def test_imports_lists_the_command_lines_imports_with_their_door_and_state(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY, "--invite")
    assert main(["imports", "--org", org.slug, "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == job.pk and listed["state"] == "applied" and listed["door"] == "cli"
    assert listed["by"] is None and listed["undone_at"] is None and listed["undo_until"]
    assert listed["files"] == ["students.csv", "parents.csv", "instructors.csv"]
    assert listed["summary"]["create"] == {"student": 2, "instructor": 1, "parent": 1}
    assert listed["summary"]["invites"] == 3


def test_dry_run_shows_what_undo_would_do_and_changes_nothing(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY, "--invite")
    assert main(["undo", str(job.pk), "--org", org.slug, "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "import": job.pk,
        "dry_run": True,
        "summary": {
            "restored": {"accounts": 0, "fields": 0},
            "removed": {
                "accounts": {"student": 2, "instructor": 1, "parent": 1},
                "associations": {"student_parent": 2, "student_instructor": 1},
            },
            "cancelled": {"invites": 3},
            "kept": {},
        },
        "kept": [],
    }
    assert len(people(org)) == 4
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED


def test_undo_then_again_is_refused_with_its_code(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    Account.objects.filter(email="ann@example.com").update(
        first_name="Annie", updated_at=timezone.now()
    )
    assert main(["undo", str(job.pk), "--org", org.slug, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is False
    assert data["summary"]["kept"] == {"edited_since": 1}
    assert data["kept"] == [
        {
            "what": "account",
            "account": "ann@example.com",
            "field": None,
            "association": None,
            "other": None,
            "reason": "edited_since",
            "message": "the account was edited since, by hand or by a later import",
        }
    ]
    assert people(org) == ["ann@example.com"]

    assert main(["undo", str(job.pk), "--org", org.slug, "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["code"] == "already_undone"
    assert err.startswith("roster: import ") and err.rstrip().endswith("[already_undone]")
    assert len(err.strip().splitlines()) == 1


def test_refusals_exit_1_with_one_line(
    org: Organization, other_org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    cases = [
        (["undo", str(job.pk), "--org", "nowhere"], "unknown_organization"),
        (["undo", str(job.pk), "--org", other_org.slug], "unknown_import"),
        (["undo", "999999", "--org", org.slug], "unknown_import"),
    ]
    for argv, code in cases:
        assert main(argv) == 1
        assert capsys.readouterr().err.rstrip().endswith(f"[{code}]")
    ImportJob.objects.filter(pk=job.pk).update(applied_at=timezone.now() - timedelta(days=8))
    assert main(["undo", str(job.pk), "--org", org.slug]) == 1
    assert capsys.readouterr().err.rstrip().endswith("[undo_window_passed]")
    assert len(people(org)) == 4


def test_every_refusal_is_a_documented_failure_code() -> None:
    assert {refusal.value for refusal in Refusal} <= {code.value for code in FailureCode}


def test_the_installed_script_imports_lists_and_undoes(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "python"), "manage.py", "migrate", "-v0"], env=env, check=True)

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [str(bin_dir / "roster"), *argv]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    assert (
        run("org", "create", "acme", "--name", "Acme", "--owner-email", "o@x.org").returncode == 0
    )
    files = []
    for name, text in FAMILY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    assert run("import", *files, "--org", "acme", "--invite").returncode == 0
    [listed] = json.loads(run("imports", "--org", "acme", "--json").stdout)
    undone = run("undo", str(listed["id"]), "--org", "acme")
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout.splitlines()[:4] == [
        f"Import {listed['id']}: undone:",
        "  restored   0 fields of 0 accounts",
        "  removed    2 students, 1 instructors, 1 parents; 2 student–parent, 1 student–instructor links",
        "  cancelled  3 invites",
    ]
    [after] = json.loads(run("imports", "--org", "acme", "--json").stdout)
    assert after["state"] == "undone" and after["undone_at"]
    again = run("undo", str(listed["id"]), "--org", "acme")
    assert again.returncode == 1 and again.stderr.rstrip().endswith("[already_undone]")
