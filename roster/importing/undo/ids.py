"""`column = ANY(ids)`: a condition on a list of ids sent as one parameter.

`field__in=NumberList(ids)` reads `IN (SELECT unnest(…))`; when the statistics know
nothing yet of the organization (its accounts and links were all just made by the
import being undone), PostgreSQL expects one row of it and runs the id list once per row
found: minutes at 30,000 ids. `= ANY` of an array is one hashed test per row, or one
index look-up per id, whichever plan it picks.
"""

import json
from collections.abc import Collection, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F
from django.db.models.sql.compiler import SQLCompiler


class IdIn(Expression):
    """`.filter(IdIn("student_id", ids))`: the column's value is one of `ids`."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: Collection[int]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.ids = list(ids)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::bigint[])", (*params, self.ids)
        return f"{column} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.ids))
