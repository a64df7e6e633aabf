"""Audit entries are never changed or deleted: by the model in Python everywhere, and on
PostgreSQL by a trigger, whatever the client (issue 14)."""

import pytest
from django.db import IntegrityError, connection, transaction

from roster.accounts.models import Account
from roster.audit.log import SYSTEM, By, record
from roster.audit.models import Action, AppendOnlyError, AuditEntry, Door
from roster.audit.purge import organization_deletion
from roster.orgs.models import Organization

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _entry(org: Organization, admin: Account) -> AuditEntry:
    return record(org, Action.EDITED_USER, by=By.account(admin, Door.WEB), account=admin)


def test_the_model_refuses_every_change(org: Organization, admin: Account) -> None:
    entry = _entry(org, admin)
    entry.detail = {"forged": True}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.UPLOADED)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.in_org(org).update(detail={})
    entry.refresh_from_db()
    assert entry.detail == {}  # as recorded


@on_postgresql
def test_postgresql_refuses_update_and_delete_in_sql(org: Organization, admin: Account) -> None:
    entry = _entry(org, admin)
    table = AuditEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'uploaded' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.EDITED_USER


@on_postgresql
def test_postgresql_refuses_deleting_an_organization_that_has_a_log_unless_meant(
    org: Organization, admin: Account
) -> None:
    _entry(org, admin)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Organization.objects.filter(pk=org.pk).delete()
    assert AuditEntry.objects.in_org(org).count() == 1


def test_deleting_an_organization_on_purpose_takes_its_log_only(
    org: Organization, other_org: Organization, admin: Account
) -> None:
    _entry(org, admin)
    record(other_org, Action.CREATED_ORGANIZATION, by=SYSTEM)
    with organization_deletion():
        Organization.objects.filter(pk=org.pk).delete()
    assert list(AuditEntry.objects.values_list("organization_id", flat=True)) == [other_org.pk]
