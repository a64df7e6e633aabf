"""`roster import` of workbooks: the filled template, tabs without people, unclear tabs."""

import json
from pathlib import Path

import pytest

from roster.accounts.models import Account
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.importing.door_samples import filled_template, hidden_tab_workbook
from tests.importing.sources.samples import write_xlsx

NOTE = (
    "roster: note: Tab “Instructions” in filled.xlsx was left out: no column holds names,"
    " emails or usernames, so it lists no people.\n"
)


def _import(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["import", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("role", [[], ["--role", "student"]])
def test_the_filled_template_imports_without_its_instructions_tab(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str], role: list[str]
) -> None:
    path = str(filled_template(tmp_path / "filled.xlsx"))
    status, out, err = _import(capsys, path, "--org", org.slug, "--no-invite", "--json", *role)
    assert (status, err) == (0, "")  # no note in the JSON, nor beside it
    data = json.loads(out)
    assert set(data) == {"summary", "issues"}
    assert data["summary"]["create"] == {"student": 3, "instructor": 1, "parent": 2}
    assert data["summary"]["associations"] == {"student_parent": 3, "student_instructor": 2}
    assert {issue["sheet"] for issue in data["issues"]} == {"Student", "Instructor"}
    assert "unknown_column" not in {issue["code"] for issue in data["issues"]}
    assert Account.objects.in_org(org).people().count() == 6


def test_on_a_terminal_the_left_out_tab_is_a_note_on_stderr(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(filled_template(tmp_path / "filled.xlsx"))
    status, out, err = _import(capsys, path, "--org", org.slug, "--no-invite", "--dry-run")
    assert status == 0 and out.startswith("Dry run")
    assert err == NOTE


def test_hidden_tabs_and_notes_tabs_are_left_out(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(hidden_tab_workbook(tmp_path / "book.xlsx"))
    status, out, err = _import(capsys, path, "--org", org.slug, "--no-invite", "--dry-run")
    assert status == 0
    assert err.splitlines() == [
        "roster: note: Tab “Old students” in book.xlsx is hidden and was left out.",
        "roster: note: Tab “Notes” in book.xlsx was left out: no column holds names, emails"
        " or usernames, so it lists no people.",
    ]
    assert "create     1 students" in out


def test_a_tab_of_people_whose_role_cannot_be_told_stops_the_import(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = [("A1", "First Name"), ("B1", "Last Name"), ("C1", "Email")]
    book = write_xlsx(
        tmp_path / "export.xlsx",
        {
            "Teachers": [*header, ("A2", "Tim"), ("B2", "Tutor"), ("C2", "tim@example.com")],
            "Sheet2": [*header, ("A2", "Ann"), ("B2", "Lee"), ("C2", "ann@example.com")],
        },
    )
    # --role names the role of a file's one table: with two, it would be a guess.
    status, out, err = _import(capsys, str(book), "--org", org.slug, "--role", "student", "--json")
    assert status == 1
    assert json.loads(out)["error"]["code"] == "unclear_role"
    assert err.startswith("roster: export.xlsx: tab “Sheet2”: ")
    assert err.endswith("(Students, Instructors, Parents) [unclear_role]\n")
    assert not Account.objects.in_org(org).people().exists()
