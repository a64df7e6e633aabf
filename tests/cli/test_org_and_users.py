import json
import subprocess
from pathlib import Path

import pytest

from roster.accounts.models import Account, Role, Status, StudentInstructor, StudentParent
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.conftest import make_account

VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def test_org_create_makes_an_organization_and_its_pending_owner(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "org",
            "create",
            "eastside",
            "--name",
            "Eastside Tutors",
            "--owner-email",
            "Boss@Eastside.example.com",
        ]
    )
    assert status == 0
    org = Organization.objects.get(slug="eastside")
    owner = Account.objects.in_org(org).get()
    assert (org.name, owner.role, owner.status, owner.email) == (
        "Eastside Tutors",
        Role.OWNER,
        Status.PENDING,
        "Boss@eastside.example.com",
    )
    assert not owner.has_usable_password()
    assert "/o/eastside/" in capsys.readouterr().out


def test_org_create_refuses_a_taken_slug_or_a_bad_email_in_one_line(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "create", org.slug, "--name", "X", "--owner-email", "x@example.com"]) == 1
    assert main(["org", "create", "fresh", "--name", "X", "--owner-email", "not-an-email"]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("roster: ") for line in errors)
    assert not Organization.objects.filter(slug="fresh").exists()


def test_users_json_lists_every_account_with_its_links(
    org: Organization, other_org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    kid = make_account(org, Role.STUDENT, username="kid.one", first_name="Kid")
    mum = make_account(org, Role.PARENT, "mum@example.com", phone="+14155550100")
    teach = make_account(org, Role.INSTRUCTOR, "teach@example.com")
    make_account(other_org, Role.PARENT, "stranger@example.com")
    StudentParent.objects.create(organization=org, student=kid, parent=mum)
    StudentInstructor.objects.create(organization=org, student=kid, instructor=teach)
    assert main(["users", "--org", org.slug, "--json"]) == 0
    users = {u["email"] or u["username"]: u for u in json.loads(capsys.readouterr().out)}
    assert set(users) == {"kid.one", "mum@example.com", "teach@example.com"}
    assert users["kid.one"] == {
        "role": "student",
        "status": "pending",
        "first_name": "Kid",
        "last_name": "Lovelace",
        "email": None,
        "username": "kid.one",
        "phone": None,
        "parents": ["mum@example.com"],
        "instructors": ["teach@example.com"],
    }
    assert users["mum@example.com"]["students"] == ["kid.one"]
    assert users["mum@example.com"]["phone"] == "+14155550100"
    assert users["teach@example.com"]["students"] == ["kid.one"]


def test_an_unknown_organization_exits_non_zero_with_one_line(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "--org", "nowhere", "--json"]) != 0
    out, err = capsys.readouterr()
    assert json.loads(out)["error"] == {
        "code": "unknown_organization",
        "file": None,
        "message": "unknown organization: nowhere",
    }
    assert err.startswith("roster: ") and err.endswith(" [unknown_organization]\n")
    assert len(err.splitlines()) == 1


def test_the_installed_roster_command_and_manage_py_answer(tmp_path: Path) -> None:
    env = {"ROSTER_VAR_DIR": str(tmp_path), "PATH": str(VENV_BIN)}
    for command in (
        [str(VENV_BIN / "roster"), "--help"],
        [str(VENV_BIN / "python"), "manage.py", "roster", "--help"],
    ):
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, check=False, cwd=VENV_BIN.parents[1]
        )
        assert result.returncode == 0, result.stderr
        assert "org" in result.stdout and "import" in result.stdout and "users" in result.stdout


def test_org_create_takes_a_real_country_for_phones_and_refuses_a_made_up_one(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["org", "create", "leeds", "--name", "Leeds", "--owner-email", "boss@leeds.example"]
    assert main([*base, "--region", "XX"]) != 0
    assert "[invalid_organization]" in capsys.readouterr().err
    assert not Organization.objects.filter(slug="leeds").exists()
    assert main([*base, "--region", "gb"]) == 0
    assert Organization.objects.get(slug="leeds").default_region == "GB"
