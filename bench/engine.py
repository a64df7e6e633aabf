"""Engine benchmark: rows per second per stage and peak memory, on SQLite and PostgreSQL.

    python -m bench engine [--rows 10000 100000] [--format xlsx [csv]]
                           [--database-url URL] [--no-sqlite] [--no-again]

Each size runs in a fresh process (so peak memory, VmHWM, is that import's alone): on a
throwaway SQLite file, and also on the database of --database-url (default: the
environment's BENCH_DATABASE_URL), e.g. a scratch PostgreSQL database, migrated, then
one new organization per run. Stages: read + validate (streamed together), directory
(existing accounts, three queries), plan, apply (one transaction), on PostgreSQL the
search entries a big import leaves to a task after its commit, then the same import
again (everything unchanged); then, into a new organization, the same import applied as a
stored import (as the command line does: with what undo needs recorded) and undone. Each stage prints its seconds,
rows per second, the peak memory so far and this process's CPU seconds. Peak memory is
given twice: `peak` adds this process's own peak (VmHWM) to the largest of its workbook
readers' and row-check helpers', each taken at its own moment (an upper bound);
`together` is the most that this process and every process under it held at once
(their Pss, sampled every 200 ms: bench/tree_memory.py).
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import generate
from bench.tree_memory import TreeMemory


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench engine")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--format", choices=["xlsx", "csv"], nargs="+", default=["xlsx"])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="run on this database too (default: $BENCH_DATABASE_URL)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="only the --database-url run")
    parser.add_argument("--no-again", action="store_true", help="skip the second run")
    parser.add_argument("--no-undo", action="store_true", help="skip the stored apply and undo")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    # The other suites' options (readers' --no-openpyxl…) may come along: `make bench` passes
    # every option to every suite.
    args, _ = parser.parse_known_args(argv)
    if args.one:
        return _run_one(args.one, args.format[0], not args.no_again, not args.no_undo)
    urls = ([] if args.no_sqlite else [""]) + ([args.database_url] if args.database_url else [])
    for n in args.rows:
        generate(n)
        for kind in args.format:
            for url in urls:
                _run_in_a_fresh_process(
                    n, kind, url, again=not args.no_again, undo=not args.no_undo
                )
    return 0


def _run_in_a_fresh_process(n: int, kind: str, url: str, *, again: bool, undo: bool) -> None:
    """One import of n students from `kind` files, on `url` (a throwaway SQLite when "")."""
    with tempfile.TemporaryDirectory() as scratch:
        url = url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        # As in production: with DEBUG on, Django keeps the text of every statement, and
        # an import's multi-row statements hold megabytes of rows each.
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "ROSTER_VAR_DIR": scratch,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(32),
        }
        command = [sys.executable, "-m", "bench.engine", "--one", str(n), "--format", kind]
        if not again:
            command.append("--no-again")
        if not undo:
            command.append("--no-undo")
        subprocess.run(command, env=env, check=True)


# Sampled while the stages run (started by _run_one): what the processes of an import
# held at once. The `peak` column adds each one's own peak, taken at different moments.
_TREE: list[TreeMemory] = []


def _together_mb() -> float:
    if not _TREE:
        _TREE.append(TreeMemory())
    return _TREE[0].peak_mb()


def _peak_mb() -> float:
    """This process's peak, plus the largest of its workbook parser children's and of its
    row-check helpers' (an upper bound: they run at once)."""
    from roster.importing import row_checks
    from roster.importing.sources import isolated

    children = (isolated.children_peak_kb + row_checks.helper_peak_kb) / 1024
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024 + children
    return children


def _run_one(n: int, kind: str, again: bool, undo: bool) -> int:
    _together_mb()  # sampling starts
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from roster.orgs.models import Organization

    org = Organization.objects.create(slug=f"bench-{time.time_ns()}", name="Bench")
    print(
        f"{n:,} students, {n // 2:,} parents, {n // 20:,} instructors from {kind}"
        f" on {connection.vendor}:",
        flush=True,
    )
    _stages(n, kind, org)
    if again:
        print("  again (same files):", flush=True)
        _stages(n, kind, org)
    if undo:
        print("  undo (a stored import into a new organization, then undone):", flush=True)
        _undo_stages(n, kind)
    return 0


def _files(n: int, kind: str) -> list[Path]:
    folder = generate(n)
    if kind == "xlsx":
        return [folder / "people.xlsx"]
    return [folder / name for name in ("students.csv", "parents.csv", "teachers.csv")]


def _undo_stages(n: int, kind: str) -> None:
    from roster.audit.log import SYSTEM
    from roster.importing.pipeline import Choices, preview_import
    from roster.importing.sources import read_file
    from roster.importing.undo import apply_and_store, undo_import
    from roster.orgs.models import Organization

    org = Organization.objects.create(slug=f"bench-undo-{time.time_ns()}", name="Bench undo")
    rows = n + n // 2 + max(1, n // 20)
    files = _files(n, kind)
    clock = time.perf_counter()
    preview = preview_import([read_file(path) for path in files], org=org, choices=Choices())
    took = time.perf_counter() - clock
    print(f"  {'read+plan':<16} {took:7.2f} s {rows / took:>10,.0f} rows/s", flush=True)
    clock = time.perf_counter()
    _, job = apply_and_store(
        preview, org=org, invite=True, files=[path.name for path in files], by=SYSTEM
    )
    took = time.perf_counter() - clock
    print(f"  {'apply+record':<16} {took:7.2f} s {rows / took:>10,.0f} rows/s", flush=True)
    clock = time.perf_counter()
    done = undo_import(job.pk, org=org, by=SYSTEM)
    took = time.perf_counter() - clock
    print(
        f"  {'undo':<16} {took:7.2f} s {rows / took:>10,.0f} rows/s   peak {_peak_mb():6.0f} MB",
        flush=True,
    )
    print(f"  {done.counts()}", flush=True)


def _stages(n: int, kind: str, org: object) -> None:
    from roster.accounts.search_index import write_waiting_entries
    from roster.importing.apply import apply_plan
    from roster.importing.directory import Directory
    from roster.importing.pipeline import Choices, table_inputs
    from roster.importing.plan import plan_import
    from roster.importing.sources import read_file
    from roster.importing.summary import summary_dict
    from roster.importing.validate import validate_import

    files = _files(n, kind)
    rows = n + n // 2 + max(1, n // 20)
    clock, cpu = time.perf_counter(), time.process_time()

    def stage(name: str) -> None:
        # cpu: this process's own seconds, which other work on the machine hardly changes
        # (neither the workbook reader's child nor the database server are counted).
        nonlocal clock, cpu
        took, used = time.perf_counter() - clock, time.process_time() - cpu
        print(
            f"  {name:<16} {took:7.2f} s {rows / took:>10,.0f} rows/s   peak {_peak_mb():6.0f} MB"
            f"   cpu {used:6.2f} s   together {_together_mb():6.0f} MB",
            flush=True,
        )
        clock, cpu = time.perf_counter(), time.process_time()

    results = [read_file(path) for path in files]
    region = org.default_region  # type: ignore[attr-defined]
    validated = validate_import(table_inputs(results, Choices()), region=region)
    stage("read+validate")
    directory = Directory.load(org, validated.identity_keys())  # type: ignore[arg-type]
    stage("directory")
    plan = plan_import(validated, directory)
    stage("plan")
    outcome = apply_plan(plan, org=org, invite=True)  # type: ignore[arg-type]
    stage("apply")
    if write_waiting_entries():  # a worker's task after a big import's commit (PostgreSQL)
        stage("search entries")
    summary = summary_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
    print(f"  {summary}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
