"""The progress display of `roster import`: on a terminal only, never with --json."""

import json
import os
import re
import select
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

from roster.cli.main import main
from roster.orgs.models import Organization
from tests.cli.test_import import PARENTS, STUDENTS, TEACHERS, write

END = "<end>"


@pytest.fixture
def family(tmp_path: Path) -> list[str]:
    return [
        write(tmp_path, "students.csv", STUDENTS),
        write(tmp_path, "parents.csv", PARENTS),
        write(tmp_path, "teachers.csv", TEACHERS),
    ]


class Terminal:
    """A real pseudo-terminal: what the program writes to `stream`, as the screen gets it."""

    def __init__(self) -> None:
        self.main_fd, other = os.openpty()
        self.stream: TextIO = open(other, "w", encoding="utf-8")  # noqa: SIM115

    def output(self) -> str:
        """Everything written so far: up to an end mark, as the kernel may pass it on later."""
        self.stream.write(END)
        self.stream.flush()
        received = b""
        while not received.endswith(END.encode()):
            assert select.select([self.main_fd], [], [], 10)[0], "the terminal went quiet"
            received += os.read(self.main_fd, 65536)
        return received.decode().removesuffix(END)

    def close(self) -> None:
        self.stream.close()
        os.close(self.main_fd)

    def run(self, *argv: str) -> int:
        """main(argv) with this terminal as stderr (pytest's capture owns it otherwise)."""
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "stderr", self.stream)
            return main(["import", *argv])


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    found = Terminal()
    assert found.stream.isatty()
    yield found
    found.close()


def screen(written: str) -> list[str]:
    """The lines a terminal shows for `written`: carriage returns, erase-to-end, newlines."""
    lines, line, column = [], "", 0
    for token in re.findall(r"\x1b\[K|\r|\n|[^\r\n\x1b]", written):
        if token == "\n":
            lines.append(line)
            line, column = "", 0
        elif token == "\r":
            column = 0
        elif token == "\x1b[K":
            line = line[:column]
        else:
            line = line[:column] + token + line[column + 1 :]
            column += 1
    return [*lines, line] if line else lines


def final_lines(written: str) -> dict[str, str]:
    """Each stage's line as the terminal shows it at the end, by stage name."""
    return {line.split()[0]: line.rstrip() for line in screen(written) if line.strip()}


def test_on_a_terminal_each_stage_ends_at_its_total_and_100_percent(
    org: Organization,
    family: list[str],
    terminal: Terminal,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert terminal.run(*family, "--org", org.slug) == 0
    lines = final_lines(terminal.output())
    assert list(lines) == ["reading", "planning", "applying"]
    rows = "4 of 4 rows"  # two students, a parent and an instructor
    for line in lines.values():
        assert line.endswith(f"{rows} 100%")
        assert "[####################]" in line
    assert capsys.readouterr().out.startswith("Applied:")


def test_a_dry_run_shows_no_applying_stage(
    org: Organization, family: list[str], terminal: Terminal
) -> None:
    assert terminal.run(*family, "--org", org.slug, "--dry-run") == 0
    assert list(final_lines(terminal.output())) == ["reading", "planning"]


def test_with_json_the_terminal_gets_nothing(
    org: Organization,
    family: list[str],
    terminal: Terminal,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert terminal.run(*family, "--org", org.slug, "--json") == 0
    assert terminal.output() == ""
    assert json.loads(capsys.readouterr().out)["summary"]["invites"] == 0


def test_a_failure_wipes_the_progress_line_for_its_one_line_reason(
    org: Organization, tmp_path: Path, terminal: Terminal, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 1500  # the display shows 1,000 rows read, then the limit
    rows = "".join(f"Kid,Lee,kid{n}@example.com\n" for n in range(2000))
    path = write(tmp_path, "students.csv", "First Name,Last Name,Email\n" + rows)
    assert terminal.run(path, "--org", org.slug, "--role", "student") == 1
    written = terminal.output()
    assert "1,000 rows" in written
    [line] = [line for line in screen(written) if line.strip()]
    assert line.startswith("roster: students.csv: ") and line.endswith(" [too_many_rows]")


def test_not_a_terminal_nothing_is_drawn(
    org: Organization, family: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", *family, "--org", org.slug]) == 0
    assert capsys.readouterr().err == ""
