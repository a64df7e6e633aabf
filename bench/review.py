"""The review of a big import, timed at the server: create, full check, and single edits.

    python -m bench review [--rows 100000] [--database-url URL] [--no-verify]

Builds a job of about N rows with jobs.create_job (students naming a parent and an
instructor, their parents and instructors, about 2 % bad rows: bench/generate.py's
rows) and checks it in full with check_job, then times edits of different kinds through
jobs.edit_cell and jobs.delete_rows, each committed on its own as a request would. Then
(unless --no-verify) checks that the flags the edits left equal a full check's.
Without --database-url it uses a throwaway SQLite file under bench/out/.

More timings (the review pages) are functions taking the job, added to TIMINGS.
"""

import argparse
import csv
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.django_setup import start_django
from bench.generate import OTHER_HEADER, STUDENT_HEADER, instructors, parents, students


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench review")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-verify", action="store_true")
    args, _ = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as uploads:
        start_django("review", args.database_url, Path(uploads))
        job = _create_and_check(args.rows)
        for timing in TIMINGS:
            timing(job)
        if not args.no_verify:
            _verify(job)
    return 0


def _csv(header: list[str], rows: Iterator[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _create_and_check(rows: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from roster.accounts.models import Account, Role
    from roster.audit.log import By
    from roster.audit.models import Door
    from roster.importing import jobs
    from roster.orgs.models import Organization

    n = rows * 20 // 31  # students; with n / 2 parents and n / 20 instructors: ~rows
    files = [
        (Role.STUDENT, "students.csv", _csv(STUDENT_HEADER, students(n, random.Random(n)))),
        (Role.PARENT, "parents.csv", _csv(OTHER_HEADER, parents(n, random.Random(n)))),
        (Role.INSTRUCTOR, "teachers.csv", _csv(OTHER_HEADER, instructors(n, random.Random(n)))),
    ]
    org = Organization.objects.create(slug=f"bench-review-{time.time_ns()}", name="Bench")
    admin = Account.objects.create(organization=org, role=Role.ADMIN, email="a@bench.example")
    sources = [
        jobs.NewSource(role, upload=SimpleUploadedFile(name, data)) for role, name, data in files
    ]
    started = time.perf_counter()
    job = jobs.create_job(org, admin, sources, by=By.account(admin, Door.WEB))
    created = time.perf_counter()
    jobs.check_job(job)
    checked = time.perf_counter()
    print(f"A job of {job.total:,} rows on {connection.vendor}:")
    print(f"  create_job {created - started:7.2f} s")
    print(f"  check_job  {checked - created:7.2f} s   (the full check)", flush=True)
    return job


def _core_edits(job: Any) -> None:
    """Each kind of edit the grid sends, at the core: jobs.edit_cell and jobs.delete_rows."""
    timings = []
    print("  one edit, re-checked at once (each in its own transaction):")
    for name, change in _edits(job):
        started = time.perf_counter()
        change()
        took = (time.perf_counter() - started) * 1000
        timings.append(took)
        state = "" if job.flags_current else "   flags left for a full check"
        print(f"    {name:<44} {took:7.1f} ms{state}", flush=True)
    median, worst = statistics.median(timings), max(timings)
    print(f"  {len(timings)} edits: median {median:.1f} ms, max {worst:.1f} ms", flush=True)


TIMINGS: list[Callable[[Any], None]] = [_core_edits]


def _edits(job: Any) -> list[tuple[str, Callable[[], object]]]:
    from roster.audit.log import By
    from roster.audit.models import Door
    from roster.importing import jobs
    from roster.importing.models import ImportFlag, ImportRow, ImportTab

    by = By.account(job.created_by, Door.WEB)  # as the portal's requests would
    students, parents, teachers = ImportTab.objects.filter(job=job).order_by("position")

    def cell(tab: Any, number: int, header: str, value: str) -> Callable[[], object]:
        return lambda: jobs.edit_cell(job, tab, number, tab.header.index(header), value, by=by)

    def flagged(code: str) -> int:
        return ImportFlag.objects.filter(tab=students, code=code).order_by("row")[0].row or 0

    def email(tab: Any, number: int) -> str:
        cells = ImportRow.objects.get(tab=tab, number=number).cells
        return str(cells[tab.header.index("Email")])

    middle = students.rows // 2  # student i is on row i + 2; every tenth has a username only

    def delete(job: Any, tab: Any, numbers: Any) -> int:
        return jobs.delete_rows(job, tab, numbers, by=by)

    return [
        ("fix an invalid email", cell(students, flagged("invalid_email"), "Email", "ok@x.org")),
        ("fix a missing last name", cell(students, flagged("missing_required"), "Last Name", "Ng")),
        ("fix an unknown parent", cell(students, flagged("unknown_association"), "Parent Email", "parent1@family.example.com")),
        ("student's first name", cell(students, middle, "First Name", "Renamed")),
        ("student's phone", cell(students, middle + 1, "Phone", "(415) 555-0199")),
        ("student's email", cell(students, middle + 2, "Email", "moved@school.example.com")),
        ("student's email, a duplicate", cell(students, middle + 3, "Email", email(students, middle + 4))),
        ("student's email, the duplicate fixed", cell(students, middle + 3, "Email", email(students, middle + 3))),
        ("username of a username-only student", cell(students, 11, "Username", "renamed9")),
        ("parent email of a username-only student", cell(students, 21, "Parent Email", "parent0@family.example.com")),
        ("student's parent email, another parent", cell(students, middle + 5, "Parent Email", "parent3@family.example.com")),
        ("student's instructor email", cell(students, middle + 6, "Instructor Email", "teacher1@school.example.com")),
        ("parent's email (two students name it)", cell(parents, 101, "Email", "moved@family.example.com")),
        ("parent's email back", cell(parents, 101, "Email", email(parents, 101))),
        ("parent's phone", cell(parents, 102, "Phone", "415 555 0123")),
        ("instructor's email (20 students name it)", cell(teachers, 12, "Email", "moved@school.example.com")),
        ("instructor's email back", cell(teachers, 12, "Email", email(teachers, 12))),
        ("delete a student", lambda: delete(job, students, [middle + 7])),
        ("delete a parent", lambda: delete(job, parents, [103])),
        ("delete 10 students", lambda: delete(job, students, range(middle + 10, middle + 20))),
    ]  # fmt: skip


def _verify(job: Any) -> None:
    """The flags the edits left are those a full check stores."""
    from roster.importing import jobs
    from roster.importing.models import ImportFlag

    def flags() -> set[tuple[Any, ...]]:
        found = ImportFlag.objects.filter(job=job)
        return set(found.values_list("tab_id", "row", "column", "code", "severity", "message"))

    after_edits = flags()
    started = time.perf_counter()
    jobs.check_job(job)
    took = time.perf_counter() - started
    same = "equal" if flags() == after_edits else "DIFFER FROM"
    print(f"  the {len(after_edits):,} flags after the edits {same} a full check's ({took:.1f} s)")
