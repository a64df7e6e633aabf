"""What the organization already holds for the identities an import names.

Loaded in a few queries per 50,000 keys: the accounts whose email or username is one of
the import's identity keys, and the links of the students among them. The keys travel
as one array parameter that the database unpacks (a JSON array for json_each on SQLite,
an array for unnest on PostgreSQL, whose planner then knows how many values there are):
no IN list of placeholders, and no query per row. Every query is filtered by
organization.
"""

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from itertools import batched
from typing import Any, NamedTuple

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BigIntegerField, Expression, Q, QuerySet, TextField
from django.db.models.functions import Lower
from django.db.models.sql.compiler import SQLCompiler

from roster.accounts.models import Account, Role, StudentInstructor, StudentParent
from roster.importing.fields import identity_key
from roster.orgs.models import Organization

# Keys sent in one query: a 1,000,000-student import names 1,500,000 identities, and one
# parameter holding them all costs hundreds of MB while the database unpacks it.
KEYS_PER_QUERY = 50_000


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
        """The accounts of `org` named by `keys` (identity keys), and their links.

        A few queries per KEYS_PER_QUERY keys at most; two for an import into an
        organization that holds fewer accounts than the import names.
        """
        accounts: dict[str, Known] = {}
        students: dict[int, None] = {}  # ids in order, each once
        for known in _named(org, keys):
            for value in (known.email, known.username):
                if value:
                    accounts[identity_key(value)] = known
            if known.role == Role.STUDENT:
                students[known.id] = None
        parent_links: set[tuple[int, int]] = set()
        instructor_links: set[tuple[int, int]] = set()
        for ids in batched(students, KEYS_PER_QUERY, strict=False):
            of_students = {"organization": org, "student__in": NumberList(ids)}
            parents = StudentParent.objects.filter(**of_students)
            parent_links.update(parents.values_list("student_id", "parent_id"))
            instructors = StudentInstructor.objects.filter(**of_students)
            instructor_links.update(instructors.values_list("student_id", "instructor_id"))
        return cls(
            accounts,
            frozenset(parent_links),
            frozenset(instructor_links),
            frozenset(student for student, _ in parent_links),
            keys,
        )

    def find(self, key: str) -> Known | None:
        return self.accounts.get(key)

    def has_parent(self, student_id: int) -> bool:
        return student_id in self.students_with_parents


def _named(org: Organization, keys: Collection[str]) -> Iterator[Known]:
    """The accounts of `org` whose email or username is one of `keys`.

    Sending the keys costs more than reading the organization's accounts when it has
    fewer of them (a new organization's first import): those are read and picked here.
    """
    if not keys:
        return
    accounts = Account.objects.in_org(org)
    if accounts[: len(keys)].count() < len(keys):
        wanted = keys if isinstance(keys, set | frozenset | dict) else set(keys)
        for known in _known(accounts):
            if any(
                value and identity_key(value) in wanted for value in (known.email, known.username)
            ):
                yield known
        return
    for chunk in batched(keys, KEYS_PER_QUERY, strict=False):
        yield from _known(_matching(accounts, chunk))


def _matching(accounts: QuerySet[Account], keys: Collection[str]) -> QuerySet[Account]:
    """Those of `accounts` whose email or username is one of `keys`."""
    return accounts.alias(email_key=Lower("email"), username_key=Lower("username")).filter(
        Q(email_key__in=KeyList([key for key in keys if "@" in key]))
        | Q(username_key__in=KeyList([key for key in keys if "@" not in key]))
    )


def _known(accounts: QuerySet[Account]) -> Iterator[Known]:
    return map(Known._make, accounts.values_list(*KNOWN_FIELDS).iterator(chunk_size=10_000))
