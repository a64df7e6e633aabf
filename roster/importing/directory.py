"""What the organization already holds for the identities an import names.

Loaded in a few queries per 50,000 keys: the accounts whose email or username is one of
the import's identity keys, and the links of the students among them (an organization
holding fewer accounts than the import names has its accounts and links read whole and
picked here, which costs less than sending the keys). The keys travel
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

from roster.accounts.models import Account, ExternalId, Role, StudentInstructor, StudentParent
from roster.importing.collector import collector_held
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

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        if connection.vendor == "postgresql":
            # The array's text, written in one join: the driver dumps a list of ints one
            # element at a time (~0.45 s for the links of 100,000 students' directory).
            literal = "{" + ",".join(map(str, map(int, self.values))) + "}"
            return "(SELECT unnest(%s::bigint[]))", (literal,)
        return super().as_sql(compiler, connection)


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
    # (school system, id) → the account holding that id (ExternalId), for the ids the
    # import's rows carry; and (account id, system) → the id it holds, for the accounts
    # found either way, so a row naming an account by email that the system knows by
    # another id is seen (plan.py).
    external: dict[tuple[str, str], Known] = field(default_factory=dict)
    held: dict[tuple[int, str], str] = field(default_factory=dict)
    # The identity keys it was loaded for, to load it again (not part of its value).
    keys: Collection[str] = field(default=(), compare=False, repr=False)
    external_keys: Collection[tuple[str, str]] = field(default=(), compare=False, repr=False)

    @classmethod
    @collector_held()
    def load(
        cls, org: Organization, keys: Collection[str], external: Collection[tuple[str, str]] = ()
    ) -> "Directory":
        """The accounts of `org` named by `keys` (identity keys) or holding one of the
        `external` ids, and their links.

        A few queries per KEYS_PER_QUERY keys at most; two for an import into an
        organization that holds fewer accounts than the import names, two more when the
        import carries a school system's ids.
        """
        accounts: dict[str, Known] = {}
        students: dict[int, None] = {}  # ids in order, each once
        by_id = _by_external_id(org, external)
        whole = _is_smaller(org, keys)
        for known, email, username in _named(org, keys, whole):
            if email:
                accounts[email] = known
            if username:
                accounts[username] = known
            if known.role == Role.STUDENT:
                students[known.id] = None
        for known in by_id.values():
            if known.role == Role.STUDENT:
                students[known.id] = None
        parent_links, instructor_links = _links(org, students, whole)
        return cls(
            accounts,
            frozenset(parent_links),
            frozenset(instructor_links),
            frozenset(student for student, _ in parent_links),
            by_id,
            _held(org, external, by_id, accounts),
            keys,
            external,
        )

    def find(self, key: str) -> Known | None:
        return self.accounts.get(key)

    def find_by_id(self, key: tuple[str, str]) -> Known | None:
        """The account holding a school system's id (key: (system, id))."""
        return self.external.get(key)

    def held_id(self, account_id: int, source: str) -> str:
        """The id an account holds in a school system ("" when none)."""
        return self.held.get((account_id, source), "")

    def by_account(self) -> dict[int, Known]:
        """Every account the directory holds, by id."""
        return {known.id: known for known in (*self.accounts.values(), *self.external.values())}

    def has_parent(self, student_id: int) -> bool:
        return student_id in self.students_with_parents


def _is_smaller(org: Organization, keys: Collection[str]) -> bool:
    """Whether `org` holds fewer accounts than the import names (a new organization's
    first import, a re-import): then reading its accounts and links whole costs less than
    sending the keys and ids."""
    return bool(keys) and Account.objects.in_org(org)[: len(keys)].count() < len(keys)


def _named(
    org: Organization, keys: Collection[str], whole: bool
) -> Iterator[tuple[Known, str, str]]:
    """The accounts of `org` whose email or username is one of `keys`, each with the
    identity keys of its email and username ("" for an empty one), worked out once.

    `whole` (_is_smaller): the organization's accounts are read and picked here.
    """
    if not keys:
        return
    accounts = Account.objects.in_org(org)
    if whole:
        wanted: Collection[str] = ()  # made a set at the first account (none: no set at all)
        for known in _known(accounts):
            if not wanted:
                wanted = keys if isinstance(keys, set | frozenset | dict) else set(keys)
            email, username = _key_of(known.email), _key_of(known.username)
            if (email and email in wanted) or (username and username in wanted):
                yield known, email, username
        return
    for chunk in batched(keys, KEYS_PER_QUERY, strict=False):
        for known in _known(_matching(accounts, chunk)):
            yield known, _key_of(known.email), _key_of(known.username)


def _links(
    org: Organization, students: dict[int, None], whole: bool
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The (student, parent) and (student, instructor) links of `students` (ids).

    `whole`: the organization's links are read and picked here, as its accounts were
    (a re-import of 100,000 students: 0.25-0.41 s, against 0.44-0.60 s by ids).
    """
    parent_links: set[tuple[int, int]] = set()
    instructor_links: set[tuple[int, int]] = set()
    if not students:
        return parent_links, instructor_links
    if whole:  # streamed: an organization's links are never all in memory as rows
        parents = StudentParent.objects.filter(organization=org)
        pairs = parents.values_list("student_id", "parent_id").iterator(chunk_size=10_000)
        parent_links.update(pair for pair in pairs if pair[0] in students)
        instructors = StudentInstructor.objects.filter(organization=org)
        pairs = instructors.values_list("student_id", "instructor_id").iterator(chunk_size=10_000)
        instructor_links.update(pair for pair in pairs if pair[0] in students)
        return parent_links, instructor_links
    for ids in batched(students, KEYS_PER_QUERY, strict=False):
        of_students = {"organization": org, "student__in": NumberList(ids)}
        parents = StudentParent.objects.filter(**of_students)
        parent_links.update(parents.values_list("student_id", "parent_id"))
        instructors = StudentInstructor.objects.filter(**of_students)
        instructor_links.update(instructors.values_list("student_id", "instructor_id"))
    return parent_links, instructor_links


def _key_of(value: str) -> str:
    return identity_key(value) if value else ""


def _matching(accounts: QuerySet[Account], keys: Collection[str]) -> QuerySet[Account]:
    """Those of `accounts` whose email or username is one of `keys`."""
    return accounts.alias(email_key=Lower("email"), username_key=Lower("username")).filter(
        Q(email_key__in=KeyList([key for key in keys if "@" in key]))
        | Q(username_key__in=KeyList([key for key in keys if "@" not in key]))
    )


def _known(accounts: QuerySet[Account]) -> Iterator[Known]:
    return map(Known._make, accounts.values_list(*KNOWN_FIELDS).iterator(chunk_size=10_000))


def _by_external_id(
    org: Organization, external: Collection[tuple[str, str]]
) -> dict[tuple[str, str], Known]:
    """The accounts of `org` holding the (system, id) pairs of `external`."""
    found: dict[tuple[str, str], Known] = {}
    sources = {source for source, _ in external}
    fields = [f"account__{name}" for name in KNOWN_FIELDS]
    for source in sorted(sources):
        values = [value for each, value in external if each == source]
        for chunk in batched(values, KEYS_PER_QUERY, strict=False):
            rows = ExternalId.objects.filter(
                organization=org, source=source, value__in=KeyList(chunk)
            ).values_list("value", *fields)
            found.update(((source, value), Known(*known)) for value, *known in rows.iterator())
    return found


def _held(
    org: Organization,
    external: Collection[tuple[str, str]],
    by_id: dict[tuple[str, str], Known],
    accounts: dict[str, Known],
) -> dict[tuple[int, str], str]:
    """The ids the accounts found by email or username hold in the import's systems."""
    held = {(known.id, source): value for (source, value), known in by_id.items()}
    sources = sorted({source for source, _ in external})
    ids = list(dict.fromkeys(known.id for known in accounts.values()))
    if not sources or not ids:
        return held
    for chunk in batched(ids, KEYS_PER_QUERY, strict=False):
        rows = ExternalId.objects.filter(
            organization=org, source__in=sources, account__in=NumberList(chunk)
        ).values_list("account_id", "source", "value")
        held.update(((account, source), value) for account, source, value in rows)
    return held
