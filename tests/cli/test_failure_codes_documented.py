"""The README lists every code a command-line refusal can end with (sqlite-utils' docs test)."""

from pathlib import Path

from roster.cli.output import FailureCode
from roster.importing.sources import ReadErrorCode

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_readme_documents_every_failure_code_of_the_command_line() -> None:
    codes = {code.value for code in (*FailureCode, *ReadErrorCode)}
    assert not {code for code in codes if f"`{code}`" not in README}
