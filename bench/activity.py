"""Activity (the audit log) at scale: N entries in one organization and N in another,
its pages and its CSV timed at the server.

python -m bench activity [--entries 200000] [--database-url URL]
Without --database-url it uses a throwaway SQLite file under bench/out/.
"""

import argparse
import os
import statistics
import time
from typing import Any

from bench.django_setup import start_django

BATCH = 10_000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench activity")
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    args, _ = parser.parse_known_args(argv)
    start_django("activity", args.database_url)
    admin = _populate(args.entries)
    _time_pages(admin, args.entries)
    return 0


def _populate(n: int) -> Any:
    from django.db import connection

    from roster.accounts.models import Account, Role, Status
    from roster.audit.models import Action, AuditEntry, Door
    from roster.audit.purge import organization_deletion
    from roster.orgs.models import Organization

    with organization_deletion():  # a run before left its log
        Organization.objects.filter(slug__in=["bench-activity", "bench-other"]).delete()
    started = time.perf_counter()
    actions = list(Action.values)
    for slug in ("bench-other", "bench-activity"):  # ours last: the newest entries
        org = Organization.objects.create(slug=slug, name="Bench")
        admin = Account.objects.create(
            organization=org,
            role=Role.ADMIN,
            email=f"admin@{slug}.example.com",
            first_name="Ada",
            last_name="Admin",
            status=Status.ACTIVE,
        )
        for start in range(0, n, BATCH):
            AuditEntry.objects.bulk_create(
                AuditEntry(
                    organization=org,
                    action=actions[i % len(actions)],
                    door=Door.WEB,
                    actor_id=admin.pk,
                    actor_label=f"Ada Admin <admin@{slug}.example.com>",
                    ip="203.0.113.7",
                    account_label=f"Kid{i} Family{i} <kid{i}@example.com>",
                    detail={"rows": i},
                )
                for i in range(start, min(start + BATCH, n))
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load (it also merges the GIN indexes' pending
            # entries, which a search would otherwise read one by one).
            cursor.execute("VACUUM ANALYZE audit_auditentry")
    print(f"recorded {2 * n:,} entries in {time.perf_counter() - started:.1f} s")
    return admin


def _time_pages(admin: Any, n: int) -> None:
    from django.test import Client

    client = Client()
    client.force_login(admin)
    pages = {
        "first page": "/o/bench-activity/activity/",
        "page 2000": "/o/bench-activity/activity/?page=2000",
        "person": "/o/bench-activity/activity/?person=kid12345@",
        "action": "/o/bench-activity/activity/?action=resent",
        "dates": "/o/bench-activity/activity/?since=2000-01-01&until=2100-01-01",
    }
    print(f"Activity with {n:,} entries ({os.environ['DATABASE_URL'].split(':')[0]}):")
    for name, url in pages.items():
        timings = []
        client.get(url)  # warm: templates compiled, connection open
        for _ in range(5):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"  {name:<11} median {statistics.median(timings):7.1f} ms   max {max(timings):7.1f} ms"
        )
    started = time.perf_counter()
    response = client.get("/o/bench-activity/activity.csv")
    streamed = response.streaming_content  # type: ignore[attr-defined]
    lines = sum(chunk.count(b"\n") for chunk in streamed)
    print(f"  CSV of {lines - 1:,} entries: {time.perf_counter() - started:.1f} s")
