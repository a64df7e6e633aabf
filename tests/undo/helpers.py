"""Imports made through the command line (stored, so undoable), for the undo tests."""

import json
from pathlib import Path

import pytest

from roster.cli.main import main
from roster.importing.models import ImportJob

STUDENT_HEADER = "First Name,Last Name,Email,Username,Phone,Parent Email,Instructor Email"
OTHER_HEADER = "First Name,Last Name,Email,Phone,Student"


def imported(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    *options: str,
    org: str = "northside",
) -> ImportJob:
    """Run `roster import` on the files (name → text) and return the stored import."""
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    assert main(["import", *paths, "--org", org, "--json", *options]) == 0
    json.loads(capsys.readouterr().out)
    return ImportJob.objects.latest("pk")


def students(*rows: str) -> str:
    return "\n".join((STUDENT_HEADER, *rows)) + "\n"


def others(*rows: str) -> str:
    return "\n".join((OTHER_HEADER, *rows)) + "\n"
