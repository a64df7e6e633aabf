"""`roster import` on files the readers used to misread or refuse (issues 10 and 11)."""

import json
from pathlib import Path
from typing import Any

import pytest

from roster.accounts.models import Account
from roster.cli.main import main
from roster.orgs.models import Organization

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def run(capsys: pytest.CaptureFixture[str], path: Path | str, org: Organization) -> dict[str, Any]:
    argv = ["import", str(path), "--org", org.slug, "--role", "student", "--no-invite", "--json"]
    code = main(argv)
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == 0, result
    return result


def test_control_characters_give_the_same_answer_in_a_3_row_file_and_a_500_row_file(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = SAMPLES / "students-control-characters.csv"
    header, *rows = small.read_text().splitlines(keepends=True)
    filler = [f"Dee{n},Wu{n},dee{n}@example.com\n" for n in range(497)]
    big = tmp_path / "big.csv"
    big.write_text(header + "".join(filler + rows))
    few = run(capsys, small, org)  # was unsupported_format: "neither a spreadsheet nor text"
    assert few["summary"]["create"]["student"] == 3
    Account.objects.in_org(org).delete()
    many = run(capsys, big, org)
    assert many["summary"]["create"]["student"] == 500
    # The same three rows, the same issues (their row numbers move by the 497 above them).
    moved = [{**issue, "row": issue["row"] and issue["row"] - 497} for issue in many["issues"]]
    assert moved == few["issues"]


def test_binary_data_is_called_binary_data(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(bytes(3 * 1024 * 1024))
    assert main(["import", str(path), "--org", org.slug, "--role", "student", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unsupported_format"
    assert error["message"].startswith("The file holds binary data, not text")
