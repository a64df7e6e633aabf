"""Which rows one change can re-flag, and which rows the engine needs to check them again.

A row's flags depend on other rows only through identity keys (stored as ImportKey):

- duplicates: the first row holding each of its keys (tab order, then row number);
- its links: the first row holding each key it names, and whether that row is kept
  (its own errors, its own keys' first rows, role conflicts);
- a username-only student's need for a parent: the parents naming it, whether they are
  kept (their own links), and whether its own parent rows are kept.

The engine repeats its link checks until nothing changes, but only a student can be
newly kept out on a later pass (a parent it relied on was kept out), and nothing
depends on a student's later pass; so these dependencies are two links deep at most.

`affected` follows them from the changed rows to every row whose flags may change;
`context` adds what the engine must see to flag those rows as the whole import would.
Each step is one indexed query, whatever the size of the job.
"""

from collections.abc import Collection, Iterable

from django.db.models import QuerySet

from roster.importing.directory import KeyList
from roster.importing.jobs.keys import Uses, stored_uses
from roster.importing.models import ImportJob, ImportKey, KeyUse

OWN = frozenset({KeyUse.OWN.value})
LINKS = frozenset(
    use.value
    for use in (
        KeyUse.PARENT_EMAIL,
        KeyUse.INSTRUCTOR_EMAIL,
        KeyUse.PARENTS_STUDENT,
        KeyUse.INSTRUCTORS_STUDENT,
    )
)
ALL = OWN | LINKS
PARENT_EMAIL = frozenset({KeyUse.PARENT_EMAIL.value})
PARENTS_STUDENT = frozenset({KeyUse.PARENTS_STUDENT.value})


class TooMany(Exception):
    """More rows than a partial re-check is worth: check the whole job instead."""


class KeyGraph:
    """The stored keys of a job, looked up as needed and remembered for one re-check."""

    def __init__(self, job: ImportJob, limit: int) -> None:
        self.job = job
        self.limit = limit
        self.uses: dict[int, Uses] = {}
        self.first: dict[str, int] = {}  # key → the first row holding it
        self.looked_up: set[str] = set()

    def load(self, rows: Iterable[int]) -> None:
        missing = [row for row in rows if row not in self.uses]
        if missing:
            self.uses.update(stored_uses(missing))

    def keys(self, rows: Iterable[int], uses: Collection[int]) -> set[str]:
        return {key for row in rows for use, key in self.uses.get(row, ()) if use in uses}

    def holders(self, keys: Collection[str]) -> set[int]:
        """Every row holding one of `keys` as its own; remembers each key's first row."""
        holding = self._lookup(keys, OWN).values_list(
            "key", "row_id", "row__tab__position", "row__number"
        )
        found: dict[str, tuple[int, int, int]] = {}
        rows = set()
        for key, row, position, number in self._bounded(holding):
            rows.add(row)
            if key not in found or (position, number) < found[key][1:]:
                found[key] = (row, position, number)
        self.first.update({key: place[0] for key, place in found.items()})
        self.looked_up.update(keys)
        return rows

    def firsts(self, keys: Collection[str]) -> set[int]:
        """The first row holding each of `keys`, for the keys some row holds."""
        unknown = [key for key in keys if key not in self.looked_up]
        if unknown:
            self.holders(unknown)
        return {self.first[key] for key in keys if key in self.first}

    def naming(self, keys: Collection[str], uses: Collection[int]) -> set[int]:
        """The rows naming one of `keys` in an association cell of the given uses."""
        if not keys:
            return set()
        return set(self._bounded(self._lookup(keys, uses).values_list("row_id", flat=True)))

    def _lookup(self, keys: Collection[str], uses: Collection[int]) -> QuerySet[ImportKey]:
        return ImportKey.objects.filter(job=self.job, key__in=KeyList(keys), use__in=list(uses))

    def _bounded[T](self, query: QuerySet[ImportKey, T]) -> list[T]:
        found = list(query[: self.limit + 1])
        if len(found) > self.limit:
            raise TooMany
        return found

    def bounded(self, rows: set[int]) -> set[int]:
        if len(rows) > self.limit:
            raise TooMany
        return rows


def affected(graph: KeyGraph, changed: set[int], old: dict[int, Uses]) -> set[int]:
    """Every row whose flags the change of `changed` (keys before: `old`) may change."""
    before = {row: set(pairs) for row, pairs in old.items()}

    def keys(rows: set[int], uses: Collection[int]) -> set[str]:
        was = {key for row in rows & changed for use, key in before[row] if use in uses}
        return graph.keys(rows, uses) | was

    graph.load(changed)
    # Kept or not may change for the rows sharing a key with the changed rows …
    shared = graph.bounded(changed | graph.holders(keys(changed, OWN)))
    graph.load(shared)
    # … so may the link checks of the rows naming those rows …
    linking = graph.bounded(shared | graph.naming(keys(shared, OWN), LINKS))
    graph.load(linking)
    # … and so may the need for a parent of the students those rows name in a Student
    # column, or of those naming them as a parent.
    children = graph.firsts(keys(linking, PARENTS_STUDENT))
    with_parent = graph.naming(keys(linking, OWN), PARENT_EMAIL)
    return graph.bounded(linking | children | with_parent)


def context(graph: KeyGraph, rows: set[int]) -> set[int]:
    """`rows` and every row the engine needs to flag them as the whole import would."""
    graph.load(rows)
    # The first holders of their keys (for duplicates) and of the keys they name (links).
    firsts = graph.firsts(graph.keys(rows, ALL))
    # A username-only student relies on the parents it names and on those naming it,
    # and whether those parents are kept depends on the students they name in turn.
    parents = graph.firsts(graph.keys(rows, PARENT_EMAIL))
    naming = graph.naming(graph.keys(rows, OWN), PARENTS_STUDENT)
    graph.load(firsts | naming)
    # Whether all those are kept: the first holders of their own keys (a student with an
    # email and a username may repeat either), and of the keys the parents name. A row
    # named there flags a parent only when it is no student, and then holds one key only,
    # so it is that key's first holder and needs nothing more.
    judged = graph.firsts(graph.keys(firsts | naming, OWN) | graph.keys(parents | naming, LINKS))
    return graph.bounded(rows | firsts | naming | judged)
