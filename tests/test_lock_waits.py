"""bench/lock_waits.py counts a wait for an organization's lock, and nothing else as one."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from bench.lock_waits import LockWaits, kind_of
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization


def test_waits_are_told_apart_by_what_was_locked() -> None:
    locking = 'SELECT "orgs_organization"."id" FROM "orgs_organization" WHERE … FOR UPDATE'
    assert kind_of("transactionid", locking) == "organization lock"
    assert kind_of("tuple", locking) == "organization lock"
    assert kind_of("extend", 'INSERT INTO "accounts_account" …') == "table growth"
    assert kind_of("transactionid", 'SELECT … FROM "orgs_organization"') == "other (transactionid)"


@pytest.mark.django_db(transaction=True)
def test_a_writer_waiting_for_another_writer_of_its_organization_is_measured() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_locks is PostgreSQL's")
    org = Organization.objects.create(slug="waits", name="Waits")

    def second_writer() -> None:
        with transaction.atomic():
            lock_accounts_of(org)
        connections.close_all()

    with LockWaits() as waits:
        with transaction.atomic():
            lock_accounts_of(org)
            other = threading.Thread(target=second_writer)
            other.start()
            time.sleep(1.0)
        other.join()
    assert waits.seconds.get("organization lock", 0) > 0  # seen waiting, whatever the load
    assert set(waits.seconds) == {"organization lock"}
