"""Every table stays distributable by organization (docs/scaling.md, "Past one PostgreSQL").

Walks every model, the auto-created many-to-many tables included, and fails on any
primary key, unique constraint or foreign key that leaves out the organization
(roster/orgs/distribution.py), except the deliberate ones listed here with their reason.
The checker's own tests below show it catches each kind of mistake.
"""

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Lower
from django.test.utils import isolate_apps

from roster.accounts.models import Account
from roster.orgs.distribution import is_tenant, problems
from roster.orgs.models import Organization
from roster.orgs.tenant_keys import IN_SAME_ORGANIZATION, SameOrganization

SURROGATE_ID = "primary key (id) leaves out the organization"
# Every tenant table's primary key is its surrogate `id`: Django 6.1 cannot point a
# ForeignKey at a model with a CompositePrimaryKey (fields.E347), nor register one in its
# admin. Each referenced table has a unique (organization, id) for SameOrganization to
# point at; distributing redeclares every primary key as (organization_id, id), which
# Django, still querying by id, does not notice (docs/scaling.md).
SURROGATE_REASON = "surrogate id while Django cannot reference composite keys"

EXCEPTIONS = {
    ("accounts.Account", "organization: may be NULL"): (
        "operators (platform staff, Django's admin) are accounts of no organization; "
        "distributing moves them to a table of their own"
    ),
    ("accounts.Account", "unique constraint operator_email_unique leaves out the organization"): (
        "unique among operators only (organization IS NULL): goes with them"
    ),
    ("mail.OutboxMessage", "organization: may be NULL"): (
        "the development mailbox (no SMTP_HOST), empty in production, referenced by "
        "nothing: stays a local table on the coordinator"
    ),
    ("admin.LogEntry", "user: refers to tenant table accounts.Account without the organization"): (
        "Django admin's log of operators' changes: distributing points it at the operators' table"
    ),
    (
        "accounts.Account_groups",
        "account: refers to tenant table accounts.Account without the organization",
    ): "PermissionsMixin's table, never written: Roster grants by role, operators by is_superuser",
    (
        "accounts.Account_user_permissions",
        "account: refers to tenant table accounts.Account without the organization",
    ): "PermissionsMixin's table, never written, like accounts.Account_groups",
    ("api.ApiToken", "secret_hash: unique=True leaves out the organization"): (
        "a bearer token is found by its hash before its organization is known: distributing "
        "keeps API tokens (few rows) a table of the coordinator, or puts the organization's "
        "id in the token's prefix and the key becomes (organization, secret_hash)"
    ),
    ("api.ApiRateWindow", "token: unique=True leaves out the organization"): (
        "one rate window per token, read with it: goes where the tokens go"
    ),
}


def _unexplained(model: type[models.Model]) -> list[str]:
    found = []
    for problem in problems(model):
        if problem == SURROGATE_ID and isinstance(model._meta.pk, models.AutoField):
            continue  # SURROGATE_REASON
        if (model._meta.label, problem) not in EXCEPTIONS:
            found.append(f"{model._meta.label}: {problem}")
    return found


def _every_model() -> list[type[models.Model]]:
    return list(apps.get_models(include_auto_created=True))


def test_every_table_can_be_distributed_by_organization() -> None:
    assert [found for model in _every_model() for found in _unexplained(model)] == []


def test_every_listed_exception_is_still_there() -> None:
    found = {
        (model._meta.label, problem) for model in _every_model() for problem in problems(model)
    }
    assert set(EXCEPTIONS) - found == set()


def test_the_tenant_tables_are_the_ones_with_an_organization() -> None:
    tenants = {model._meta.label for model in _every_model() if is_tenant(model)}
    assert {"accounts.Account", "accounts.StudentParent", "importing.ImportRow"} <= tenants
    assert not {"orgs.Organization", "django_tasks_database.DBTaskResult"} & tenants


# The checker itself, on models made for the test in an app registry of their own.


def _organization() -> Any:
    return models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")


@isolate_apps("tests.tenancy")
def test_a_unique_field_without_the_organization_is_found() -> None:
    class Course(models.Model):  # noqa: DJ008
        organization = _organization()
        code = models.CharField(max_length=20, unique=True)

        class Meta:
            app_label = "tenancy"

    assert "code: unique=True leaves out the organization" in problems(Course)
    assert _unexplained(Course) == ["tenancy.Course: code: unique=True leaves out the organization"]


@isolate_apps("tests.tenancy")
def test_unique_together_and_constraints_without_the_organization_are_found() -> None:
    class Room(models.Model):  # noqa: DJ008
        organization = _organization()
        name = models.CharField(max_length=20)
        floor = models.IntegerField()

        class Meta:
            app_label = "tenancy"
            unique_together = [("name", "floor")]
            constraints = [
                models.UniqueConstraint(Lower("name"), name="room_name_ci"),
                models.UniqueConstraint(fields=["floor"], name="one_room_a_floor"),
                models.UniqueConstraint("organization", Lower("name"), name="room_in_org"),
            ]

    assert problems(Room) == [
        SURROGATE_ID,
        "unique_together ('name', 'floor') leaves out the organization",
        "unique constraint room_name_ci leaves out the organization",
        "unique constraint one_room_a_floor leaves out the organization",
    ]


@isolate_apps("tests.tenancy")
def test_a_foreign_key_between_tenant_tables_must_leave_its_check_to_the_organization() -> None:
    class Lesson(models.Model):  # noqa: DJ008
        organization = _organization()
        teacher = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
        student = models.ForeignKey(Account, related_name="+", **IN_SAME_ORGANIZATION)

        class Meta:
            app_label = "tenancy"
            constraints = [SameOrganization(field="student", name="lesson_student")]

    assert problems(Lesson) == [
        SURROGATE_ID,
        "teacher: refers to tenant table accounts.Account without the organization"
        " (use db_constraint=False and a SameOrganization constraint)",
    ]


@isolate_apps("tests.tenancy")
def test_an_organization_that_may_be_null_is_found() -> None:
    class Visit(models.Model):  # noqa: DJ008
        organization = models.ForeignKey(
            Organization, on_delete=models.CASCADE, related_name="+", null=True
        )

        class Meta:
            app_label = "tenancy"

    assert problems(Visit) == ["organization: may be NULL", SURROGATE_ID]


@isolate_apps("tests.tenancy")
def test_a_global_table_that_names_an_account_is_found() -> None:
    class Note(models.Model):  # noqa: DJ008
        account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "tenancy"

    assert problems(Note) == [
        "account: refers to tenant table accounts.Account without the organization"
    ]


@isolate_apps("tests.tenancy")
def test_keys_that_carry_the_organization_pass() -> None:
    class Badge(models.Model):  # noqa: DJ008
        pk = models.CompositePrimaryKey("organization", "code")
        organization = _organization()
        code = models.CharField(max_length=20)
        owner = models.ForeignKey(Account, related_name="+", **IN_SAME_ORGANIZATION)

        class Meta:
            app_label = "tenancy"
            constraints = [
                SameOrganization(field="owner", name="badge_owner"),
                models.UniqueConstraint("organization", Lower("code"), name="badge_code_ci"),
            ]

    assert problems(Badge) == []


@isolate_apps("tests.tenancy")
def test_a_primary_key_other_than_the_surrogate_id_is_not_excused() -> None:
    class Locker(models.Model):  # noqa: DJ008
        number = models.CharField(max_length=10, primary_key=True)
        organization = _organization()

        class Meta:
            app_label = "tenancy"

    assert _unexplained(Locker) == [
        "tenancy.Locker: primary key (number) leaves out the organization"
    ]


@pytest.mark.parametrize("label", sorted({label for label, _ in EXCEPTIONS}))
def test_each_exception_names_a_real_model(label: str) -> None:
    assert apps.get_model(label) is not None
