"""Row checks on a second core (row_checks.py) against checking every row in one process.

The helper is made to start at once and to be ready before the first batch (the
benchmark's imports reach it on their own after HELP_FROM rows), batches are small so a
table crosses many of them, and whole imports must validate exactly alike: the people,
every issue in its order, the identity keys, the rows kept out and their places.
"""

import csv
import logging
import random
import signal
from pathlib import Path
from typing import Any

import pytest

from bench.generate import OTHER_HEADER, STUDENT_HEADER, instructors, parents, students
from roster.accounts.models import Role
from roster.importing import row_checks
from roster.importing.pipeline import Choices, table_inputs
from roster.importing.sources import read_file, read_text
from roster.importing.validate import TableInput, Validated, validate_import

pytestmark = pytest.mark.django_db


def _write(path: Path, header: list[str], rows: Any) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _tables(folder: Path) -> list[TableInput]:
    """The benchmark's three files (~2 % bad rows), a role column with bad roles, a tab held
    for a duplicated column, and a paste with lossy-looking numbers and formulas."""
    n = 1200
    rng = random.Random(7)
    files = [
        _write(folder / "students.csv", STUDENT_HEADER, students(n, rng)),
        _write(folder / "parents.csv", OTHER_HEADER, parents(n, rng)),
        _write(folder / "teachers.csv", OTHER_HEADER, instructors(n, rng)),
    ]
    results = [read_file(path) for path in files]
    mixed = "Role,First Name,Last Name,Email\n" + "".join(
        f"{('student', 'teacher', 'parent', 'pilot', '')[i % 5]},A{i},B{i},m{i}@x.org\n"
        for i in range(300)
    )
    held = "First Name,Last Name,Email,Email\n" + "".join(
        f"C{i},D{i},h{i}@x.org,k{i}@x.org\n" for i in range(50)
    )
    pasted = "First Name\tLast Name\tEmail\tPhone\n" + "".join(
        f"E{i}\t=F{i}\tp{i}@x.org\t{4155550000 + i if i % 3 else '+1 (415) 555-01'}\n"
        for i in range(400)
    )
    inputs = table_inputs(results, Choices())
    inputs += table_inputs([read_text(mixed)], Choices())
    for text in (held, pasted):
        inputs += table_inputs([read_text(text)], Choices(role=Role.PARENT))
    return inputs


def _validate(folder: Path) -> Validated:
    return validate_import(_tables(folder), region="US")


def _seen(validated: Validated) -> tuple[object, ...]:
    people = [validated.people[index] for index in range(len(validated.people))]
    return (
        people,
        validated.issues,
        validated.keys,
        validated.skipped,
        validated.places,
        validated.external,
    )


@pytest.fixture
def helped(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The helper from the first row, ready before the first batch; counts what it checks."""
    started = row_checks._Helper.start.__func__  # type: ignore[attr-defined]
    sent = {"rows": 0}

    def start(cls: type, region: str) -> row_checks._Helper | None:
        helper: row_checks._Helper | None = started(cls, region)
        assert helper is not None and helper.connection.poll(60)
        assert helper.poll_ready()
        return helper

    send = row_checks._Helper.send

    def counted(self: row_checks._Helper, *args: Any) -> bool:
        sent["rows"] += sum(1 for *_, check in args[-1] if check is not None)
        return send(self, *args)

    monkeypatch.setattr(row_checks, "HELP_FROM", 0)
    monkeypatch.setattr(row_checks, "BATCH", 37)
    monkeypatch.setattr(row_checks._Helper, "start", classmethod(start))
    monkeypatch.setattr(row_checks._Helper, "send", counted)
    return sent


def test_an_import_checked_on_two_cores_is_the_import_checked_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helped: dict[str, int]
) -> None:
    both = _validate(tmp_path)
    assert helped["rows"] > 1000  # the helper did check rows (the rest were checked here)
    assert row_checks.helper_peak_kb > 10_000  # and told its peak memory as it ended
    with monkeypatch.context() as inline:
        inline.setattr(row_checks, "HELP_FROM", 1 << 62)
        one = _validate(tmp_path)
    assert _seen(both) == _seen(one)
    assert len(one.issues) > 100 and len(one.skipped) > 50  # bad rows of every kind were there


def test_a_helper_killed_midway_costs_nothing_but_speed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helped: dict[str, int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    send = row_checks._Helper.send
    calls = {"n": 0}

    def kill_on_the_fifth(self: row_checks._Helper, *args: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 5:
            self.process.kill()
            self.process.join()
        return send(self, *args)

    monkeypatch.setattr(row_checks._Helper, "send", kill_on_the_fifth)
    monkeypatch.setattr(row_checks, "IN_FLIGHT", 6)  # several batches lost with it
    with caplog.at_level(logging.WARNING, logger="roster.importing.row_checks"):
        killed = _validate(tmp_path)
    assert "the row-check helper stopped" in caplog.text
    monkeypatch.setattr(row_checks, "HELP_FROM", 1 << 62)
    assert _seen(killed) == _seen(_validate(tmp_path))


def test_a_helper_that_cannot_start_its_checks_leaves_them_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Its Django cannot be set up: it ends before saying it is ready.
    monkeypatch.setattr(row_checks, "HELP_FROM", 0)
    monkeypatch.setattr(row_checks, "POLL_EVERY", 1)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "no.such.settings")
    with caplog.at_level(logging.WARNING, logger="roster.importing.row_checks"):
        alone = _validate(tmp_path)
        helper_ended = "the row-check helper stopped" in caplog.text
    monkeypatch.setattr(row_checks, "HELP_FROM", 1 << 62)
    assert _seen(alone) == _seen(_validate(tmp_path))
    # The rows may all have been checked before the helper's end was seen; if it was
    # seen, it was said.
    assert helper_ended or not caplog.text


def test_batches_and_answers_larger_than_the_pipe_do_not_stall_the_import(
    monkeypatch: pytest.MonkeyPatch, helped: dict[str, int]
) -> None:
    # 1,000 rows of long names and addresses are ~350 KB a batch and more an answer, over
    # the socket's buffer both ways: the helper once wrote an answer while the importing
    # process wrote the next batch, each waiting for the other to read, for ever.
    monkeypatch.setattr(row_checks, "BATCH", 1000)
    header = "First Name,Last Name,Email,Phone,Parent Email,Instructor Email\n"
    text = header + "".join(
        f"{'A' * 60}{i},{'B' * 60}{i},s{i}{'x' * 50}@example.com,(415) 555-0100,"
        f"p{i}{'y' * 50}@example.com,t{i % 50}{'z' * 50}@example.com\n"
        for i in range(6000)
    )

    def stalled(*_: object) -> None:
        raise _Stalled  # not an OSError, which the importing process takes for a lost helper

    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(60)
    try:
        validated = validate_import(
            table_inputs([read_text(text)], Choices(role=Role.STUDENT)), region="US"
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert len(validated.people) == 6000 and not validated.issues
    assert helped["rows"] > 1000


class _Stalled(Exception):
    pass
