"""What an import takes from one file: which tables hold people, each one's role and columns.

The one decision every door relies on: the command line and tasks through
pipeline.preview_import, the web wizard through jobs.create_job, and the stored review
through columns_for and needs_role (a stored tab is mapped again from its header, role
and the admin's choices). The rules (docs/import-rules.md, "Which role a table holds"):

- A hidden tab is not imported; a workbook tab with no column of names, emails or
  usernames holds no people (the template's Instructions tab, a notes tab) and is left
  out. Each gets a neutral note. (Empty tabs never reach here: the readers drop them.)
- A table with a role column routes each row by its cell; `given` fills blank cells.
- A single table (a CSV, TSV or paste): `given` first, else a guess from the file name,
  then the headers. A workbook tab: a guess from its name, the file name, then the
  headers; `given` only when it is the file's one table of people.
- Otherwise the table needs a role: the command line stops (`unclear_role`), the web
  review asks the admin.
- Once its role is known, the organization's remembered mappings apply to its columns
  (mapping_memory.py): every door maps a header the way an admin last mapped it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from roster.accounts.models import Role
from roster.importing.bundles.bundle import Bundle
from roster.importing.bundles.registry import take_bundles
from roster.importing.headers import FULL_NAME, ROLE, ColumnMap, guess_role, map_headers
from roster.importing.issues import Issue
from roster.importing.mapping_memory import NO_MEMORY, MappingMemory, Recalled
from roster.importing.people import ROLE_TAB
from roster.importing.rowcheck import Flag
from roster.importing.sources import ReadResult, Table

# A table holds people when a column names a person's name or identity.
PERSON_FIELDS = frozenset({"first_name", "last_name", FULL_NAME, "email", "username"})
PASTED = "Pasted text"  # the name of a pasted table whose rows carry their own roles


@dataclass(frozen=True, slots=True)
class Decision:
    """One table the import takes, as the engine reads it."""

    index: int  # the table's position in its ReadResult
    table: Table
    # The table's role; with a role column, the role of rows whose role cell is blank.
    # None: no role given (then needs_role says whether the table can be imported).
    role: Role | None
    columns: ColumnMap
    # The name its issues carry: the tab's; for a single table the role's tab name
    # ("Student"), the file's stem when its rows carry their own roles, "" while unknown.
    sheet: str
    single: bool  # a CSV, TSV or paste rather than a workbook tab
    # Why its role is unknown, for the command line (None when the role is known).
    unclear: str | None = None
    # The columns mapped as an admin of the organization last mapped their header.
    recalled: tuple[Recalled, ...] = ()
    # Row number → flags found before validation (a bundle's id that names no one).
    flags: dict[int, tuple[Flag, ...]] = field(default_factory=dict)
    # A school-system bundle's own ids: the system ("oneroster", "canvas", "clever") and
    # the column of the table that holds each person's id in it ("" / None: no such ids).
    source: str = ""
    id_column: int | None = None


@dataclass(frozen=True, slots=True)
class Intake:
    """A file's tables as the import takes them, and what it left out."""

    tables: tuple[Decision, ...]
    notes: tuple[str, ...]  # neutral sentences: a hidden tab, a tab without people
    # A bundle's issues on cells of its link files (enrollments.csv…), which no table of
    # people holds: reported beside the tables' issues (pipeline, docs/import-rules.md).
    issues: tuple[Issue, ...] = ()


def decide(result: ReadResult, given: Role | None, memory: MappingMemory = NO_MEMORY) -> Intake:
    """Which tables of `result` hold people, with the role and columns of each.

    `given` is the role the admin gave for the file (`--role`, the wizard's tab);
    `memory` the organization's remembered mappings.
    """
    where = f" in {result.file}" if result.file else ""
    notes = [f"Tab “{name}”{where} is hidden and was left out." for name in result.skipped_sheets]
    tables: list[tuple[int, Table, ColumnMap]] = []
    for index, table in enumerate(result.tables):
        anyone = map_headers(table.header, None)
        if _is_single(result, table) or PERSON_FIELDS & set(anyone.fields):
            tables.append((index, table, anyone))
        else:
            notes.append(
                f"Tab “{table.name}”{where} was left out: no column holds names, emails"
                " or usernames, so it lists no people."
            )
    decided = tuple(
        _recall(_decide(result, index, table, anyone, given, only=len(tables) == 1), memory)
        for index, table, anyone in tables
    )
    return Intake(tables=decided, notes=tuple(notes))


def decide_files(
    results: Sequence[ReadResult], given: Role | None, memory: MappingMemory = NO_MEMORY
) -> list[tuple[int, Intake]]:
    """decide for each of several files given together, as (index in results, Intake).

    The files of a school system's bundle (bundles/registry.py: OneRoster, Canvas,
    Clever) are read together: each of its files gives the tables of people it holds, and
    the bundle's notes and issues come once, at its first file of people; the bundle's own
    mapping stands (no --role, no remembered mapping).
    """
    bundles = take_bundles(results)
    found: list[tuple[int, Intake]] = []
    for index, result in enumerate(results):
        bundle = next((each for each in bundles if index in each.files), None)
        if bundle is None:
            found.append((index, decide(result, given, memory)))
            continue
        tables = _bundle_tables(result, bundle, index)
        if index == bundle.home:
            found.append((index, Intake(tables, bundle.notes, bundle.issues)))
        elif tables:
            found.append((index, Intake(tables, ())))
    return found


def _bundle_tables(result: ReadResult, bundle: Bundle, index: int) -> tuple[Decision, ...]:
    single = len(result.tables) == 1
    mine = [each for each in bundle.tables if each.file == index]
    return tuple(
        Decision(
            position,
            each.table,
            each.role,
            each.columns,
            each.sheet,
            single,
            flags=each.flags,
            source=each.source,
            id_column=each.id_column,
        )
        for position, each in enumerate(mine)
    )


def columns_for(header: Sequence[str], role: Role | None) -> ColumnMap:
    """The mapping of a header: with a role column, the fields of every role."""
    anyone = map_headers(header, None)
    return anyone if ROLE in anyone.fields or role is None else map_headers(header, role)


def needs_role(columns: ColumnMap, role: Role | None) -> bool:
    """A table that neither has a role nor carries one per row cannot be imported yet."""
    return role is None and ROLE not in columns.fields


def _decide(
    result: ReadResult, index: int, table: Table, anyone: ColumnMap, given: Role | None, only: bool
) -> Decision:
    single = _is_single(result, table)
    if ROLE in anyone.fields:
        stem = PurePath(result.file).stem if result.file else ""
        return Decision(index, table, given, anyone, table.name or stem or PASTED, single)
    guessed = guess_role(table.name, result.file, table.header)
    # The admin's word decides a single table; a tab's own name comes before it.
    role = (given or guessed) if single else (guessed or (given if only else None))
    sheet = table.name if not single else ROLE_TAB[role] if role else ""
    columns = columns_for(table.header, role)
    unclear = None if role else _unclear(table, single, only)
    return Decision(index, table, role, columns, sheet, single, unclear)


def _recall(found: Decision, memory: MappingMemory) -> Decision:
    columns, recalled = memory.recall(found.columns, found.role)
    return replace(found, columns=columns, recalled=recalled) if recalled else found


def _unclear(table: Table, single: bool, only: bool) -> str:
    what = "cannot tell whether it lists students, instructors or parents"
    if single:
        return f"{what}; give --role (or name the file after the role)"
    rename = "name the tab after the role (Students, Instructors, Parents)"
    return f"tab “{table.name}”: {what}; {rename}" + (" or give --role" if only else "")


def _is_single(result: ReadResult, table: Table) -> bool:
    """A delimited file or a paste: one table named after the file, not a workbook tab."""
    stem = PurePath(result.file).stem if result.file else ""
    return len(result.tables) == 1 and table.name in ("", stem)
