"""The review grid at scale: a stored import of N students (with N/2 parents and N/20
instructors), its pages and one edit, timed at the server.

    python -m bench grid [--students 100000] [--database-url URL]

Without --database-url it uses a throwaway SQLite file under bench/out/. The job is made
the way the portal makes it (jobs.create_job from the uploaded CSVs, then check_job); the
pages are requested through Django's test client, so the figures are the server's time.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.django_setup import OUT, start_django
from bench.generate import generate

REPEAT = 7


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench grid")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args, _ = parser.parse_known_args(argv)
    folder = generate(args.students)
    start_django("grid", args.database_url, OUT / "grid-var")
    job, admin = _make_job(folder)
    _time_grid(job, admin)
    return 0


def _make_job(folder: Path) -> tuple[Any, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from roster.accounts.models import Account, Role, Status
    from roster.audit.log import By
    from roster.audit.models import Door
    from roster.audit.purge import organization_deletion
    from roster.importing import jobs
    from roster.orgs.models import Organization

    with organization_deletion():  # a run before left its audit log
        Organization.objects.filter(slug="bench-grid").delete()
    org = Organization.objects.create(slug="bench-grid", name="Bench")
    admin = Account.objects.create(
        organization=org, role=Role.ADMIN, email="admin@bench.example.com", status=Status.ACTIVE
    )
    files = (
        ("students.csv", Role.STUDENT),
        ("parents.csv", Role.PARENT),
        ("teachers.csv", Role.INSTRUCTOR),
    )
    sources = [
        jobs.NewSource(role=role, upload=SimpleUploadedFile(name, (folder / name).read_bytes()))
        for name, role in files
    ]
    started = time.perf_counter()
    job = jobs.create_job(org, admin, sources, by=By.account(admin, Door.WEB))
    print(f"stored {job.total:,} rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    jobs.check_job(job)
    print(f"checked them (full check) in {time.perf_counter() - started:.1f} s")
    _analyze()
    return job, admin


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load


def _time_grid(job: Any, admin: Any) -> None:
    from django.test import Client

    from roster.importing.models import ImportFlag, ImportTab

    client = Client()
    client.force_login(admin)
    base = f"/o/bench-grid/imports/{job.pk}/"
    students = ImportTab.objects.get(job=job, position=0)
    flagged = (
        ImportFlag.objects.filter(tab=students, code="invalid_email").order_by("row")[:1].get()
    )
    middle = students.rows // 2
    gets = {
        "first page": base,
        "page 500": f"{base}?page=500",
        "needs attention": f"{base}?show=attention",
        "attention p. 20": f"{base}?show=attention&page=20",
        "jump to a row": f"{base}?row={middle}",
        "parents tab": f"{base}?tab=1",
        "outcome: skipped": f"{base}?show=skipped",
        "outcome: new p. 500": f"{base}?show=new&page=500",
        "outcome: phone updates": f"{base}?show=update:phone",
    }
    database = os.environ["DATABASE_URL"].split(":")[0]
    print(f"Review grid of {job.total:,} rows ({database}), server time per request:")
    for name, url in gets.items():
        _report(name, _getter(client, url))

    def edit(value: str) -> int:
        fields = {"tab": 0, "row": flagged.row, "column": 2, "value": value}
        return client.post(f"{base}cell/", fields, headers={"X-Roster-Grid": "1"}).status_code

    values = iter([f"fixed{i}@school.example.com" for i in range(REPEAT + 1)])
    _report("save one edit", lambda: edit(next(values)))
    _time_fixes(client, job, base)


FIX_REPEAT = 3  # each group fix needs a full check first (its group is read from current flags)


def _time_fixes(client: Any, job: Any, base: str) -> None:
    """Find & replace over the 100,000 cells of a column, a group fix of about 10,000 rows,
    and the undo of each. Their flags are then left for the full check, as in the portal
    (in a task for a job this big); it runs here between steps, untimed."""
    from roster.importing.jobs.fixes import cause_of
    from roster.importing.models import ImportFlag, ImportRow, ImportTab

    students = ImportTab.objects.get(job=job, position=0)
    teacher, parent = (
        students.header.index("Instructor Email"),
        students.header.index("Parent Email"),
    )
    print(f"Review steps over many rows ({students.rows:,} students), server time per request:")

    def post(action: str, fields: dict[str, Any]) -> int:
        data = {"tab": 0} | fields
        response = client.post(f"{base}{action}/", data, headers={"X-Roster-Grid": "1"})
        return int(response.status_code)

    replace = {"column": teacher, "find": "@school.example.com", "replace": "@school.example.org"}
    cells = ImportRow.objects.filter(tab=students, deleted=False).count()
    _report_steps(
        f"find & replace {cells:,} cells",
        lambda: post("replace", replace),
        lambda: post("undo", {}),
    )
    # Every tenth parent (its number ends in 0) becomes one nobody has heard of: about
    # 10,000 students name nobody, one group of flags.
    assert post("replace", {"column": parent, "find": "0@family.", "replace": "0@nowhere."}) == 200
    _check(job)
    flag = ImportFlag.objects.filter(tab=students, code="unknown_association", column=parent)
    cause = cause_of(flag.order_by("row")[:1].get().message)
    size = sum(cause_of(message) == cause for message in flag.values_list("message", flat=True))
    fix = {"code": "unknown_association", "column": parent, "cause": cause, "fix": "drop_link"}

    _report_steps(
        f"group fix {size:,} rows",
        lambda: post("fix", fix),
        lambda: post("undo", {}),
        prepare=lambda: _check(job),
    )


def _check(job: Any) -> None:
    from roster.importing import jobs

    job.refresh_from_db()
    if not job.flags_current:
        assert jobs.check_job(job)


def _report_steps(
    name: str,
    step: Callable[[], int],
    undo: Callable[[], int],
    prepare: Callable[[], None] = lambda: None,
) -> None:
    """Time a step and its undo, FIX_REPEAT times; `prepare` (before each step) is not."""
    steps, undos = [], []
    for _ in range(FIX_REPEAT):
        prepare()
        started = time.perf_counter()
        assert step() == 200
        steps.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        assert undo() == 200
        undos.append((time.perf_counter() - started) * 1000)
    for label, timings in ((name, steps), ("  its undo", undos)):
        print(
            f"  {label:<28} median {statistics.median(timings):7.1f} ms"
            f"   max {max(timings):7.1f} ms"
        )


def _getter(client: Any, url: str) -> Callable[[], int]:
    return lambda: int(client.get(url).status_code)


def _report(name: str, request: Callable[[], int]) -> None:
    assert request() == 200  # warm: templates compiled, connection open
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        assert request() == 200
        timings.append((time.perf_counter() - started) * 1000)
    print(f"  {name:<22} median {statistics.median(timings):7.1f} ms   max {max(timings):7.1f} ms")
