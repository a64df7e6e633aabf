"""Clever SFTP CSVs: students.csv (with their contacts), teachers.csv, sections.csv and
enrollments.csv.

Clever's headers are `Capitalised_underscore` (`Student_id`); they are read in any case.
A student with two contacts is two rows alike but for the `Contact_*` cells: one student,
whose contacts are each a parent (one per email across the file, so siblings share one),
read from the same students.csv rows under a second mapping. sections.csv names each
section's teachers (`Teacher_id`, `Teacher_2_id`…), enrollments.csv its students: each
student is linked to the teachers of their sections. Ids that name no one are
`unknown_association` on their cells (bundle issues). The rules and what is deliberately
not used: docs/import-rules.md ("Clever bundles").
"""

import re
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

SOURCE = "clever"
_FILES: dict[str, frozenset[str]] = {
    "students.csv": frozenset({"student_id", "first_name", "last_name"}),
    "teachers.csv": frozenset({"teacher_id", "first_name", "last_name"}),
    "sections.csv": frozenset({"section_id", "teacher_id"}),
    "enrollments.csv": frozenset({"section_id", "student_id"}),
    "schools.csv": frozenset({"school_id", "school_name"}),
    "staff.csv": frozenset({"staff_id", "staff_email"}),
}
_LEFT_OUT = {
    "schools.csv": "schools",
    "staff.csv": "school staff (administrators, counselors)",
}
_PEOPLE = ("students.csv", "teachers.csv")
_STUDENT_FIELDS = {"first_name": "first_name", "last_name": "last_name", "student_email": "email"}
_TEACHER_FIELDS = {"first_name": "first_name", "last_name": "last_name", "teacher_email": "email"}
_CONTACT_FIELDS = {"contact_name": FULL_NAME, "contact_email": "email", "contact_phone": "phone"}
_TEACHER_COLUMN = re.compile(r"teacher(_\d+)?_id")  # Teacher_id, Teacher_2_id…
PARENTS_COLUMN = "Parents (Contact_email)"
INSTRUCTORS_COLUMN = "Instructors (sections.csv, enrollments.csv)"
USERNAME_COLUMN = "Username (when no Student_email)"
CONTACTS_SHEET = "students (contacts)"


def take(results: Sequence[ReadResult], taken: Collection[int] = ()) -> Bundle:
    """The Clever files among `results` (by name and headers), read as one bundle."""
    found = find_files(results, _FILES, taken)
    if not is_bundle(found, _PEOPLE):
        return NO_BUNDLE
    read_now = ("students.csv", "teachers.csv", "sections.csv", "enrollments.csv")
    files = {name: read(results, index) for name, index in found.items() if name in read_now}
    clever = _Clever(files)
    tables = clever.tables()
    notes = [_counted(files), *clever.notes, *left_out(results, found, _LEFT_OUT)]
    home = min(found[name] for name in _PEOPLE if name in found)
    return Bundle(frozenset(found.values()), home, tables, tuple(notes), tuple(clever.issues))


def _counted(files: dict[str, BundleFile]) -> str:
    what = {
        "students.csv": "student rows",
        "teachers.csv": "teacher rows",
        "sections.csv": "sections",
        "enrollments.csv": "enrollments",
    }
    found = [f"{name} — {len(file.rows)} {what[name]}" for name, file in files.items()]
    return f"Clever bundle: {'; '.join(found)}."


def _merged(file: BundleFile, id_column: str, alike: str) -> tuple[list[Row], dict[str, list[Row]]]:
    """The file's rows, one per id: a row alike an earlier one of the same id but for the
    columns whose header starts with `alike` is merged into it. Also: id → all its rows."""
    kept: list[Row] = []
    rows_of: dict[str, list[Row]] = {}
    differ = [i for i, cell in enumerate(file.header) if not cell.strip().lower().startswith(alike)]
    for row in file.rows:
        same = rows_of.setdefault(file.cell(row, id_column), [])
        first = same[0] if same else None
        if first is None or any(_at(first, i) != _at(row, i) for i in differ):
            kept.append(row)
        same.append(row)
    return kept, rows_of


def _at(row: Row, index: int) -> str:
    return row.cells[index].strip() if index < len(row.cells) else ""


@dataclass
class _Clever:
    files: dict[str, BundleFile]
    notes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    students: dict[str, Known] = field(default_factory=dict)  # Student_id → who
    teachers: dict[str, Known] = field(default_factory=dict)  # Teacher_id → who

    def tables(self) -> tuple[BundleTable, ...]:
        found: list[BundleTable] = []
        teachers = self.files.get("teachers.csv")
        if teachers is not None:
            found.append(self._teachers(teachers))
        students = self.files.get("students.csv")
        if students is not None:
            found[:0] = self._students(students)
        return tuple(found)

    def _teachers(self, file: BundleFile) -> BundleTable:
        kept, _ = _merged(file, "Teacher_id", "school_id")
        for row in file.rows:
            known = Known(Role.INSTRUCTOR, file.cell(row, "Teacher_email"))
            self.teachers.setdefault(file.cell(row, "Teacher_id"), known)
        self._merged_note(file, kept, "Teacher_id: one teacher at several schools.")
        columns = explicit_columns(file.header, _TEACHER_FIELDS)
        id_column = file.column("Teacher_id")
        return people_table(
            file, kept, Role.INSTRUCTOR, columns, source=SOURCE, id_column=id_column
        )

    def _students(self, file: BundleFile) -> list[BundleTable]:
        kept, rows_of = _merged(file, "Student_id", "contact_")
        for row in kept:
            email, username = file.cell(row, "Student_email"), file.cell(row, "Username")
            self.students.setdefault(
                file.cell(row, "Student_id"), Known(Role.STUDENT, email or username)
            )
        self._merged_note(file, kept, "Student_id: one student with several contacts.")
        teachers = self._enrolled()
        parents, contacts = self._contacts(file, kept, rows_of)
        logins = {
            row.number: file.cell(row, "Username")
            for row in kept
            if not file.cell(row, "Student_email")
        }
        instructors = {
            row.number: ", ".join(
                identities(self.teachers, teachers.get(file.cell(row, "Student_id"), []))
            )
            for row in kept
        }
        added = [
            Added(USERNAME_COLUMN, "username", logins),
            Added(PARENTS_COLUMN, "parent_emails", parents),
            Added(INSTRUCTORS_COLUMN, "instructor_emails", instructors),
        ]
        columns = explicit_columns(file.header, _STUDENT_FIELDS)
        id_column = file.column("Student_id")
        students = people_table(
            file, kept, Role.STUDENT, columns, added=added, source=SOURCE, id_column=id_column
        )
        if not contacts:
            return [students]
        contact_id = file.column("Contact_sis_id")
        parents_table = people_table(
            file,
            contacts,
            Role.PARENT,
            explicit_columns(file.header, _CONTACT_FIELDS),
            source=SOURCE if contact_id is not None else "",
            id_column=contact_id,
            sheet=CONTACTS_SHEET,
        )
        return [students, parents_table]

    def _contacts(
        self, file: BundleFile, kept: list[Row], rows_of: dict[str, list[Row]]
    ) -> tuple[dict[int, str], list[Row]]:
        """Each kept student row's contacts' emails (its Parents cell), and the rows the
        parents are read from: the first row naming each email (any case)."""
        parents: dict[int, str] = {}
        contacts: dict[str, Row] = {}
        without: list[int] = []
        for row in kept:
            mine: list[str] = []
            for each in rows_of[file.cell(row, "Student_id")]:
                email = file.cell(each, "Contact_email")
                if email:
                    contacts.setdefault(email.lower(), each)
                    mine.append(email)
                elif file.cell(each, "Contact_name"):
                    without.append(each.number)
            parents[row.number] = ", ".join(dict.fromkeys(mine))
        if without:
            why = "(a contact without Contact_email) not imported as a parent: a parent needs"
            self.notes.append(rows_note(file.name, without, f"{why} an email."))
        return parents, sorted(contacts.values(), key=lambda row: row.number)

    def _merged_note(self, file: BundleFile, kept: list[Row], why: str) -> None:
        if len(kept) < len(file.rows):
            merged = sorted({row.number for row in file.rows} - {row.number for row in kept})
            self.notes.append(
                rows_note(file.name, merged, f"merged into the earlier row of the same {why}")
            )

    def _enrolled(self) -> dict[str, list[str]]:
        """Each Student_id → the Teacher_ids of their sections (sections.csv, enrollments.csv)."""
        sections, enrollments = self.files.get("sections.csv"), self.files.get("enrollments.csv")
        taught = self._taught(sections) if sections is not None else {}
        if enrollments is None:
            return {}
        found: dict[str, list[str]] = {}
        unknown_sections: set[str] = set()
        for row in enrollments.rows:
            student = enrollments.cell(row, "Student_id")
            section = enrollments.cell(row, "Section_id")
            if student not in self.students:
                self.issues.append(
                    unknown_id(
                        enrollments, row, "Student_id", student, "Student_id", "students.csv"
                    )
                )
            elif sections is not None and section not in taught:
                unknown_sections.add(section)
            else:
                mine = found.setdefault(student, [])
                mine.extend(t for t in taught.get(section, ()) if t not in mine)
        if unknown_sections:
            shown = sorted(unknown_sections)
            self.notes.append(
                f"enrollments.csv names {len(shown)} Section_id(s) that no row of sections.csv"
                f" holds ({', '.join(shown[:5])}{', …' if len(shown) > 5 else ''}): those"
                " enrollments make no link."
            )
        return found

    def _taught(self, sections: BundleFile) -> dict[str, list[str]]:
        """Each Section_id → its Teacher_ids; an id teachers.csv does not hold is an issue."""
        columns = [c for c in sections.header if _TEACHER_COLUMN.fullmatch(c.strip().lower())]
        taught: dict[str, list[str]] = {}
        for row in sections.rows:
            mine = taught.setdefault(sections.cell(row, "Section_id"), [])
            for column in columns:
                teacher = sections.cell(row, column)
                if teacher and teacher not in self.teachers:
                    self.issues.append(
                        unknown_id(sections, row, column, teacher, "Teacher_id", "teachers.csv")
                    )
                elif teacher:
                    mine.append(teacher)
        return taught
