"""Per row, the identity keys it holds and names: what its flags depend on in other rows.

The engine tells each row's keys as it validates (validate.SeenRow); they are stored as
ImportKey rows with the flags, describing the same revision, so an edit finds the rows
it can affect by indexed look-ups (jobs/affected.py).
"""

from collections.abc import Collection, Iterable, Sequence

from django.db import connection

from roster.accounts.models import Role
from roster.importing.directory import NumberList
from roster.importing.fields import identity_key
from roster.importing.models import ImportJob, ImportKey, ImportRow, ImportTab, KeyUse
from roster.importing.people import LINK_FIELDS
from roster.importing.validate import SeenRow
from roster.importing.writes import insert_import_keys, json_chunks

# Which link an association cell makes depends on the row's role and the column.
_LINK_USES = {
    (Role.STUDENT, "parent_emails"): KeyUse.PARENT_EMAIL,
    (Role.STUDENT, "instructor_emails"): KeyUse.INSTRUCTOR_EMAIL,
    (Role.PARENT, "students"): KeyUse.PARENTS_STUDENT,
    (Role.INSTRUCTOR, "students"): KeyUse.INSTRUCTORS_STUDENT,
}
Uses = list[tuple[int, str]]  # (KeyUse, key) pairs of one row


def uses_of(seen: SeenRow) -> Uses:
    """The keys one row holds and names, each once."""
    found = dict.fromkeys((KeyUse.OWN.value, key) for key in seen.keys)
    if seen.person is not None:  # a row with errors of its own links nobody
        for field in LINK_FIELDS:
            use = _LINK_USES.get((seen.role, field))
            for value in seen.person.links(field):
                assert use is not None, "the catalogue gives a role only its own link fields"
                found[use.value, identity_key(value)] = None
    return list(found)


class KeyCollector:
    """Collects every row's keys during a full check, held as compact JSON chunks."""

    def __init__(self, tabs: Sequence[ImportTab]) -> None:
        self.tab_ids = [tab.pk for tab in tabs]
        self.pending: list[tuple[int, int, int, str]] = []
        self.chunks: list[str] = []

    def __call__(self, seen: SeenRow) -> None:
        tab_id = self.tab_ids[seen.source]
        self.pending.extend((tab_id, seen.number, use, key) for use, key in uses_of(seen))
        if len(self.pending) >= 50_000:
            self.chunks.extend(json_chunks(self.pending))
            self.pending.clear()

    def store(self, job: ImportJob) -> None:
        """Replace the job's keys with the collected ones."""
        ImportKey.objects.filter(job=job).delete()
        self.chunks.extend(json_chunks(self.pending))
        self.pending.clear()
        insert_import_keys(job.organization_id, job.pk, self.chunks)
        if connection.vendor == "postgresql":
            # Autovacuum learns of a bulk insert only later; until then the planner
            # guesses, and may scan the whole table for the few keys an edit looks up.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ImportKey._meta.db_table}")


class RowKeys:
    """Collects the keys of some rows (their ids known), for an edit's re-check."""

    def __init__(self, tabs: Sequence[ImportTab], rows: Iterable[ImportRow]) -> None:
        positions = {tab.pk: index for index, tab in enumerate(tabs)}
        self.ids = {(positions[row.tab_id], row.number): row.pk for row in rows}
        self.found: dict[int, Uses] = {row_id: [] for row_id in self.ids.values()}

    def __call__(self, seen: SeenRow) -> None:
        row_id = self.ids.get((seen.source, seen.number))
        if row_id is not None:
            self.found[row_id] = uses_of(seen)


def stored_uses(row_ids: Collection[int]) -> dict[int, Uses]:
    """The stored keys of some rows."""
    found: dict[int, Uses] = {row_id: [] for row_id in row_ids}
    for row_id, use, key in ImportKey.objects.filter(row__in=NumberList(row_ids)).values_list(
        "row_id", "use", "key"
    ):
        found[row_id].append((use, key))
    return found


def replace_uses(job: ImportJob, uses: dict[int, Uses]) -> None:
    """Store the keys of some rows in place of their old ones."""
    ImportKey.objects.filter(row__in=NumberList(list(uses))).delete()
    ImportKey.objects.bulk_create(
        ImportKey(organization_id=job.organization_id, job=job, row_id=row_id, use=use, key=key)
        for row_id, pairs in uses.items()
        for use, key in pairs
    )
