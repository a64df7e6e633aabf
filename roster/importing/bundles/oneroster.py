"""OneRoster 1.1 and 1.2 CSV bundles: users.csv, enrollments.csv and the files around them.

A bundle links people by the export's own ids (`sourcedId`), so its files are read
together, before validation: each users.csv row becomes a row of the engine's tables
(students, instructors, parents), its `agentSourcedIds` rewritten into the emails or
usernames of the people they name, and the teachers of each student's classes
(enrollments.csv) added as the student's instructors. The version is told by users.csv's
headers: 1.1 has a `role` column; 1.2 keeps roles in roles.csv (oneroster_roles.py).
An id that names no one in users.csv is an `unknown_association` on the cell that holds
it: a flag on a users.csv row, or a bundle issue on a row of enrollments.csv / roles.csv.
What is deliberately not used: docs/import-rules.md ("Bundles", "OneRoster 1.1 and 1.2").
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from roster.accounts.models import Role
from roster.importing.bundles.bundle import (
    NO_BUNDLE,
    Added,
    Bundle,
    BundleFile,
    BundleTable,
    Known,
    explicit_columns,
    find_files,
    identities,
    is_bundle,
    left_out,
    people_table,
    read,
    rows_note,
    unknown_id,
)
from roster.importing.bundles.oneroster_roles import OTHER_ROLES, ROLES, roles_of
from roster.importing.fields import link_values
from roster.importing.headers import ROLE
from roster.importing.issues import Issue, IssueCode
from roster.importing.rowcheck import Flag
from roster.importing.sources import ReadResult, Row

# Each file of a bundle: its name, and the headers (lower case) that make it one.
_FILES: dict[str, frozenset[str]] = {
    "users.csv": frozenset({"sourcedid", "givenname", "familyname"}),
    "roles.csv": frozenset({"usersourcedid", "role", "roletype"}),
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
# users.csv's columns Roster reads (any case); every other one is ignored.
_FIELDS = {
    "givenname": "first_name",
    "familyname": "last_name",
    "email": "email",
    "username": "username",
    "phone": "phone",
}
# The column agentSourcedIds feeds on each role's rows.
_AGENT_FIELD = {Role.STUDENT: "parent_emails", Role.PARENT: "students"}
INSTRUCTORS_COLUMN = "Instructors (enrollments.csv)"
PREFERRED_COLUMN = "First Name (preferredGivenName, else givenName)"
SOURCE = "oneroster"  # the name its ids are kept under (1.1 and 1.2 share sourcedIds)
_READ = ("users.csv", "roles.csv", "enrollments.csv")  # the files whose rows are read


def take(results: Sequence[ReadResult], taken: Collection[int] = ()) -> Bundle:
    """The OneRoster files among `results` (by name and headers), read as one bundle."""
    found = find_files(results, _FILES, taken)
    if not is_bundle(found, ("users.csv",)):
        return NO_BUNDLE
    files = {name: read(results, index) for name, index in found.items() if name in _READ}
    users = files["users.csv"]
    version = "1.1" if users.column("role") is not None else "1.2"
    people = {users.cell(row, "sourcedId") for row in users.rows}
    issues: list[Issue] = []
    # 1.1: the role is users.csv's own column; 1.2: roles.csv's (None: no such file).
    roles = None if version == "1.1" else roles_of(files.get("roles.csv"), people, issues)
    enrolled = _enrollments(files.get("enrollments.csv"), people, issues)
    reader = _Users(users, roles, enrolled)
    tables = reader.tables()  # first: making them writes reader.notes
    notes = [_counted(version, files), *reader.notes, *left_out(results, found, _LEFT_OUT)]
    home = found["users.csv"]
    return Bundle(frozenset(found.values()), home, tables, tuple(notes), tuple(issues))


def _counted(version: str, files: dict[str, BundleFile]) -> str:
    """What the bundle holds, as the review will say it."""
    found = [f"users.csv — {len(files['users.csv'].rows)} people"]
    if "roles.csv" in files:
        found.append(f"roles.csv — {len(files['roles.csv'].rows)} roles")
    if "enrollments.csv" in files:
        found.append(f"enrollments.csv — {len(files['enrollments.csv'].rows)} class enrollments")
    return f"OneRoster {version} bundle: {'; '.join(found)}."


def _enrollments(
    file: BundleFile | None, people: Collection[str], issues: list[Issue]
) -> dict[str, list[str]]:
    """Each student's sourcedId → the sourcedIds of the teachers of their classes.

    A userSourcedId that no users.csv row holds is an issue on its cell."""
    if file is None:
        return {}
    teachers: dict[str, list[str]] = {}
    students: dict[str, list[str]] = {}
    for row in file.rows:
        user = file.cell(row, "userSourcedId")
        if user not in people:
            issues.append(unknown_id(file, row, "userSourcedId", user, "sourcedId", "users.csv"))
            continue
        kind = file.cell(row, "role").lower()
        side = teachers if kind == "teacher" else students if kind == "student" else None
        if side is not None:
            side.setdefault(file.cell(row, "classSourcedId"), []).append(user)
    found: dict[str, list[str]] = {}
    for klass, members in students.items():
        for student in members:
            mine = found.setdefault(student, [])
            mine.extend(t for t in teachers.get(klass, ()) if t not in mine)
    return found


@dataclass
class _Users:
    file: BundleFile
    roles: dict[str, str] | None  # 1.2: sourcedId → role (roles.csv); 1.1: None
    enrolled: dict[str, list[str]]  # student's sourcedId → their teachers' sourcedIds
    notes: list[str] = field(default_factory=list)

    @property
    def role_column(self) -> bool:
        return self.roles is None

    def role_text(self, row: Row) -> str:
        """The row's role as OneRoster writes it."""
        if self.roles is None:
            return self.file.cell(row, "role")
        return self.roles.get(self.file.cell(row, "sourcedId"), "")

    def tables(self) -> tuple[BundleTable, ...]:
        rows = self.file.rows
        self.people = {  # sourcedId → who they are to links
            self.file.cell(row, "sourcedId"): Known(self._role(row), self._identity(row))
            for row in rows
        }
        groups: dict[Role | None, list[Row]] = {}
        left_out: dict[str, list[int]] = {}
        no_role: list[int] = []
        for row in rows:
            text = self.role_text(row)
            if not (text or self.role_column):
                no_role.append(row.number)
            elif text.lower() in OTHER_ROLES:
                left_out.setdefault(text, []).append(row.number)
            else:
                groups.setdefault(self._role(row), []).append(row)
        for text, numbers in left_out.items():
            why = f"({text}) left out: Roster imports students, teachers and parents."
            self.notes.append(rows_note("users.csv", numbers, why))
        if no_role:
            why = "left out: roles.csv gives them no role Roster imports."
            self.notes.append(rows_note("users.csv", no_role, why))
        order = (Role.STUDENT, Role.INSTRUCTOR, Role.PARENT, None)
        return tuple(self._table(role, groups[role]) for role in order if role in groups)

    def _role(self, row: Row) -> Role | None:
        return ROLES.get(self.role_text(row).lower())

    def _identity(self, row: Row) -> str:
        return self.file.cell(row, "email") or self.file.cell(row, "username")

    def _table(self, role: Role | None, rows: list[Row]) -> BundleTable:
        file = self.file
        columns = explicit_columns(file.header, _FIELDS | ({} if role else {"role": ROLE}))
        phone, sms = file.column("phone"), file.column("sms")
        if sms is not None and phone is None:
            columns = columns.with_choice(sms, "phone")
        agent = file.column("agentSourcedIds")
        link = _AGENT_FIELD.get(role) if role else None
        if agent is not None and link is not None:
            columns = columns.with_choice(agent, link)
        added: list[Added] = []
        flags: dict[int, tuple[Flag, ...]] = {}
        taken: list[Row] = []
        preferred = file.column("preferredGivenName")
        if preferred is not None:
            given = file.column("givenName")
            assert given is not None  # a users.csv has it (_FILES)
            columns = columns.with_choice(given, None)
            names = {
                row.number: file.cell(row, "preferredGivenName") or file.cell(row, "givenName")
                for row in rows
            }
            added.append(Added(PREFERRED_COLUMN, "first_name", names))
        if role is Role.STUDENT and self.enrolled:
            teachers = {
                row.number: ", ".join(
                    identities(self.people, self.enrolled.get(file.cell(row, "sourcedId"), []))
                )
                for row in rows
            }
            added.append(Added(INSTRUCTORS_COLUMN, "instructor_emails", teachers))
        for row in rows:
            cells = list(row.cells) + [""] * (len(file.header) - len(row.cells))
            if agent is not None and link is not None:
                cells[agent], found = self._agents(cells[agent], agent)
                if found:
                    flags[row.number] = found
            if phone is not None and sms is not None and not cells[phone].strip():
                cells[phone] = cells[sms]  # a text-message number when no other is given
            taken.append(Row(row.number, tuple(cells), row.lossy))
        return people_table(
            file,
            taken,
            role,
            columns,
            added=added,
            flags=flags,
            source=SOURCE,
            id_column=file.column("sourcedId"),
        )

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
        return ", ".join(identities(self.people, ids)), unknown
