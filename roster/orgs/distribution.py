"""Whether each table could be distributed by organization as it is (STYLE.md §16).

Citus (docs/scaling.md) distributes a table by one column and then requires that column
in every primary key and unique constraint of the table, and in both sides of every
foreign key between distributed tables. `problems(model)` names what in a model's
definition breaks that, so a test can walk every model and a new table cannot silently
make the schema undistributable.

A tenant model is one with a ForeignKey to Organization. Its rules:

- the organization is never NULL (a distributed row needs its distribution value);
- the primary key includes the organization;
- every unique field, unique_together and UniqueConstraint includes it;
- a ForeignKey to another tenant model has no one-column constraint of its own
  (db_constraint=False); a SameOrganization constraint makes the database check
  (organization, field) against the target's (organization, id) instead, where wanted.

Any other model with a ForeignKey to a tenant model leaves the organization out of that
reference, so it is a problem too.
"""

from collections.abc import Iterator
from typing import Any

from django.db import models

from roster.orgs.models import Organization
from roster.orgs.tenant_keys import ORGANIZATION


def is_tenant(model: type[models.Model]) -> bool:
    return _organization_field(model) is not None


def problems(model: type[models.Model]) -> list[str]:
    """What keeps `model`'s table from being distributed by organization; [] when nothing."""
    if not is_tenant(model):
        return [
            f"{field.name}: refers to tenant table {_label(field)} without the organization"
            for field in _references(model)
            if is_tenant(field.related_model)
        ]
    found = [*_key_problems(model), *_reference_problems(model)]
    organization = _organization_field(model)
    if organization is not None and organization.null:
        found.insert(0, f"{organization.name}: may be NULL")
    return found


def _key_problems(model: type[models.Model]) -> Iterator[str]:
    pk = model._meta.pk
    assert pk is not None
    if not _includes_organization(_pk_names(pk)):
        yield f"primary key ({', '.join(_pk_names(pk))}) leaves out the organization"
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and field.name != ORGANIZATION:
            yield f"{field.name}: unique=True leaves out the organization"
    for together in model._meta.unique_together:
        if not _includes_organization(together):
            yield f"unique_together {tuple(together)} leaves out the organization"
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names = [*constraint.fields, *_expression_names(constraint.expressions)]
            if not _includes_organization(names):
                yield f"unique constraint {constraint.name} leaves out the organization"


def _reference_problems(model: type[models.Model]) -> Iterator[str]:
    for field in _references(model):
        if field.related_model is Organization or not is_tenant(field.related_model):
            continue
        if getattr(field, "db_constraint", True):  # not in django-stubs' ForeignKey
            yield (
                f"{field.name}: refers to tenant table {_label(field)} without the"
                " organization (use db_constraint=False and a SameOrganization constraint)"
            )


def _organization_field(model: Any) -> models.ForeignKey[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is Organization:
            return field
    return None


def _references(model: type[models.Model]) -> Iterator[models.ForeignKey[Any, Any]]:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and isinstance(field.related_model, type):
            yield field


def _includes_organization(names: Any) -> bool:
    return ORGANIZATION in names or f"{ORGANIZATION}_id" in names


def _pk_names(pk: models.Field[Any, Any]) -> list[str]:
    if isinstance(pk, models.CompositePrimaryKey):
        return list(pk.field_names)
    return [pk.name]


def _expression_names(expressions: Any) -> Iterator[str]:
    for expression in expressions:
        if isinstance(expression, models.F):
            yield str(getattr(expression, "name", ""))
        elif hasattr(expression, "get_source_expressions"):
            yield from _expression_names(expression.get_source_expressions())


def _label(field: models.ForeignKey[Any, Any]) -> str:
    return str(field.related_model._meta.label)
