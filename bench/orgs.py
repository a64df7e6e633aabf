"""Many organizations importing at once, through the task workers.

    python -m bench orgs [--orgs 20] [--students 10000] [--workers 1 2 4] [--database-url URL]

For each number of workers: `--orgs` new organizations each get an import of `--students`
students and half as many parents (each student names a parent), stored and checked as
the portal does (jobs.create_job, check_job; not timed). Then, with that many
`db_worker --queue-name imports` processes started and idle, every import is submitted
at once the way Finish → Yes does (jobs.start_apply, then the web door's apply_or_enqueue,
which queues apply_import_job); the clock runs until every import is applied. Meanwhile
bench/lock_waits.py samples the lock waits (PostgreSQL only). Afterwards every
organization must hold exactly its students, parents and links, or the run fails.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.django_setup import OUT, start_django
from bench.lock_waits import LockWaits

ROOT = Path(__file__).resolve().parents[1]
WORKER = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench orgs")
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args, _ = parser.parse_known_args(argv)
    os.environ.setdefault("DEBUG", "0")  # as production; workers inherit it
    os.environ.setdefault("SECRET_KEY", "bench-orgs-" + "x" * 50)
    start_django("orgs", args.database_url, OUT / "orgs-var")
    from django.db import connection

    from roster.importing.jobs import check

    # Imports over SYNC_ROWS rows are applied in a task; tiny runs (the tests') go that way too.
    check.SYNC_ROWS = 0

    rows = args.orgs * args.students * 3 // 2
    print(
        f"{args.orgs} organizations × ({args.students:,} students + {args.students // 2:,}"
        f" parents) = {rows:,} rows on {connection.vendor}",
        flush=True,
    )
    wrong = 0
    for workers in args.workers:
        wrong += _round(args.orgs, args.students, workers)
    return 1 if wrong else 0


def _round(orgs: int, students: int, workers: int) -> int:
    from django.db import connection

    started = time.perf_counter()
    imports = [_prepared(students) for _ in range(orgs)]
    print(
        f"  {workers} worker(s): {orgs} imports stored and checked in"
        f" {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    processes = _start_workers(workers)
    try:
        sampling = connection.vendor == "postgresql"
        with LockWaits() if sampling else _NoWaits() as waits:
            took = _submit_and_wait(imports)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    rows = orgs * students * 3 // 2
    waited = ", ".join(f"{kind} {s:.2f} s" for kind, s in sorted(waits.seconds.items())) or "none"
    print(
        f"  {workers} worker(s): all applied in {took:6.1f} s, {rows / took:>8,.0f} rows/s;"
        f" per import {_task_times(imports)}; lock waits sampled: {waited}",
        flush=True,
    )
    wrong = [job.organization.slug for job in imports if not _exact(job, students)]
    print(
        f"  {workers} worker(s): " + (f"WRONG: {wrong}" if wrong else f"all {orgs} imports exact")
    )
    return len(wrong)


class _NoWaits:
    seconds: dict[str, float] = {}

    def __enter__(self) -> "_NoWaits":
        return self

    def __exit__(self, *_: object) -> None:
        return None


def _prepared(students: int) -> Any:
    from roster.accounts.models import Account, Role, Status
    from roster.importing import jobs
    from roster.orgs.models import Organization

    org = Organization.objects.create(slug=f"bench-orgs-{time.time_ns()}", name="Bench")
    admin = Account.objects.create(
        organization=org, role=Role.ADMIN, email="admin@bench.example", status=Status.ACTIVE
    )
    kids = "First Name,Last Name,Email,Phone,Parent Email\n" + "".join(
        f"Kid{n},Family{n // 2},kid{n}@school.example,,parent{n // 2}@family.example\n"
        for n in range(students)
    )
    parents = "First Name,Last Name,Email\n" + "".join(
        f"Pat{n},Family{n},parent{n}@family.example\n" for n in range(students // 2)
    )
    sources = [jobs.NewSource(Role.STUDENT, text=kids), jobs.NewSource(Role.PARENT, text=parents)]
    from roster.audit.log import SYSTEM

    job = jobs.create_job(org, admin, sources, by=SYSTEM)
    jobs.check_job(job)
    jobs.answer_invite(job, invite=False)
    return job


def _start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    command = [*WORKER, "--interval", "0.2", "--queue-name", "imports", "-v0"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=os.environ) for _ in range(count)]
    time.sleep(5)  # started and idle before the clock runs
    return processes


def _submit_and_wait(imports: list[Any]) -> float:
    """Finish → Yes for every import, as the web door does it; seconds until all applied."""
    from roster.audit.log import SYSTEM
    from roster.importing import jobs
    from roster.importing.dispatch import apply_or_enqueue
    from roster.importing.models import ImportJob, JobStatus

    started = time.perf_counter()
    for job in imports:
        if not (job.checked and not jobs.undecided_tabs(job) and jobs.start_apply(job)):
            raise SystemExit(f"import {job.pk} could not be started")
        apply_or_enqueue(job, SYSTEM)
    ids = [job.pk for job in imports]
    pending = ImportJob.objects.filter(pk__in=ids).exclude(status=JobStatus.APPLIED)
    while pending.exists():
        if pending.filter(status=JobStatus.FAILED).exists():
            raise SystemExit("an import failed: " + str(pending.values_list("error", flat=True)))
        time.sleep(0.1)
    return time.perf_counter() - started


def _task_times(imports: list[Any]) -> str:
    """Median and longest time a worker spent on one import (apply_import_job)."""
    from django_tasks_db.models import DBTaskResult

    ids = {str(job.pk) for job in imports}
    runs = [
        (task.finished_at - task.started_at).total_seconds()
        for task in DBTaskResult.objects.filter(task_path__endswith="apply_import_job")
        if task.finished_at and task.started_at and str(task.args_kwargs["args"][0]) in ids
    ]
    return f"median {statistics.median(runs):.1f} s, max {max(runs):.1f} s" if runs else "?"


def _exact(job: Any, students: int) -> bool:
    """The organization holds exactly the import's students, parents and links."""
    from roster.accounts.models import Account, Role, StudentParent

    org = job.organization
    counts = {
        "students": Account.objects.filter(organization=org, role=Role.STUDENT).count(),
        "parents": Account.objects.filter(organization=org, role=Role.PARENT).count(),
        "links": StudentParent.objects.filter(organization=org).count(),
    }
    wanted = {"students": students, "parents": students // 2, "links": students}
    return counts == wanted
