"""docs/api.md's curl walk-through, run as written against a live server.

The bash blocks under "Walk-through with curl" are joined into one script; only the
server's address and the token are replaced. The script must end without an error,
every call having answered 2xx (curl --fail-with-body), and leave what it says it did.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from roster.accounts.models import Account, Role
from roster.api.models import Scope
from roster.api.tokens import create_token
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ADDRESS = "ROSTER=http://127.0.0.1:8000/api"
TOKEN = "TOKEN=roster_PASTE_THE_TOKEN_THE_PORTAL_SHOWED"


def walkthrough() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Walk-through with curl", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) >= 7, "create, files, upload, issues, fix, apply, poll, summary"
    return "\n".join(blocks)


def test_the_walkthrough_names_the_address_and_token_it_is_run_with() -> None:
    script = walkthrough()
    assert ADDRESS in script and TOKEN in script


@pytest.mark.django_db(transaction=True)
def test_the_curl_walkthrough_runs_as_written(
    live_server: Any, org: Organization, admin: Account, tmp_path: Path
) -> None:
    assert shutil.which("curl") and shutil.which("jq"), "the walk-through needs curl and jq"
    _token, secret = create_token(org, admin, "walk-through", [Scope.IMPORT])
    script = walkthrough().replace(ADDRESS, f"ROSTER={live_server.url}/api")
    script = script.replace(TOKEN, f"TOKEN={secret}")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    job = ImportJob.objects.get(organization=org)
    assert job.status == JobStatus.APPLIED
    assert json.loads(lines[-1]) == job.summary  # the last block prints the summary
    assert job.summary["create"] == {"student": 2, "instructor": 0, "parent": 1}
    assert job.summary["associations"]["student_parent"] == 2
    assert "applied" in lines  # what the apply call printed
    [issue] = [json.loads(line) for line in lines if line.startswith('{"code"')]
    assert (issue["code"], issue["row"], issue["column"]) == ("invalid_email", 3, "Email")
    emails = set(Account.objects.in_org(org).filter(role=Role.STUDENT).values_list("email"))
    assert emails == {("ada@example.com",), ("alan@example.com",)}
