"""Drafts and the fix file at scale: the import of `bench grid` (N students, N/2 parents,
N/20 instructors), its fix file downloaded and uploaded back, then discarded.

    python -m bench drafts [--students 100000] [--database-url URL]

Each request goes through Django's test client, once (each changes what the next sees),
so the figures are the server's time for one request.
"""

import argparse
import time
from pathlib import Path
from typing import Any

from bench.django_setup import OUT, start_django
from bench.generate import generate
from bench.grid import _make_job


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench drafts")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args, _ = parser.parse_known_args(argv)
    folder = generate(args.students)
    start_django("drafts", args.database_url, OUT / "drafts-var")
    job, admin = _make_job(folder)
    _time_requests(job, admin, OUT / "drafts-fix.xlsx")
    return 0


def _time_requests(job: Any, admin: Any, fix: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from roster.importing import jobs
    from roster.importing.models import ImportRow

    client = Client()
    client.force_login(admin)
    base = f"/o/bench-grid/imports/{job.pk}/"
    flagged = ImportRow.objects.filter(job=job, severity__gt=0).count()
    print(f"Import of {job.total:,} rows, {flagged:,} needing attention; one request each:")
    response = _timed("rows to fix (.xlsx)", lambda: client.get(f"{base}fix-rows.xlsx"))
    fix.write_bytes(response.content)
    print(f"  {'':<22} {len(response.content) / 1e6:.1f} MB")
    every = _timed("all rows (.xlsx)", lambda: client.get(f"{base}fix-rows.xlsx?rows=all"))
    print(f"  {'':<22} {len(every.content) / 1e6:.1f} MB")
    upload = {"fix_file": SimpleUploadedFile("fix.xlsx", fix.read_bytes())}
    revision = job.revision
    _timed("upload rows to fix", lambda: client.post(f"{base}fix-rows/", upload))
    job.refresh_from_db()
    assert job.revision == revision + 1, "the upload was refused"
    _timed("discard the import", lambda: client.post(f"{base}discard/"))
    # A draft this big leaves its rows to a task (jobs.purge_job): timed here, at the core.
    started = time.perf_counter()
    jobs.purge_job(job.pk)
    print(f"  {'its rows deleted (task)':<22} {(time.perf_counter() - started) * 1000:9.0f} ms")
    assert not ImportRow.objects.filter(job=job).exists()


def _timed(name: str, request: Any) -> Any:
    started = time.perf_counter()
    response = request()
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    print(f"  {name:<22} {elapsed * 1000:9.0f} ms", flush=True)
    return response
