"""What the organization already holds for the identities an import names.

Loaded in at most three queries whatever the import's size: the accounts whose email or
username is one of the import's identity keys, and the links of the students among them. The keys travel
as one array parameter that the database unpacks (a JSON array for json_each on SQLite,
an array for unnest on PostgreSQL, whose planner then knows how many values there are),
so there is no IN list to chunk and no query per row. Every query is filtered by
organization.
"""

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Expression, Q, TextField
from django.db.models.functions import Lower
from django.db.models.sql.compiler import SQLCompiler

from roster.accounts.models import Account, Role, StudentInstructor, StudentParent
from roster.importing.fields import identity_key
from roster.orgs.models import Organization


class KeyList(Expression):
    """A list of strings sent as one parameter, for `field__in=KeyList(values)`."""

    array_type = "text"

    def __init__(self, values: Collection[str]) -> None:
        super().__init__(output_field=TextField())
        self.values = values

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:  # a list is a parameter too (an array to psycopg)
        if connection.vendor == "postgresql":
            # Not a JSON array: the planner would guess 100 values, and for a few keys
            # prefer scanning a big table to looking each key up in its index.
            return f"(SELECT unnest(%s::{self.array_type}[]))", (list(self.values),)
        return "(SELECT value FROM json_each(%s))", (
            json.dumps(list(self.values), ensure_ascii=False),
        )


class NumberList(KeyList):
    """A list of integers (row ids, row numbers) sent as one parameter, like KeyList."""

    array_type = "bigint"

    def __init__(self, values: Collection[int]) -> None:
        Expression.__init__(self, output_field=BigIntegerField())
        self.values = values  # type: ignore[assignment]


class Known(NamedTuple):
    """An existing account, as much of it as planning compares."""

    id: int
    role: str
    first_name: str
    last_name: str
    email: str
    username: str
    phone: str


KNOWN_FIELDS = Known._fields


@dataclass(frozen=True, slots=True)
class Directory:
    """Existing accounts by identity key (email and username), and their links."""

    accounts: dict[str, Known]
    student_parent: frozenset[tuple[int, int]]
    student_instructor: frozenset[tuple[int, int]]
    students_with_parents: frozenset[int]
    # The identity keys it was loaded for, to load it again (not part of its value).
    keys: Collection[str] = field(default=(), compare=False, repr=False)

    @classmethod
    def load(cls, org: Organization, keys: Collection[str]) -> "Directory":
        """The accounts of `org` named by `keys` (identity keys), in at most three queries."""
        if not keys:
            return cls({}, frozenset(), frozenset(), frozenset(), keys)
        matched = (
            Account.objects.in_org(org)
            .alias(email_key=Lower("email"), username_key=Lower("username"))
            .filter(
                Q(email_key__in=KeyList([key for key in keys if "@" in key]))
                | Q(username_key__in=KeyList([key for key in keys if "@" not in key]))
            )
        )
        accounts: dict[str, Known] = {}
        students: list[int] = []
        for values in matched.values_list(*KNOWN_FIELDS).iterator(chunk_size=10_000):
            known = Known(*values)
            for value in (known.email, known.username):
                if value:
                    accounts[identity_key(value)] = known
            if known.role == Role.STUDENT:
                students.append(known.id)
        if not students:  # a first import: no links to look for
            return cls(accounts, frozenset(), frozenset(), frozenset(), keys)
        ids = NumberList(students)
        parents = StudentParent.objects.filter(organization=org, student__in=ids)
        instructors = StudentInstructor.objects.filter(organization=org, student__in=ids)
        student_parent = frozenset(parents.values_list("student_id", "parent_id"))
        return cls(
            accounts,
            student_parent,
            frozenset(instructors.values_list("student_id", "instructor_id")),
            frozenset(student for student, _ in student_parent),
            keys,
        )

    def find(self, key: str) -> Known | None:
        return self.accounts.get(key)

    def has_parent(self, student_id: int) -> bool:
        return student_id in self.students_with_parents
