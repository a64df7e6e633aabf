"""The side-by-side run itself (see bench/peer/__init__.py for what it measures)."""

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import students

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
LIB = OUT / "peer-lib"
REQUIREMENTS = ROOT / "bench" / "peer-requirements.txt"


@dataclass
class Contender:
    name: str
    rows: int
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rate(self) -> float:
        return self.rows / self.median


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench peer")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--default-rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args, _ = parser.parse_known_args(argv)
    install_peer()
    big = clean_csv(args.rows)
    small = clean_csv(args.rows, limit=args.default_rows)
    env = _environment(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(LIB))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", run_syncdb=True, verbosity=0)
    rows, default_rows = _count(big), _count(small)
    roster = Contender("Roster (roster import --role student)", rows)
    tuned = Contender("django-import-export, tuned mode", rows)
    default = Contender("django-import-export, default mode", default_rows)
    print(
        f"{rows:,} clean students (CSV) on {connection.vendor}, {args.runs} runs each", flush=True
    )
    for _ in range(args.runs):
        roster.seconds.append(_time_roster(big, rows))
        tuned.seconds.append(_time_peer("tuned", big, rows))
        default.seconds.append(_time_peer("default", small, default_rows))
    for contender in (roster, tuned, default):
        runs = ", ".join(f"{s:.1f}" for s in contender.seconds)
        print(
            f"  {contender.name:<40} {contender.rows:>9,} rows  median {contender.median:7.2f} s"
            f"  {contender.rate:>9,.0f} rows/s  (runs: {runs} s)"
        )
    if default_rows < rows:
        print(
            f"  (default mode on the file's first {default_rows:,} rows: a lookup and a save per row)"
        )
    print(f"  Roster vs tuned:   {roster.rate / tuned.rate:5.1f}x rows/s")
    print(f"  Roster vs default: {roster.rate / default.rate:5.1f}x rows/s")
    return 0


def install_peer() -> None:
    """The peer's pinned, hashed packages into bench/out/peer-lib, once."""
    if (LIB / "import_export").is_dir():
        return
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    target = ["--require-hashes", "--no-deps", "--target", str(LIB), "-r", str(REQUIREMENTS)]
    subprocess.run([*pip, *target], check=True)


def clean_csv(n: int, limit: int | None = None) -> Path:
    """generate.py's N students that both importers take as they are, the first `limit` of them."""
    path = OUT / f"peer-{n}" / f"students-{limit or n}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = (
        [first, last, email, phone]
        for first, last, email, _username, phone, _parent, _teacher in students(n, random.Random(n))
        if email and "@@" not in email and last
    )
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "Email", "Phone"])
        for number, row in enumerate(kept):
            if limit is not None and number >= limit:
                break
            writer.writerow(row)
    return path


def _count(path: Path) -> int:
    with path.open(encoding="utf-8") as rows:
        return sum(1 for _ in rows) - 1


def _environment(database_url: str) -> dict[str, str]:
    sqlite = OUT / "peer.sqlite3"
    if not database_url:
        OUT.mkdir(exist_ok=True)
        sqlite.unlink(missing_ok=True)
    return {
        "DATABASE_URL": database_url or f"sqlite:///{sqlite}",
        "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
        "DEBUG": "0",  # as production runs, and neither process keeps every statement's text
        "SECRET_KEY": "bench-peer-" + "x" * 50,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(LIB)]),
    }


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command} failed:\n{done.stdout}\n{done.stderr}")
    return took


def _time_roster(path: Path, rows: int) -> float:
    from roster.accounts.models import Account, Role
    from roster.orgs.models import Organization

    org = Organization.objects.create(slug=f"peer-{time.time_ns()}", name="Side by side")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    roster = str(Path(sys.executable).parent / "roster")
    took = _timed([roster, "import", str(path), "--org", org.slug, "--role", "student"], env)
    made = Account.objects.filter(organization=org, role=Role.STUDENT).count()
    if made != rows:
        raise SystemExit(f"Roster made {made} students of {rows}")
    return took


def _time_peer(mode: str, path: Path, rows: int) -> float:
    from bench.peer.models import PeerStudent

    PeerStudent._default_manager.all().delete()
    took = _timed([sys.executable, "-m", "bench.peer.run", mode, str(path)], dict(os.environ))
    made = PeerStudent._default_manager.count()
    if made != rows:
        raise SystemExit(f"django-import-export ({mode}) made {made} students of {rows}")
    return took
