"""User Management at scale: one organization with N accounts, timed at the server.

python -m bench portal [--accounts 200000] [--database-url URL]
Without --database-url it uses a throwaway SQLite file under bench/out/.
"""

import argparse
import os
import statistics
import time

from bench.django_setup import start_django


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench portal")
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    args, _ = parser.parse_known_args(argv)
    start_django("portal", args.database_url)
    admin = _populate(args.accounts)
    _time_pages(admin, args.accounts)
    return 0


def _populate(n: int) -> object:
    from roster.accounts.models import Account, Role, Status
    from roster.audit.purge import organization_deletion
    from roster.orgs.models import Organization

    with organization_deletion():  # a run before left its audit log
        Organization.objects.filter(slug="bench-portal").delete()
    org = Organization.objects.create(slug="bench-portal", name="Bench")
    roles = [Role.STUDENT] * 14 + [Role.PARENT] * 5 + [Role.INSTRUCTOR]
    started = time.perf_counter()
    batch: list[Account] = []
    for i in range(n):
        role = roles[i % len(roles)]
        batch.append(
            Account(
                organization=org,
                role=role,
                first_name=f"First{i % 997}",
                last_name=f"Last{i:07}",
                email=f"person{i}@bench.example.com",
                status=Status.ACTIVE if i % 3 else Status.PENDING,
            )
        )
        if len(batch) == 5000:
            Account.objects.bulk_create(batch)
            batch.clear()
    Account.objects.bulk_create(batch)
    admin = Account(
        organization=org,
        role=Role.ADMIN,
        email="admin@bench.example.com",
        first_name="A",
        last_name="B",
        status=Status.ACTIVE,
    )
    admin.save()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load
    print(f"created {n:,} accounts in {time.perf_counter() - started:.1f} s")
    return admin


def _time_pages(admin: object, n: int) -> None:
    from django.test import Client

    client = Client()
    client.force_login(admin)  # type: ignore[arg-type]
    pages = {
        "first page": "/o/bench-portal/users/",
        "page 2000": "/o/bench-portal/users/?page=2000",
        "search name": "/o/bench-portal/users/?q=last0123",
        "search email": "/o/bench-portal/users/?q=person19999@",
        "role+status": "/o/bench-portal/users/?role=parent&status=pending",
        "user page": "/o/bench-portal/users/{}/",
    }
    from roster.accounts.models import Account

    some = Account.objects.filter(organization=admin.organization).order_by("id")[n // 2]  # type: ignore[attr-defined]
    pages["user page"] = pages["user page"].format(some.pk)
    print(f"User Management with {n:,} accounts ({os.environ['DATABASE_URL'].split(':')[0]}):")
    for name, url in pages.items():
        timings = []
        client.get(url)  # warm: templates compiled, connection open
        for _ in range(5):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"  {name:<14} median {statistics.median(timings):7.1f} ms   max {max(timings):7.1f} ms"
        )
