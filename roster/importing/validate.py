"""(Table, ColumnMap, role) → validated people and issues. Pure: no database.

Every issue decidable from the import alone is found here: a row's own checks
(rowcheck.py), tab-level checks (columns.py), and duplicates across every tab and file
of one import. What needs the organization's accounts is plan.py's job.
"""

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from roster.accounts.models import Role
from roster.importing.cells import CellChecker
from roster.importing.collector import collector_held
from roster.importing.columns import Columns
from roster.importing.fields import identity_key
from roster.importing.headers import ColumnMap, role_from_cell
from roster.importing.issues import Issue, IssueCode
from roster.importing.people import People, PersonView, Source
from roster.importing.row_checks import Item, RowChecks
from roster.importing.rowcheck import Flag, RowCheck
from roster.importing.sources import Row, Table

Progress = Callable[[int], None]
ExternalKey = tuple[str, str]  # (school system, the person's id in it)
MAX_ID_LENGTH = 255  # accounts.ExternalId.value
PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class TableInput:
    """One table to import and how to read it."""

    table: Table
    columns: ColumnMap
    role: Role | None  # None: each row's role comes from its role column
    file: str | None  # base name of the file; None for pasted text
    sheet: str  # the workbook's tab name; "" for a single table (named by role)
    # Row number → flags found before validation (a bundle's id that names no one).
    flags: dict[int, tuple[Flag, ...]] = dataclasses.field(default_factory=dict)
    # A school-system bundle's ids (intake.Decision): the system, and the column holding
    # each person's id in it ("" / None: no such ids).
    id_source: str = ""
    id_column: int | None = None


@dataclass(frozen=True, slots=True)
class SkippedRow:
    role: Role | None  # None when the row's role could not be read
    source: int
    number: int


@dataclass(frozen=True, slots=True)
class SeenRow:
    """A row that reached the row checks: the identities it holds and what it names.

    For callers that keep, per row, what its issues depend on (the stored review).
    """

    source: int
    number: int
    role: Role
    keys: tuple[str, ...]  # its email and username keys, which make later rows duplicates
    # None when its own cells have errors (its links then count for nothing)
    person: PersonView | None


Seen = Callable[[SeenRow], None]


@dataclass(frozen=True, slots=True)
class Validated:
    """Everything validate found, ready for planning."""

    sources: tuple[Source, ...]
    people: People
    # identity key (email or username, trimmed, lower case) → index in people, or
    # ~index in skipped when the first row naming it was kept out for errors.
    keys: dict[str, int]
    skipped: list[SkippedRow]
    issues: list[Issue]
    places: list[tuple[int, int]]  # per issue: (source, row or 0), to merge later issues in
    # person index → (school system, the person's id in it), for rows that carry one
    external: dict[int, ExternalKey] = dataclasses.field(default_factory=dict)

    def external_keys(self) -> list[ExternalKey]:
        """Every (system, id) the import's kept rows carry, each once."""
        return list(dict.fromkeys(self.external.values()))

    def identity_keys(self) -> list[str]:
        """Every identity the import names: its rows' and those its links point to."""
        keys = list(self.keys)
        # Each parent or instructor is named by many rows: each key is sent once (and
        # worked out once per spelling).
        linked = dict.fromkeys(map(identity_key, dict.fromkeys(self.people.linked())))
        keys.extend(key for key in linked if key not in self.keys)
        return keys


@collector_held()
def validate_import(
    tables: Iterable[TableInput],
    *,
    region: str,
    progress: Progress | None = None,
    seen: Seen | None = None,
) -> Validated:
    """Validate every table of one import (files and tabs, in order) as one whole.

    `seen`, when given, is told of every row that reached the row checks (SeenRow).
    """
    validator = _Validator(region, progress, seen)
    try:
        for item in tables:
            validator.add(item)
    finally:
        validator.checks.close()
    return Validated(
        sources=tuple(validator.sources),
        people=validator.people,
        keys=validator.keys,
        skipped=validator.skipped,
        issues=validator.issues,
        places=validator.places,
        external=validator.external,
    )


class _Validator:
    def __init__(self, region: str, progress: Progress | None, seen: Seen | None) -> None:
        self.progress = progress
        self.seen = seen
        self.cells = CellChecker(region)
        self.checks = RowChecks(region)  # each row's own checks, on another core when big
        self.sources: list[Source] = []
        self.people = People()
        self.keys: dict[str, int] = {}
        self.skipped: list[SkippedRow] = []
        self.issues: list[Issue] = []
        self.places: list[tuple[int, int]] = []
        self.external: dict[int, ExternalKey] = {}
        self.ids: dict[ExternalKey, int] = {}  # like keys, for the bundle's own ids
        self.id_source, self.id_column = "", -1  # of the table being added
        self.count = 0

    def add(self, item: TableInput) -> None:
        self.id_source = item.id_source
        self.id_column = -1 if item.id_column is None else item.id_column
        columns = Columns.of(item.columns)
        source = Source(item.file, item.sheet, columns.source_columns())
        self.sources.append(source)
        index = len(self.sources) - 1
        tab = source.sheet_for(item.role) if item.role else item.sheet
        for column in columns.unknown:
            self._issue(Flag(IssueCode.UNKNOWN_COLUMN, column), source, tab, None, columns)
        missing = columns.missing_required(item.role)
        for name in missing:
            flag = Flag(IssueCode.UNMAPPED_REQUIRED_COLUMN, -1, label=columns.field_label(name))
            self._issue(flag, source, tab, None, columns)
        for field, found in columns.duplicated.items():
            detail = columns.duplicate_detail(field)
            self._issue(
                Flag(IssueCode.DUPLICATE_COLUMN, found[-1], detail), source, tab, None, columns
            )
        # A tab-level error keeps every row of the tab out, as a row's error keeps it out.
        held = bool(missing or columns.duplicated)
        items = self._items(item, columns, held)
        for row, role, check, packed in self.checks.checked(items, columns):
            self._tick()
            if check is None:
                if role is None and columns.role >= 0:
                    self._no_role(row, item, columns, source)
                self.skipped.append(SkippedRow(role, index, row.number))
                continue
            self._keep(packed, check, index, source)

    def _items(self, item: TableInput, columns: Columns, held: bool) -> Iterator[Item]:
        """Each row with its role and its check to run (None: the row is kept out)."""
        for row in item.table.rows:
            role = _role(row, item, columns)
            if held or role is None:
                yield row, role, None
            else:
                flags = list(item.flags.get(row.number, ()))
                yield row, role, RowCheck(row, role, columns, self.cells, flags)

    def _no_role(self, row: Row, item: TableInput, columns: Columns, source: Source) -> None:
        text = _role_text(row, columns)
        detail = (
            f"“{text}” is not a role Roster imports (student, teacher or parent)."
            if text
            else "this row has no role (student, teacher or parent)."
        )
        flag = Flag(IssueCode.MISSING_REQUIRED, columns.role, detail)
        self._issue(flag, source, item.sheet or "", row.number, columns)

    def _keep(self, packed: str | None, check: RowCheck, index: int, source: Source) -> None:
        """Keep a checked row: `packed` is its person (people.pack), None for its errors."""
        role, number, columns = check.role, check.row.number, check.columns
        external = self._external_key(check.row)
        named = _identity_keys(check.values)
        duplicates = self._duplicates(check, named, external)
        for flag in [*check.flags, *duplicates]:
            self._issue(flag, source, source.sheet_for(role), number, columns)
        if packed is None or duplicates:
            slot = ~len(self.skipped)
            self.skipped.append(SkippedRow(role, index, number))
        else:
            slot = self.people.append_packed(role, index, number, packed)
        keys = [key for _, key in named]
        for key in keys:
            self.keys.setdefault(key, slot)
        if external is not None:
            self.ids.setdefault(external, slot)
            if slot >= 0:
                self.external[slot] = external
            # Rows sharing an id are checked again together after an edit (jobs/keys.py).
            keys.append(f"#{external[0]}:{external[1]}")
        if self.seen is not None:
            person = None if packed is None else PersonView.unpack(role, index, number, packed)
            self.seen(SeenRow(index, number, role, tuple(keys), person))

    def _external_key(self, row: Row) -> ExternalKey | None:
        """The (system, id) a bundle's row carries, or None."""
        column, source = self.id_column, self.id_source
        if column < 0 or not source or column >= len(row.cells):
            return None
        value = row.cells[column].strip()
        return (source, value) if value else None

    def _duplicates(
        self, check: RowCheck, named: list[tuple[str, str]], external: ExternalKey | None
    ) -> list[Flag]:
        """Flags for the row's email, username and id that an earlier row holds already.

        `named`: the row's (field, identity key) pairs (_identity_keys).
        """
        flags = []
        if external is not None and len(external[1]) > MAX_ID_LENGTH:
            detail = f"an id holds at most {MAX_ID_LENGTH} characters."
            flags.append(Flag(IssueCode.VALUE_TOO_LONG, self.id_column, detail))
        earlier_id = self.ids.get(external) if external is not None else None
        if external is not None and earlier_id is not None:
            detail = f"the id {external[1]} is {self._where(earlier_id)}"
            flags.append(Flag(IssueCode.DUPLICATE_IN_FILE, self.id_column, detail))
        for name, key in named:
            earlier = self.keys.get(key)
            if earlier is not None:
                column = check.columns.scalars[name]
                flags.append(Flag(IssueCode.DUPLICATE_IN_FILE, column, self._where(earlier)))
        return flags

    def _where(self, slot: int) -> str:
        if slot >= 0:
            person = self.people[slot]
            role, source, number = person.role, person.source, person.number
        else:
            skipped = self.skipped[~slot]
            role, source, number = skipped.role or Role.STUDENT, skipped.source, skipped.number
        found = self.sources[source]
        place = f"{found.file}, " if found.file and len(self.sources) > 1 else ""
        return f"first seen in {place}{found.sheet_for(role)} row {number}."

    def _issue(
        self, flag: Flag, source: Source, sheet: str, row: int | None, columns: Columns
    ) -> None:
        column = columns.label(flag.column) if flag.column >= 0 else flag.label
        self.places.append((len(self.sources) - 1, row or 0))
        self.issues.append(
            Issue(
                code=flag.code,
                message=describe(flag.code, flag.detail),
                file=source.file,
                sheet=sheet,
                row=row,
                column=column or None,
            )
        )

    def _tick(self) -> None:
        self.count += 1
        if self.progress is not None and self.count % PROGRESS_EVERY == 0:
            self.progress(self.count)


def _role(row: Row, item: TableInput, columns: Columns) -> Role | None:
    """The row's role: its role cell's, or the table's (None: neither says)."""
    if columns.role < 0:
        return item.role
    text = _role_text(row, columns)
    return role_from_cell(text) if text else item.role


def _role_text(row: Row, columns: Columns) -> str:
    cells = row.cells
    return cells[columns.role].strip() if columns.role < len(cells) else ""


def _identity_keys(values: dict[str, str]) -> list[tuple[str, str]]:
    """(field, identity key) of the row's email and username, those it has."""
    return [
        (name, identity_key(values[name])) for name in ("email", "username") if values.get(name)
    ]


def describe(code: IssueCode, detail: str = "") -> str:
    """The plain-language message of an issue: what it means, then this cell's specifics."""
    return f"{code.description} {detail[:1].upper()}{detail[1:]}".strip()
