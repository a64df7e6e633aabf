"""The names a bundle's tables carry (bundle.named_by_role): a file that gives several
tables of people names each with its role; a file with one table keeps its name."""

from roster.accounts.models import Role
from roster.importing.bundles.registry import take_bundles
from roster.importing.sources import ReadResult, Row, Table


def _csv(name: str, header: str, *rows: str) -> ReadResult:
    cells = [tuple(row.split(",")) for row in rows]
    table = Table(
        name.removesuffix(".csv"),
        tuple(header.split(",")),
        1,
        iter([Row(number, each) for number, each in enumerate(cells, start=2)]),
    )
    return ReadResult(name, [table])


def _names(*results: ReadResult) -> list[tuple[str, Role | None, str]]:
    [bundle] = take_bundles(results)
    return [(t.sheet, t.role, t.table.name) for t in bundle.tables]


USERS = "user_id,login_id,first_name,last_name,email,status"
ENROLLMENTS = "course_id,user_id,role,section_id,status"


def test_a_canvas_users_csv_of_several_roles_names_every_table_with_its_role() -> None:
    users = _csv("users.csv", USERS, "u1,a,Ana,Ruiz,a@x.org,active", "t1,t,Tess,Ford,t@x.org,")
    enrolled = _csv("enrollments.csv", ENROLLMENTS, "C1,t1,teacher,S1,", "C1,u1,student,S1,")
    # Canvas gives the instructors first: no tab called plainly "users" holds them.
    assert _names(users, enrolled) == [
        ("users (Instructors)", Role.INSTRUCTOR, "users (Instructors)"),
        ("users (Students)", Role.STUDENT, "users (Students)"),
    ]


def test_a_file_of_one_table_keeps_its_name() -> None:
    users = _csv("users.csv", USERS, "u1,a,Ana,Ruiz,a@x.org,active")
    enrolled = _csv("enrollments.csv", ENROLLMENTS, "C1,u1,student,S1,")
    assert _names(users, enrolled) == [("users", Role.STUDENT, "users")]


def test_clevers_students_and_contacts_keep_their_clear_names() -> None:
    students = _csv(
        "students.csv",
        "Student_id,First_name,Last_name,Student_email,Contact_name,Contact_email",
        "st1,Ana,Ruiz,a@x.org,Hana Ruiz,h@x.org",
    )
    teachers = _csv("teachers.csv", "Teacher_id,First_name,Last_name,Teacher_email")
    assert [(sheet, role) for sheet, role, _ in _names(students, teachers)] == [
        ("students", Role.STUDENT),
        ("students (contacts)", Role.PARENT),
        ("teachers", Role.INSTRUCTOR),
    ]


def test_a_oneroster_table_whose_rows_carry_their_own_roles_keeps_the_files_name() -> None:
    users = _csv(
        "users.csv",
        "sourcedId,role,givenName,familyName,email",
        "s1,student,Ana,Ruiz,a@x.org",
        "x1,studnet,Kim,Lane,k@x.org",  # no role Roster knows: its cell is flagged
    )
    manifest = _csv("manifest.csv", "propertyName,value", "oneroster.version,1.1")
    assert [(sheet, role) for sheet, role, _ in _names(users, manifest)] == [
        ("users (Students)", Role.STUDENT),
        ("users", None),
    ]
