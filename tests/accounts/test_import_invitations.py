"""An import with auto-invite emails each new person once; existing people and re-imports never."""

import json
from pathlib import Path
from typing import Any

import pytest

from roster.accounts.models import Invitation, Role
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.accounts.test_invitations import run_worker, worker_db
from tests.conftest import SmtpCollector, make_account

STUDENTS = (
    "First Name,Last Name,Email,Username,Parent Email\n"
    "Ann,Lee,ann@example.com,,mum@example.com\n"
    "Kid,Lee,,kid.lee,mum@example.com\n"
    "Old,Timer,old@example.com,,\n"
)
PARENTS = "First Name,Last Name,Email,Student\nMum,Lee,mum@example.com,kid.lee\n"


def _import(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> dict[str, Any]:
    (tmp_path / "students.csv").write_text(STUDENTS)
    (tmp_path / "parents.csv").write_text(PARENTS)
    files = [str(tmp_path / "students.csv"), str(tmp_path / "parents.csv")]
    assert main(["import", *files, "--org", "northside", "--json", *flags]) == 0
    return dict(json.loads(capsys.readouterr().out))


@worker_db
def test_new_people_with_an_email_get_one_email_each_and_a_reimport_sends_nothing(
    org: Organization, smtp: SmtpCollector, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_account(org, Role.STUDENT, "old@example.com", first_name="Old", last_name="Timer")
    first = _import(tmp_path, capsys, "--invite")
    assert first["summary"]["invites"] == 2  # Ann and Mum; Kid has no email, Old existed
    run_worker()
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["ann@example.com", "mum@example.com"]
    again = _import(tmp_path, capsys, "--invite")
    assert again["summary"]["invites"] == 0
    assert again["summary"]["unchanged"]["student"] == 3
    run_worker()
    assert len(smtp.messages) == 2
    assert Invitation.objects.count() == 2


@worker_db
def test_without_auto_invite_nobody_is_emailed(
    org: Organization, smtp: SmtpCollector, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _import(tmp_path, capsys, "--no-invite")
    assert result["summary"]["create"]["student"] == 3
    run_worker()
    assert smtp.messages == [] and not Invitation.objects.exists()


@worker_db
def test_a_dry_run_records_and_sends_nothing(
    org: Organization, smtp: SmtpCollector, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _import(tmp_path, capsys, "--invite", "--dry-run")
    assert result["summary"]["invites"] == 3  # what would be sent: Ann, Old and Mum
    run_worker()
    assert smtp.messages == [] and not Invitation.objects.exists()
