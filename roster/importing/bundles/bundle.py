"""What every bundle kind shares: its files found by name and headers, read, and its result.

A kind (oneroster.py, canvas.py, clever.py) names its files and the headers (lower case)
that make each one its own; `find_files` finds them among the files of an import, and the
kind is a bundle only when one of its files of people comes with at least one other of
its files (`is_bundle`): any one file alone is read as any table, as the web wizard (one
file per tab) reads it, so every door gives the same answer for the same file (issue 10).
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from roster.accounts.models import Role
from roster.importing.headers import ColumnMap
from roster.importing.issues import Issue, IssueCode
from roster.importing.people import ROLE_TAB
from roster.importing.role_hints import guess_role
from roster.importing.rowcheck import Flag
from roster.importing.sources import ReadError, ReadResult, Row, Table
from roster.importing.validate import describe


@dataclass(frozen=True, slots=True)
class BundleTable:
    """A table of people the bundle gives the engine, mapped and with its own flags."""

    file: int  # the index, in the import's results, of the file its rows come from
    table: Table
    role: Role | None  # None: rows whose role cell names no role Roster imports
    columns: ColumnMap
    sheet: str
    flags: dict[int, tuple[Flag, ...]]  # row number → flags found while resolving ids
    source: str = ""  # the school system whose ids the table carries (intake.Decision)
    id_column: int | None = None  # the column of each person's id in that system


@dataclass(frozen=True, slots=True)
class Bundle:
    """The files of an import that belong to one bundle, and what they give."""

    files: frozenset[int] = frozenset()  # indexes in results
    home: int = -1  # where its notes and issues go: the index of its first file of people
    tables: tuple[BundleTable, ...] = ()
    notes: tuple[str, ...] = ()
    # Issues on the cells of its link files (enrollments.csv…), which hold no people: no
    # table of the import has their row, so they are reported beside the tables' issues.
    issues: tuple[Issue, ...] = ()


NO_BUNDLE = Bundle()


class UnreadableBundleFile(ReadError):
    """A file of the bundle that turned out unreadable while its rows were read here."""

    def __init__(self, file: str | None, error: ReadError) -> None:
        super().__init__(error.code, error.message)
        self.file = file


@dataclass(frozen=True)
class BundleFile:
    """One file of a bundle, read whole: links need every row before the first is used."""

    index: int  # in results
    name: str  # the file's base name as given
    table: Table
    rows: list[Row]
    # Header (trimmed, lower case) → its first column: Clever writes `Student_id`, a
    # hand-made export may write `student_id`.
    positions: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        positions: dict[str, int] = {}
        for index, cell in enumerate(self.table.header):
            positions.setdefault(cell.strip().lower(), index)
        object.__setattr__(self, "positions", positions)

    @property
    def header(self) -> tuple[str, ...]:
        return self.table.header

    def column(self, name: str) -> int | None:
        """The index of the column whose header is `name` (any case), or None."""
        return self.positions.get(name.lower())

    def cell(self, row: Row, name: str) -> str:
        return cell(row, self.column(name))

    def label(self, name: str) -> str:
        """The column's header as the file spells it."""
        found = self.column(name)
        return self.header[found].strip() if found is not None else name


def find_files(
    results: Sequence[ReadResult], files: Mapping[str, frozenset[str]], taken: Collection[int]
) -> dict[str, int]:
    """The kind's files among `results` (name → index): by name and headers, both."""
    found: dict[str, int] = {}
    for index, result in enumerate(results):
        if index in taken or not result.file or len(result.tables) != 1:
            continue
        name = PurePath(result.file).name.lower()
        wanted = files.get(name)
        header = {cell.strip().lower() for cell in result.tables[0].header}
        if wanted is not None and wanted <= header and name not in found:
            found[name] = index
    return found


def is_bundle(found: Mapping[str, int], people: Collection[str]) -> bool:
    """A file of people and at least one other file of the same kind."""
    return any(name in found for name in people) and len(found) >= 2


def read(results: Sequence[ReadResult], index: int) -> BundleFile:
    result = results[index]
    table = result.tables[0]
    try:
        rows = list(table.rows)
    except ReadError as error:
        raise UnreadableBundleFile(result.file, error) from error
    return BundleFile(index, result.file or "", table, rows)


def cell(row: Row, column: int | None) -> str:
    return row.cells[column].strip() if column is not None and column < len(row.cells) else ""


def left_out(
    results: Sequence[ReadResult], found: Mapping[str, int], what: Mapping[str, str]
) -> list[str]:
    """A note per file the kind recognises and does not import."""
    return [
        f"{results[index].file} was left out: it lists {what[name]}, which Roster does not import."
        for name, index in found.items()
        if name in what
    ]


def rows_note(file: str, numbers: Sequence[int], why: str) -> str:
    """ "users.csv rows 4, 9 (…) left out: …" — one note for many rows."""
    word = "row" if len(numbers) == 1 else "rows"
    return f"{file} {word} {', '.join(map(str, numbers))} {why}"


def unknown_id(
    file: BundleFile, row: Row, column: str, value: str, what: str, people: str
) -> Issue:
    """`unknown_association` on a link file's cell: the id names no one in `people`
    ("“u404” in userSourcedId is the sourcedId of no one in users.csv.")."""
    detail = f"“{value}” in {file.label(column)} is the {what} of no one in {people}."
    return Issue(
        code=IssueCode.UNKNOWN_ASSOCIATION,
        message=describe(IssueCode.UNKNOWN_ASSOCIATION, detail),
        file=file.name,
        sheet=PurePath(file.name).stem,
        row=row.number,
        column=file.label(column),
    )


def explicit_columns(header: Sequence[str], fields: Mapping[str, str]) -> ColumnMap:
    """A mapping by the kind's own header names (any case); every other column ignored."""
    mapped = tuple(fields.get(cell.strip().lower()) for cell in header)
    ignored = frozenset(i for i, name in enumerate(mapped) if name is None)
    return ColumnMap(header=tuple(header), fields=mapped, ignored=ignored)


@dataclass(frozen=True, slots=True)
class Added:
    """A column the bundle adds to a table: its title, field and each row's cell."""

    title: str
    field: str
    cells: Mapping[int, str]  # row number → cell


def people_table(
    file: BundleFile,
    rows: Sequence[Row],
    role: Role | None,
    columns: ColumnMap,
    *,
    added: Sequence[Added] = (),
    flags: dict[int, tuple[Flag, ...]] | None = None,
    source: str,
    id_column: int | None,
    sheet: str = "",
) -> BundleTable:
    """A table of the file's `rows`, padded to its header, with the `added` columns after
    the header's cells (a stray cell beyond the header stays beyond)."""
    width = len(file.header)
    header = (*file.header, *(each.title for each in added))
    for position, each in enumerate(added):
        columns = _widened(columns, header).with_choice(width + position, each.field)
    taken = []
    for row in rows:
        cells = [*row.cells[:width], *[""] * (width - len(row.cells))]
        cells.extend(each.cells.get(row.number, "") for each in added)
        cells.extend(row.cells[width:])
        taken.append(Row(row.number, tuple(cells), row.lossy))
    name = sheet or PurePath(file.name).stem
    table = Table(name, header, file.table.header_row, iter(taken))
    return BundleTable(
        file.index, table, role, _widened(columns, header), name, flags or {}, source, id_column
    )


def named_by_role(
    tables: Sequence[BundleTable], results: Sequence[ReadResult]
) -> tuple[BundleTable, ...]:
    """The tables, those of a file that gives several named with their role: "users
    (Students)", "users (Instructors)", "users (Parents)" (docs/import-rules.md).

    A table keeps its name when it already has one of its own (Clever's "students
    (contacts)"), when the file's name already names its role (Clever's students.csv),
    or when its rows carry their own roles (role None: the file's stem, as intake names
    such a table).
    """
    per_file: dict[int, int] = {}
    for each in tables:
        per_file[each.file] = per_file.get(each.file, 0) + 1
    return tuple(
        _named(each, PurePath(results[each.file].file or "").stem)
        if per_file[each.file] > 1
        else each
        for each in tables
    )


def _named(table: BundleTable, stem: str) -> BundleTable:
    role, sheet = table.role, table.sheet
    if role is None or sheet != stem or guess_role(stem, None, ()) is role:
        return table
    name = f"{sheet} ({ROLE_TAB[role]}s)"
    renamed = Table(name, table.table.header, table.table.header_row, table.table.rows)
    return replace(table, table=renamed, sheet=name)


def _widened(columns: ColumnMap, header: tuple[str, ...]) -> ColumnMap:
    extra = len(header) - len(columns.fields)
    if extra <= 0:
        return columns
    return ColumnMap(header, (*columns.fields, *[None] * extra), columns.ignored)


@dataclass(frozen=True, slots=True)
class Known:
    """A person of the bundle, by their id: the role Roster gives them (None: a role it
    does not import) and the email, else username, that links name them by."""

    role: Role | None
    identity: str


def identities(people: Mapping[str, Known], ids: Sequence[str]) -> list[str]:
    """The emails or usernames of the people `ids` name, among those Roster imports, once
    each (a link to someone left out, or to a row without either, is not made)."""
    named = (people.get(each) for each in ids)
    found = [each.identity for each in named if each and each.role and each.identity]
    return list(dict.fromkeys(found))
