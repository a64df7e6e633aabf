"""A database that cannot be used: both doors answer in one line, never a traceback."""

import json
import subprocess
from pathlib import Path

import pytest

VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"
ROOT = VENV_BIN.parents[1]
DOORS = {
    "roster": [str(VENV_BIN / "roster")],
    "manage.py roster": [str(VENV_BIN / "python"), "manage.py", "roster"],
}


def _run(
    door: str, database_url: str, tmp_path: Path, *argv: str
) -> subprocess.CompletedProcess[str]:
    env = {"ROSTER_VAR_DIR": str(tmp_path), "PATH": str(VENV_BIN), "DATABASE_URL": database_url}
    return subprocess.run(
        [*DOORS[door], *argv], capture_output=True, text=True, env=env, check=False, cwd=ROOT
    )


@pytest.mark.parametrize("door", DOORS)
def test_a_database_without_tables_gets_one_line(door: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"
    done = _run(door, url, tmp_path, "users", "--org", "acme")
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("roster: ") and line.endswith(" [database_error]")


@pytest.mark.parametrize("door", DOORS)
def test_a_database_that_is_down_gets_one_line_and_a_json_error(door: str, tmp_path: Path) -> None:
    # Nothing listens on port 1; the driver's message spans several lines.
    url = "postgres://roster@127.0.0.1:1/roster"
    done = _run(door, url, tmp_path, "import", "students.csv", "--org", "acme", "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "database_error"
    [line] = done.stderr.splitlines()
    assert line.startswith("roster: ") and line.endswith(" [database_error]")


@pytest.mark.parametrize(
    ("message", "hint"),
    [
        ("no such table: accounts_account", "run `python manage.py migrate`"),
        ('relation "accounts_account" does not exist', "run `python manage.py migrate`"),
        ('connection failed: connection to server at "127.0.0.1", port 1 failed', "DATABASE_URL"),
        # Issue 11: a deadlock told the admin to run migrate.
        ("deadlock detected\nDETAIL:  Process 1 waits for ShareLock", "try again"),
    ],
)
def test_each_database_error_gets_the_hint_that_fits(message: str, hint: str) -> None:
    from django.db import OperationalError

    from roster.cli.main import database_failure

    sentence = database_failure(OperationalError(message))
    assert hint in sentence and "\n" not in sentence
    assert ("migrate" in sentence) == ("migrate" in hint)
