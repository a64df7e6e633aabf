"""OneRoster 1.1 CSV bundles: users.csv, enrollments.csv and the files around them.

A bundle links people by the export's own ids (`sourcedId`), so its files are read
together, before validation: each users.csv row becomes a row of the engine's tables
(students, instructors, parents), its `agentSourcedIds` rewritten into the emails or
usernames of the people they name, and the teachers of each student's classes
(enrollments.csv) added as the student's instructors. An id that names no one in
users.csv is an `unknown_association` on the cell that holds it. A bundle is users.csv
given together with at least one other of its files; any of them alone is read as any
table, as the web wizard (one file per tab) reads it. What is deliberately not used is
in docs/import-rules.md ("OneRoster bundles").
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from roster.accounts.models import Role
from roster.importing.fields import link_values
from roster.importing.headers import ColumnMap, map_headers
from roster.importing.issues import IssueCode
from roster.importing.rowcheck import Flag
from roster.importing.sources import ReadError, ReadResult, Row, Table

# Each file of a bundle: its name, and the headers (lower case) that make it one.
_FILES: dict[str, frozenset[str]] = {
    "users.csv": frozenset({"sourcedid", "role", "givenname", "familyname"}),
    "enrollments.csv": frozenset({"classsourcedid", "usersourcedid", "role"}),
    "classes.csv": frozenset({"sourcedid", "title"}),
    "manifest.csv": frozenset({"propertyname", "value"}),
    "orgs.csv": frozenset({"sourcedid", "name", "type"}),
    "academicsessions.csv": frozenset({"sourcedid", "title", "type"}),
    "courses.csv": frozenset({"sourcedid", "title"}),
    "demographics.csv": frozenset({"sourcedid", "birthdate"}),
}
# What the files Roster does not import hold, for their note.
_LEFT_OUT = {
    "classes.csv": "classes (enrollments.csv says who is in each)",
    "manifest.csv": "the bundle's manifest",
    "orgs.csv": "schools and districts",
    "academicsessions.csv": "terms and school years",
    "courses.csv": "courses",
    "demographics.csv": "demographics",
}
# users.csv roles: those Roster imports, and OneRoster's others, left out with a note.
_ROLES = {
    "student": Role.STUDENT,
    "teacher": Role.INSTRUCTOR,
    "parent": Role.PARENT,
    "guardian": Role.PARENT,
    "relative": Role.PARENT,
}
_OTHER_ROLES = frozenset(
    {
        "administrator",
        "aide",
        "proctor",
        "districtadministrator",
        "siteadministrator",
        "systemadministrator",
    }
)
# The column agentSourcedIds feeds on each role's rows.
_AGENT_FIELD = {Role.STUDENT: "parent_emails", Role.PARENT: "students"}
INSTRUCTORS_COLUMN = "Instructors (enrollments.csv)"
SOURCE = "oneroster"  # the name its ids are kept under (1.1 and 1.2 share sourcedIds)
_READ = ("enrollments.csv", "users.csv")  # the files whose rows the bundle reads


@dataclass(frozen=True, slots=True)
class BundleTable:
    """A table of people the bundle gives the engine, mapped and with its own flags."""

    table: Table
    role: Role | None  # None: the rows whose role is not one OneRoster defines
    columns: ColumnMap
    sheet: str
    flags: dict[int, tuple[Flag, ...]]  # row number → flags found while resolving ids
    source: str = ""  # the school system whose ids the table carries (intake.Decision)
    id_column: int | None = None  # the column of each person's id in that system


@dataclass(frozen=True, slots=True)
class Bundle:
    """The files of `results` that belong to a OneRoster bundle, and what they give."""

    files: frozenset[int] = frozenset()  # indexes in results
    home: int = -1  # where its tables and notes go: users.csv's index
    tables: tuple[BundleTable, ...] = ()
    notes: tuple[str, ...] = ()


NO_BUNDLE = Bundle()


class UnreadableBundleFile(ReadError):
    """A file of the bundle that turned out unreadable while its rows were read here."""

    def __init__(self, file: str | None, error: ReadError) -> None:
        super().__init__(error.code, error.message)
        self.file = file


def take(results: Sequence[ReadResult]) -> Bundle:
    """The OneRoster files among `results` (by name and headers), read as one bundle."""
    found = {kind: index for index, result in enumerate(results) if (kind := _kind(result))}
    if "users.csv" not in found or len(found) < 2:
        # Any one file alone is read as any table, by every door: the web wizard takes one
        # file per tab, and the same file must give the same answer everywhere (issue 10).
        return NO_BUNDLE
    notes = [
        f"{results[index].file} was left out: it lists {_LEFT_OUT[kind]}, which Roster does"
        " not import."
        for kind, index in found.items()
        if kind in _LEFT_OUT
    ]
    home = found["users.csv"]
    enrolled: dict[str, list[str]] = {}
    read = {kind: _rows(results[found[kind]]) for kind in _READ if kind in found}
    if "enrollments.csv" in read:
        enrolled = _enrollments(read["enrollments.csv"])
    users = _Users(results[home].tables[0], read["users.csv"], enrolled)
    tables = users.tables()  # first: making them writes users.notes
    notes[:0] = [_counted(read), *users.notes]
    return Bundle(frozenset(found.values()), home, tables, tuple(notes))


def _counted(read: dict[str, tuple[tuple[str, ...], list[Row]]]) -> str:
    """What the bundle holds, as the review will say it."""
    found = [f"users.csv — {len(read['users.csv'][1])} people"]
    if "enrollments.csv" in read:
        found.append(f"enrollments.csv — {len(read['enrollments.csv'][1])} class enrollments")
    return f"OneRoster 1.1 bundle: {'; '.join(found)}."


def _kind(result: ReadResult) -> str | None:
    if not result.file or len(result.tables) != 1:
        return None
    name = PurePath(result.file).name.lower()
    wanted = _FILES.get(name)
    header = {cell.strip().lower() for cell in result.tables[0].header}
    return name if wanted is not None and wanted <= header else None


def _cell(row: Row, column: int | None) -> str:
    return row.cells[column].strip() if column is not None and column < len(row.cells) else ""


def _rows(result: ReadResult) -> tuple[tuple[str, ...], list[Row]]:
    """A bundle file's header and rows, read now: links need every row before the first."""
    table = result.tables[0]
    try:
        return table.header, list(table.rows)
    except ReadError as error:
        raise UnreadableBundleFile(result.file, error) from error


def _enrollments(read: tuple[tuple[str, ...], list[Row]]) -> dict[str, list[str]]:
    """Each student's userSourcedId → the userSourcedIds of the teachers of their classes."""
    header, rows = read
    where = {cell.strip().lower(): index for index, cell in enumerate(header)}
    klass, user, role = where["classsourcedid"], where["usersourcedid"], where["role"]
    teachers: dict[str, list[str]] = {}
    students: dict[str, list[str]] = {}
    for row in rows:
        kind = _cell(row, role).lower()
        side = teachers if kind == "teacher" else students if kind == "student" else None
        if side is not None:
            side.setdefault(_cell(row, klass), []).append(_cell(row, user))
    found: dict[str, list[str]] = {}
    for klass_id, members in students.items():
        for student in members:
            mine = found.setdefault(student, [])
            mine.extend(t for t in teachers.get(klass_id, ()) if t not in mine)
    return found


@dataclass
class _Users:
    table: Table
    read: tuple[tuple[str, ...], list[Row]]  # _rows of the table
    enrolled: dict[str, list[str]]  # student's sourcedId → their teachers' sourcedIds
    notes: list[str] = field(default_factory=list)

    def tables(self) -> tuple[BundleTable, ...]:
        header = self.table.header
        self.where = {cell.strip().lower(): index for index, cell in enumerate(header)}
        rows = self.read[1]
        self.people = {  # sourcedId → (role, the email or username links name them by)
            _cell(row, self.where["sourcedid"]): (self._role(row), self._identity(row))
            for row in rows
        }
        groups: dict[Role | None, list[Row]] = {}
        left_out: dict[str, list[int]] = {}
        for row in rows:
            text = _cell(row, self.where["role"])
            if text.lower() in _OTHER_ROLES:
                left_out.setdefault(text, []).append(row.number)
            else:
                groups.setdefault(self._role(row), []).append(row)
        for text, numbers in left_out.items():
            rows_word = "row" if len(numbers) == 1 else "rows"
            self.notes.append(
                f"users.csv {rows_word} {', '.join(map(str, numbers))} ({text}) left out:"
                " Roster imports students, teachers and parents."
            )
        self._unknown_enrolled()
        order = (Role.STUDENT, Role.INSTRUCTOR, Role.PARENT, None)
        return tuple(self._table(role, groups[role]) for role in order if role in groups)

    def _unknown_enrolled(self) -> None:
        ids = [*self.enrolled, *(each for many in self.enrolled.values() for each in many)]
        unknown = sorted({each for each in ids if each not in self.people})
        if unknown:
            self.notes.append(
                f"enrollments.csv names {len(unknown)} userSourcedId(s) that no row of users.csv"
                f" holds ({', '.join(unknown[:5])}{', …' if len(unknown) > 5 else ''}):"
                " their enrollments were left out."
            )

    def _role(self, row: Row) -> Role | None:
        return _ROLES.get(_cell(row, self.where["role"]).lower())

    def _identity(self, row: Row) -> str:
        email = _cell(row, self.where.get("email"))
        return email or _cell(row, self.where.get("username"))

    def _table(self, role: Role | None, rows: list[Row]) -> BundleTable:
        header = self.table.header
        extra = role is Role.STUDENT and bool(self.enrolled)
        if extra:
            header = (*header, INSTRUCTORS_COLUMN)
        columns = map_headers(header, None)
        for index, name in enumerate(columns.fields):
            if name is None or (role is not None and name == "role"):
                columns = columns.with_choice(index, None)  # not used: see the module doc
        agent = self.where.get("agentsourcedids")
        link = _AGENT_FIELD.get(role) if role else None
        if agent is not None and link is not None:
            columns = columns.with_choice(agent, link)
        if extra:
            columns = columns.with_choice(len(header) - 1, "instructor_emails")
        phone, sms = self.where.get("phone"), self.where.get("sms")
        if sms is not None and phone is None:
            columns = columns.with_choice(sms, "phone")
        flags: dict[int, tuple[Flag, ...]] = {}
        taken = []
        for row in rows:
            cells = list(row.cells) + [""] * (len(self.table.header) - len(row.cells))
            if agent is not None and link is not None:
                cells[agent], found = self._agents(cells[agent], agent)
                if found:
                    flags[row.number] = found
            if phone is not None and sms is not None and not cells[phone].strip():
                cells[phone] = cells[sms]  # a text-message number when no other is given
            if extra:
                teachers = self.enrolled.get(_cell(row, self.where["sourcedid"]), [])
                # Right after the header's cells: any stray cells beyond it stay beyond it.
                cells.insert(len(self.table.header), ", ".join(self._named(teachers)))
            taken.append(Row(row.number, tuple(cells), row.lossy))
        stem = PurePath(self.table.name or "users").stem
        table = Table(stem, header, self.table.header_row, iter(taken))
        source, id_column = SOURCE, self.where["sourcedid"]
        return BundleTable(table, role, columns, stem, flags, source, id_column)

    def _agents(self, cell: str, column: int) -> tuple[str, tuple[Flag, ...]]:
        """The cell's ids as emails or usernames; a flag per id that names no one."""
        ids = link_values(cell)
        unknown = tuple(
            Flag(
                IssueCode.UNKNOWN_ASSOCIATION,
                column,
                f"“{each}” in agentSourcedIds is the sourcedId of no one in users.csv.",
            )
            for each in ids
            if each not in self.people
        )
        return ", ".join(self._named(ids)), unknown

    def _named(self, ids: Sequence[str]) -> list[str]:
        """The emails or usernames of the people `ids` name, among those Roster imports
        (a link to an administrator, or to a row without either, is not made)."""
        named = (self.people.get(each) for each in ids)
        return [identity for found in named if found and found[0] and (identity := found[1])]
