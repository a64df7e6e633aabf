"""`make bench` keeps working: the engine suite on a small import, in its own processes."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("read+validate", "directory", "plan", "apply")


def test_the_engine_benchmark_prints_every_stage_with_rows_per_second_and_memory() -> None:
    env = {key: value for key, value in os.environ.items() if key != "BENCH_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "engine", "--rows", "100", "--no-again"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert "100 students, 50 parents, 5 instructors from xlsx on sqlite:" in lines
    for stage in STAGES:
        pattern = (
            rf"\s+{re.escape(stage)}\s+[\d.]+ s\s+[\d,]+ rows/s\s+peak\s+\d+ MB\s+cpu\s+[\d.]+ s"
            r"\s+together\s+\d+ MB"
        )
        assert any(re.fullmatch(pattern, line) for line in lines), (stage, done.stdout)
    assert "'create': {'student': 98, 'instructor': 5, 'parent': 50}" in done.stdout
    undo = r"\s+undo\s+[\d.]+ s\s+[\d,]+ rows/s\s+peak\s+\d+ MB"
    assert any(re.fullmatch(undo, line) for line in lines), done.stdout
    removed = "'accounts': {'student': 98, 'instructor': 5, 'parent': 50}"
    assert f"'removed': {{{removed}" in done.stdout


def _bench(*args: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != "BENCH_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_peer_benchmark_times_roster_and_both_modes_of_django_import_export() -> None:
    out = _bench("peer", "--rows", "300", "--default-rows", "40", "--runs", "1")
    assert re.search(r"^\d+ clean students \(CSV\) on sqlite, 1 runs each$", out, re.M), out
    rows = r"\s+([\d,]+) rows\s+median\s+[\d.]+ s\s+[\d,]+ rows/s"
    found = {
        name: re.search(rf"^  {re.escape(name)}{rows}", out, re.M)
        for name in (
            "Roster (roster import --role student)",
            "django-import-export, tuned mode",
            "django-import-export, default mode",
        )
    }
    assert all(found.values()), out
    counts = {name: int(match.group(1).replace(",", "")) for name, match in found.items() if match}
    assert counts["django-import-export, default mode"] == 40, out
    assert counts["Roster (roster import --role student)"] > 250, out
    assert "(default mode on the file's first 40 rows" in out
    assert re.search(r"^  Roster vs tuned: +[\d.]+x rows/s$", out, re.M), out
    assert re.search(r"^  Roster vs default: +[\d.]+x rows/s$", out, re.M), out


def test_the_organizations_benchmark_applies_every_import_through_the_workers() -> None:
    out = _bench("orgs", "--orgs", "2", "--students", "30", "--workers", "1", "2")
    assert "2 organizations × (30 students + 15 parents) = 90 rows on sqlite" in out
    for workers in (1, 2):
        applied = rf"^  {workers} worker\(s\): all applied in +[\d.]+ s, +[\d,]+ rows/s; per import median"
        assert re.search(applied, out, re.M), out
        assert f"  {workers} worker(s): all 2 imports exact" in out
