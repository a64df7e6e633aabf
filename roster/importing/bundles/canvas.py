"""Canvas SIS import CSVs: users.csv, with roles from enrollments.csv and user_observers.csv.

Canvas's users.csv has no role: a user's role is that of their enrollments (`teacher`,
`ta` → instructor; `student`; `observer` → parent), or parent when user_observers.csv
names them as an observer. Students are linked to the teachers of their enrollment's
section (`section_id`), else of its course (`course_id`); an observer to the student
their enrollment's `associated_user_id` or a user_observers.csv row names. A student
with no email has their `login_id` as username. Ids that name no one in users.csv are
`unknown_association` on their cells (bundle issues: those files hold no people). The
rules and what is deliberately not used: docs/import-rules.md ("Canvas SIS bundles").
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
from roster.importing.headers import FULL_NAME
from roster.importing.issues import Issue
from roster.importing.sources import ReadResult, Row

SOURCE = "canvas"
_FILES: dict[str, frozenset[str]] = {
    "users.csv": frozenset({"user_id", "login_id"}),
    "enrollments.csv": frozenset({"user_id", "role"}),
    "user_observers.csv": frozenset({"observer_id", "student_id"}),
    "courses.csv": frozenset({"course_id", "short_name", "long_name"}),
    "sections.csv": frozenset({"section_id", "course_id", "name"}),
    "terms.csv": frozenset({"term_id", "name"}),
    "accounts.csv": frozenset({"account_id", "parent_account_id", "name"}),
}
_LEFT_OUT = {
    "courses.csv": "courses (enrollments.csv says who is in each)",
    "sections.csv": "sections (enrollments.csv says who is in each)",
    "terms.csv": "terms",
    "accounts.csv": "sub-accounts (departments, schools)",
}
_READ = ("users.csv", "enrollments.csv", "user_observers.csv")
# Enrollment roles Roster imports. Of several, an account takes the first in ORDER.
_ROLES = {
    "teacher": Role.INSTRUCTOR,
    "ta": Role.INSTRUCTOR,
    "student": Role.STUDENT,
    "observer": Role.PARENT,
}
ORDER = (Role.INSTRUCTOR, Role.STUDENT, Role.PARENT)
_FIELDS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "full_name": FULL_NAME,
    "email": "email",
}
INSTRUCTORS_COLUMN = "Instructors (enrollments.csv)"
STUDENTS_COLUMN = "Students (observers)"
USERNAME_COLUMN = "Username (login_id, when no email)"


def take(results: Sequence[ReadResult], taken: Collection[int] = ()) -> Bundle:
    """The Canvas SIS files among `results` (by name and headers), read as one bundle."""
    found = find_files(results, _FILES, taken)
    if not is_bundle(found, ("users.csv",)):
        return NO_BUNDLE
    files = {name: read(results, index) for name, index in found.items() if name in _READ}
    users = files["users.csv"]
    roster = _Roster({users.cell(row, "user_id") for row in users.rows})
    if "enrollments.csv" in files:
        roster.enrollments(files["enrollments.csv"])
    if "user_observers.csv" in files:
        roster.observers(files["user_observers.csv"])
    tables, notes = _Users(users, roster).tables()
    notes[:0] = [_counted(files)]
    notes.extend(left_out(results, found, _LEFT_OUT))
    home = found["users.csv"]
    return Bundle(frozenset(found.values()), home, tables, tuple(notes), tuple(roster.issues))


def _counted(files: dict[str, BundleFile]) -> str:
    found = [f"users.csv — {len(files['users.csv'].rows)} people"]
    if "enrollments.csv" in files:
        found.append(f"enrollments.csv — {len(files['enrollments.csv'].rows)} enrollments")
    if "user_observers.csv" in files:
        found.append(f"user_observers.csv — {len(files['user_observers.csv'].rows)} observers")
    return f"Canvas SIS bundle: {'; '.join(found)}."


def _deleted(file: BundleFile, row: Row) -> bool:
    return file.cell(row, "status").lower() == "deleted"


@dataclass
class _Roster:
    """What enrollments.csv and user_observers.csv say of each user_id."""

    ids: set[str]  # every user_id of users.csv
    roles: dict[str, list[str]] = field(default_factory=dict)  # user → enrollment roles
    by_section: dict[str, list[str]] = field(default_factory=dict)  # section → teachers
    by_course: dict[str, list[str]] = field(default_factory=dict)  # course → teachers
    classes: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # student → (section, course)
    observed: dict[str, list[str]] = field(default_factory=dict)  # observer → students
    issues: list[Issue] = field(default_factory=list)

    def known(self, file: BundleFile, row: Row, column: str) -> str | None:
        """The id in the cell when it names someone of users.csv; else an issue, None."""
        value = file.cell(row, column)
        if value in self.ids:
            return value
        self.issues.append(unknown_id(file, row, column, value, "user_id", "users.csv"))
        return None

    def enrollments(self, file: BundleFile) -> None:
        for row in file.rows:
            user = self.known(file, row, "user_id") if not _deleted(file, row) else None
            if user is None:
                continue
            role = file.cell(row, "role").lower()
            self.roles.setdefault(user, []).append(role)
            section, course = file.cell(row, "section_id"), file.cell(row, "course_id")
            if _ROLES.get(role) is Role.INSTRUCTOR:
                for key, teachers in ((section, self.by_section), (course, self.by_course)):
                    if key:
                        teachers.setdefault(key, []).append(user)
            elif role == "student":
                self.classes.setdefault(user, []).append((section, course))
            elif role == "observer" and file.cell(row, "associated_user_id"):
                student = self.known(file, row, "associated_user_id")
                if student is not None:
                    self.observed.setdefault(user, []).append(student)

    def observers(self, file: BundleFile) -> None:
        for row in file.rows:
            if _deleted(file, row):
                continue
            observer = self.known(file, row, "observer_id")
            student = self.known(file, row, "student_id")
            if observer is not None and student is not None:
                self.roles.setdefault(observer, []).append("observer")
                self.observed.setdefault(observer, []).append(student)

    def role(self, user: str) -> Role | None:
        mine = {_ROLES.get(each) for each in self.roles.get(user, ())}
        return next((role for role in ORDER if role in mine), None)

    def teachers(self, student: str) -> list[str]:
        """The teachers of the student's section, else of their course, in every class."""
        found: list[str] = []
        for section, course in self.classes.get(student, ()):
            found.extend(self.by_section.get(section, []) or self.by_course.get(course, []))
        return found


@dataclass
class _Users:
    file: BundleFile
    roster: _Roster
    notes: list[str] = field(default_factory=list)

    def tables(self) -> tuple[tuple[BundleTable, ...], list[str]]:
        file, roster = self.file, self.roster
        deleted: list[int] = []
        no_role: list[int] = []
        other: list[int] = []
        several: list[int] = []
        groups: dict[Role, list[Row]] = {}
        for row in file.rows:
            user = file.cell(row, "user_id")
            role = roster.role(user)
            if _deleted(file, row):
                deleted.append(row.number)
            elif role is not None:
                groups.setdefault(role, []).append(row)
                roles = {_ROLES.get(each) for each in roster.roles[user]} - {None}
                if len(roles) > 1:
                    several.append(row.number)
            elif user in roster.roles:
                other.append(row.number)
            else:
                no_role.append(row.number)
        self.people = {
            file.cell(row, "user_id"): Known(self._role(row), self._identity(row))
            for row in file.rows
        }
        self._note(deleted, "(status deleted) left out.")
        self._note(
            other,
            "left out: their enrollments are in roles Roster does not import"
            " (it imports teachers, TAs, students and observers).",
        )
        self._note(no_role, "left out: no enrollment or observer link gives them a role.")
        self._note(
            several,
            "(enrollments in several roles) imported once: as an instructor"
            " before a student before a parent.",
        )
        tables = tuple(self._table(role, groups[role]) for role in ORDER if role in groups)
        return tables, self.notes

    def _note(self, numbers: list[int], why: str) -> None:
        if numbers:
            self.notes.append(rows_note("users.csv", numbers, why))

    def _role(self, row: Row) -> Role | None:
        return (
            None if _deleted(self.file, row) else self.roster.role(self.file.cell(row, "user_id"))
        )

    def _identity(self, row: Row) -> str:
        """How links name the user: their email; a student without one, their login_id."""
        email = self.file.cell(row, "email")
        return email or (self.file.cell(row, "login_id") if self._role(row) is Role.STUDENT else "")

    def _table(self, role: Role, rows: list[Row]) -> BundleTable:
        file, roster = self.file, self.roster
        added: list[Added] = []
        if role is Role.STUDENT:
            logins = {
                row.number: file.cell(row, "login_id")
                for row in rows
                if not file.cell(row, "email")
            }
            teachers = {
                row.number: ", ".join(
                    identities(self.people, roster.teachers(file.cell(row, "user_id")))
                )
                for row in rows
            }
            added = [
                Added(USERNAME_COLUMN, "username", logins),
                Added(INSTRUCTORS_COLUMN, "instructor_emails", teachers),
            ]
        elif role is Role.PARENT:
            students = {
                row.number: ", ".join(
                    identities(self.people, roster.observed.get(file.cell(row, "user_id"), []))
                )
                for row in rows
            }
            added = [Added(STUDENTS_COLUMN, "students", students)]
        columns = explicit_columns(file.header, _FIELDS)
        return people_table(
            file, rows, role, columns, added=added, source=SOURCE, id_column=file.column("user_id")
        )
