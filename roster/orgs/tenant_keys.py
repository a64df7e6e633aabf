"""Foreign keys between tenant tables that include the organization (STYLE.md §16).

Django's ForeignKey constrains one column. `SameOrganization` constrains the pair
(organization_id, <field>_id) to the target's (organization_id, id) instead, so that:

- the database itself refuses a row that points into another organization;
- the schema can be distributed by organization (both keys start with it);
- each reference costs one check, not two: a link's organization is implied by the
  account it points to (an import of 150,000 people makes ~350,000 fewer checks).

The ForeignKey stays, with db_constraint=False, for Django's joins and cascades.
"""

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import CASCADE, BaseConstraint, Field, Model

ORGANIZATION = "organization"
# A ForeignKey whose constraint is a SameOrganization of its model (or, for the
# organization itself, implied by one): deleted with what it points to, as Django does.
IN_SAME_ORGANIZATION: dict[str, Any] = {"on_delete": CASCADE, "db_constraint": False}


class SameOrganization(BaseConstraint):
    """(organization, `field`) references (organization, id) of the model `field` points to.

    `field` is a ForeignKey with db_constraint=False.
    """

    def __init__(self, *, field: str, name: str) -> None:
        super().__init__(name=name)
        self.field = field

    def _references(self, model: type[Model], editor: BaseDatabaseSchemaEditor) -> str:
        reference = _column_field(model, self.field)
        # The field's own model, not apps.get_model(): SQLite rebuilds a table with a model
        # in a registry of its own.
        target = reference.related_model
        assert isinstance(target, type) and target._meta.pk is not None
        own = (_column_field(model, ORGANIZATION).column, reference.column)
        theirs = (_column_field(target, ORGANIZATION).column, target._meta.pk.column)

        def columns(names: tuple[str | None, ...]) -> str:
            return ", ".join(editor.quote_name(str(name)) for name in names)

        # Deferred like Django's own foreign keys: checked when the transaction commits.
        return (
            f"FOREIGN KEY ({columns(own)})"
            f" REFERENCES {editor.quote_name(target._meta.db_table)} ({columns(theirs)})"
            " DEFERRABLE INITIALLY DEFERRED"
        )

    def constraint_sql(self, model: type[Model] | None, schema_editor: Any) -> str:
        assert model is not None
        return f"CONSTRAINT {schema_editor.quote_name(self.name)} " + self._references(
            model, schema_editor
        )

    def create_sql(self, model: type[Model] | None, schema_editor: Any) -> str:
        assert model is not None
        table = schema_editor.quote_name(model._meta.db_table)
        return f"ALTER TABLE {table} ADD {self.constraint_sql(model, schema_editor)}"

    def remove_sql(self, model: type[Model] | None, schema_editor: Any) -> str:
        assert model is not None
        table = schema_editor.quote_name(model._meta.db_table)
        return f"ALTER TABLE {table} DROP CONSTRAINT {schema_editor.quote_name(self.name)}"

    def validate(
        self,
        model: type[Model],
        instance: Model,
        exclude: Any = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        """Left to the database, as Django leaves its own foreign keys."""

    def deconstruct(self) -> tuple[str, Sequence[Any], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SameOrganization):
            return (self.name, self.field) == (other.name, other.field)
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash((self.name, self.field))


def _column_field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None
    return field
