"""Which files given together make a bundle, of which kind (bundles/registry.py).

Each kind recognises its files by name and headers, both; it is a bundle only when one of
its files of people comes with at least one other of its files.
"""

import pytest

from roster.accounts.models import Role
from roster.importing.bundles import canvas, clever, oneroster
from roster.importing.bundles.bundle import NO_BUNDLE, BundleFile
from roster.importing.bundles.oneroster_roles import roles_of
from roster.importing.bundles.registry import take_bundles
from roster.importing.intake import decide_files
from roster.importing.sources import ReadResult, Row, Table

FILES = {
    "oneroster 1.1 users": ("users.csv", "sourcedId,role,givenName,familyName,email"),
    "oneroster 1.2 users": ("users.csv", "sourcedId,givenName,familyName,email,pronouns"),
    "oneroster roles": ("roles.csv", "sourcedId,userSourcedId,roleType,role"),
    "oneroster manifest": ("manifest.csv", "propertyName,value"),
    "canvas users": ("users.csv", "user_id,login_id,first_name,last_name,email,status"),
    "canvas enrollments": ("enrollments.csv", "course_id,user_id,role,section_id,status"),
    "canvas terms": ("terms.csv", "term_id,name,status"),
    "clever students": ("students.csv", "School_id,Student_id,First_name,Last_name"),
    "clever teachers": ("teachers.csv", "School_id,Teacher_id,First_name,Last_name"),
    "clever enrollments": ("enrollments.csv", "School_id,Section_id,Student_id"),
    "clever schools": ("schools.csv", "School_id,School_name"),
}

# One person, p1, whom every file names: a student.
_VALUES = {
    "sourcedid": "p1",
    "usersourcedid": "p1",
    "user_id": "p1",
    "student_id": "p1",
    "role": "student",
    "roletype": "primary",
}


def _results(*keys: str) -> list[ReadResult]:
    found = []
    for key in keys:
        name, header = FILES[key]
        cells = tuple(_VALUES.get(cell.lower(), "x") for cell in header.split(","))
        table = Table(name.removesuffix(".csv"), tuple(header.split(",")), 1, iter([Row(2, cells)]))
        found.append(ReadResult(name, [table]))
    return found


@pytest.mark.parametrize(
    ("kind", "keys"),
    [
        (oneroster.take, ("oneroster 1.1 users",)),
        (oneroster.take, ("oneroster roles", "oneroster manifest")),
        (canvas.take, ("canvas users",)),
        (canvas.take, ("canvas enrollments", "canvas terms")),
        (clever.take, ("clever students",)),
        (clever.take, ("clever teachers",)),
        (clever.take, ("clever enrollments", "clever schools")),
    ],
)
def test_a_lone_file_of_people_or_files_without_people_are_no_bundle(
    kind: object, keys: tuple[str, ...]
) -> None:
    assert callable(kind)
    assert kind(_results(*keys), ()) == NO_BUNDLE


@pytest.mark.parametrize(
    ("kind", "keys", "source"),
    [
        (oneroster.take, ("oneroster 1.1 users", "oneroster manifest"), "oneroster"),
        (oneroster.take, ("oneroster 1.2 users", "oneroster roles"), "oneroster"),
        (canvas.take, ("canvas users", "canvas enrollments"), "canvas"),
        (clever.take, ("clever students", "clever teachers"), "clever"),
        (clever.take, ("clever teachers", "clever schools"), "clever"),
    ],
)
def test_a_file_of_people_and_another_of_its_kind_are_a_bundle(
    kind: object, keys: tuple[str, ...], source: str
) -> None:
    assert callable(kind)
    bundle = kind(_results(*keys), ())
    assert bundle.files == frozenset(range(len(keys)))
    assert {table.source for table in bundle.tables} == {source}
    ids = {"sourcedid", "user_id", "student_id", "teacher_id"}
    for table in bundle.tables:
        assert table.id_column is not None
        assert table.table.header[table.id_column].lower() in ids


def test_headers_decide_not_only_names() -> None:
    """A Canvas users.csv beside OneRoster's manifest.csv, and a Clever enrollments.csv
    beside a Canvas users.csv: same names as a bundle's files, not the same kind."""
    assert take_bundles(_results("canvas users", "oneroster manifest")) == []
    assert take_bundles(_results("canvas users", "clever enrollments")) == []
    assert take_bundles(_results("oneroster 1.1 users", "canvas enrollments")) == []


def test_names_decide_not_only_headers() -> None:
    results = _results("canvas users", "canvas terms")
    results[0].file = "people.csv"
    assert take_bundles(results) == []


def test_clever_headers_are_read_in_any_case() -> None:
    results = _results("clever students", "clever schools")
    table = results[0].tables[0]
    table.header = tuple(cell.upper() for cell in table.header)
    results[0].file = "Students.csv"
    [bundle] = take_bundles(results)
    assert [table.role for table in bundle.tables] == [Role.STUDENT]


def test_several_kinds_in_one_import_are_each_their_own_bundle() -> None:
    results = _results("canvas users", "oneroster 1.1 users", "canvas terms", "oneroster manifest")
    found = take_bundles(results)
    assert [(bundle.files, bundle.home) for bundle in found] == [
        (frozenset({1, 3}), 1),
        (frozenset({0, 2}), 0),
    ]


def test_a_bundles_notes_and_issues_come_at_its_first_file_of_people() -> None:
    """teachers.csv given before students.csv: each file's tables at its own place."""
    decided = decide_files(_results("clever teachers", "clever students", "clever schools"), None)
    assert [index for index, _ in decided] == [0, 1]
    teachers, students = decided[0][1], decided[1][1]
    assert [t.role for t in teachers.tables] == [Role.INSTRUCTOR]
    assert teachers.notes and teachers.notes[0].startswith("Clever bundle:")
    assert [t.role for t in students.tables] == [Role.STUDENT]
    assert students.notes == ()


def test_a_lone_canvas_users_csv_is_decided_as_any_table() -> None:
    [(index, intake)] = decide_files(_results("canvas users"), None)
    assert index == 0
    [table] = intake.tables
    assert (table.source, table.role, table.unclear is not None) == ("", None, True)


def test_a_oneroster_12_users_primary_role_wins() -> None:
    header = ("sourcedId", "status", "userSourcedId", "roleType", "role")
    rows = [
        Row(2, ("r1", "active", "u1", "secondary", "student")),
        Row(3, ("r2", "active", "u1", "primary", "teacher")),
        Row(4, ("r3", "tobedeleted", "u2", "primary", "teacher")),
        Row(5, ("r4", "active", "u2", "secondary", "parent")),
        Row(6, ("r5", "active", "u3", "primary", "student")),
    ]
    file = BundleFile(0, "roles.csv", Table("roles", header, 1, iter(())), rows)
    issues: list[object] = []
    assert roles_of(file, {"u1", "u2"}, issues) == {"u1": "teacher", "u2": "parent"}  # type: ignore[arg-type]
    assert [(i.code, i.row, i.column) for i in issues] == [  # type: ignore[attr-defined]
        ("unknown_association", 6, "userSourcedId")
    ]
