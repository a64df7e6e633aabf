"""Two columns holding one single-value field: `duplicate_column`, the tab's rows skipped
until the admin settles it (issue 12)."""

import json
from pathlib import Path

import pytest

from roster.accounts.models import Account
from roster.cli.main import main
from roster.importing.headers import map_headers
from roster.orgs.models import Organization

SAMPLE = (
    Path(__file__).resolve().parents[1] / "data" / "samples" / "students-email-column-twice.csv"
)


def test_two_columns_titled_alike_both_claim_the_field() -> None:
    mapped = map_headers(["First Name", "Last Name", "Email", "Email"], None)
    assert mapped.fields == ("first_name", "last_name", "email", "email")
    # Different titles still follow the tie rules: the strongest, then the leftmost.
    assert map_headers(["Given Name", "Forename"], None).fields == ("first_name", None)


def test_the_command_line_reports_it_and_imports_no_row_of_the_tab(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", str(SAMPLE), "--org", org.slug, "--role", "student", "--no-invite", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    [issue] = [issue for issue in data["issues"] if issue["code"] == "duplicate_column"]
    assert issue["severity"] == "error" and issue["row"] is None and issue["column"] == "Email"
    assert "“Email” (column 3), “Email” (column 4) are both matched to Email" in issue["message"]
    assert data["summary"]["skipped"]["student"] == 2
    assert data["summary"]["create"]["student"] == 0
    assert Account.objects.in_org(org).people().count() == 0
