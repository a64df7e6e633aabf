"""How long an activation email waits while another organization's big check runs.

    python -m bench queues [--rows 100000] [--database-url URL]

Starts real task workers, as docs/operations.md sets them up (one on `imports`, one on
`default`) and, for comparison, as one worker serving every queue; with them idle,
enqueues the full check of an N-row import, then, half a second later, one activation
email of another organization, and prints when each finished. Use PostgreSQL (SQLite
has one writer at a time, so there the check's writes hold up the email's anyway).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.django_setup import start_django

ROOT = Path(__file__).resolve().parents[1]
SET_UPS = {"one worker, every queue": ["*"], "documented workers": ["imports", "default"]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench queues")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args, _ = parser.parse_known_args(argv)
    start_django("queues", args.database_url)
    for name, queues in SET_UPS.items():
        email, check = _race(args.rows, queues)
        print(f"{name:24} email sent after {email:5.1f} s; the check done after {check:5.1f} s")
    return 0


def _race(rows: int, queues: list[str]) -> tuple[float, float]:
    from roster.accounts.delivery import record_invitations
    from roster.accounts.models import Account, Invitation, Role, Status
    from roster.audit.log import By
    from roster.audit.models import Door
    from roster.importing import jobs
    from roster.importing.tasks import check_import_job
    from roster.orgs.models import Organization

    stamp = time.time_ns()
    big = Organization.objects.create(slug=f"bench-big-{stamp}", name="Big")
    small = Organization.objects.create(slug=f"bench-small-{stamp}", name="Small")
    text = "First Name,Last Name,Email\n" + "".join(
        f"Kid{n},Family{n},kid{n}@example.com\n" for n in range(rows)
    )
    admin = Account.objects.create(organization=big, role=Role.ADMIN, email="a@bench.example")
    job = jobs.create_job(
        big, admin, [jobs.NewSource(Role.STUDENT, text=text)], by=By.account(admin, Door.WEB)
    )
    kid = Account.objects.create(
        organization=small, role=Role.STUDENT, email="kid@example.com", status=Status.PENDING
    )
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    workers = [
        subprocess.Popen(
            [*command, "--interval", "0.2", "--queue-name", queue, "-v0"], cwd=ROOT, env=os.environ
        )
        for queue in queues
    ]
    try:
        time.sleep(8)  # started and idle
        started = time.monotonic()
        check_import_job.enqueue(job.pk)
        time.sleep(0.5)  # a worker has taken the check
        record_invitations(small, [kid])
        email = check = 0.0
        while not (email and check):
            if not email and Invitation.objects.get(account=kid).status == "sent":
                email = time.monotonic() - started
            job.refresh_from_db()
            if not check and job.checked:
                check = time.monotonic() - started
            time.sleep(0.1)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()
    return email, check
