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
        )
        assert any(re.fullmatch(pattern, line) for line in lines), (stage, done.stdout)
    assert "'create': {'student': 98, 'instructor': 5, 'parent': 50}" in done.stdout
