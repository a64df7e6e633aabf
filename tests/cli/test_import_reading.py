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
    moved = [
        {**issue, "file": small.name, "row": issue["row"] and issue["row"] - 497}
        for issue in many["issues"]
    ]
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


def test_a_long_notes_cell_is_no_reason_to_refuse_and_a_long_name_is_its_rows_issue(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 10.5: both refused the whole file with cell_too_long.
    path = tmp_path / "students.csv"
    path.write_text(
        "First Name,Last Name,Email,Notes\n"
        f"Ann,Lee,ann@example.com,{'n' * 150_000}\n"
        f"Bo,{'L' * 40_001},bo@example.com,\n"
        "Cy,Wu,cy@example.com,\n"
    )
    result = run(capsys, path, org)
    assert result["summary"]["create"]["student"] == 2
    assert result["summary"]["skipped"]["student"] == 1
    [issue] = [issue for issue in result["issues"] if issue["row"] == 3]
    assert (issue["code"], issue["column"]) == ("value_too_long", "Last Name")


def test_an_open_quotation_mark_is_named_by_its_quote(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "students.csv"
    rows = "".join(f"Dee{n},Wu,dee{n}@example.com\n" for n in range(10))
    path.write_text(f'First Name,Last Name,Email\n{rows}"Ann,Lee,ann@example.com\n{rows}')
    assert main(["import", str(path), "--org", org.slug, "--role", "student", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unclosed_quote"
    assert error["message"].startswith("Row 12 opens a quotation mark that is not closed")


def test_a_colon_delimited_file_is_read_as_columns(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 10.7: read as one column, every row skipped with only tab-level messages.
    result = run(capsys, SAMPLES / "students-colon-delimited.txt", org)
    assert result["summary"]["create"]["student"] == 3
    assert result["issues"] == []
    assert Account.objects.in_org(org).get(email="cy.wu@example.com").phone


def test_no_consistent_delimiter_is_said_in_one_sentence(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "students.txt"
    path.write_text("First Name#Last Name#Email\nAnn#Lee#ann@example.com\nBo#Ng#bo@example.com\n")
    assert main(["import", str(path), "--org", org.slug, "--role", "student", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "unclear_delimiter"
    assert error["message"].startswith('The columns seem to be separated by "#"')


def test_a_file_of_mixed_encodings_stores_every_name_as_written(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 11.8: 50 UTF-8 rows then one Windows-1252 row were all read as cp1252,
    # storing names like "JosÃ©" without a word.
    result = run(capsys, SAMPLES / "students-mixed-encoding.csv", org)
    assert result["summary"]["create"]["student"] == 51
    accounts = Account.objects.in_org(org)
    stored = {(account.first_name, account.last_name) for account in accounts}
    assert {("José", "Müller"), ("Łukasz", "Żółć"), ("Renée", "Côté")} <= stored
    assert not [name for name in stored if "Ã" in "".join(name)]


def test_a_windows_file_with_typographic_apostrophes_is_not_read_as_mac_roman(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its only high bytes are cp1252's apostrophe 0x92, Mac Roman's "í": was "OíBrien".
    run(capsys, SAMPLES / "students-windows-1252-apostrophes.csv", org)
    stored = set(Account.objects.in_org(org).values_list("first_name", "last_name"))
    assert stored == {("Seán", "O’Brien"), ("Ann", "D’Arcy"), ("Bo", "N’Diaye")}
