import pytest

from roster.accounts.models import Role
from roster.importing.headers import guess_role, role_from_cell, split_full_name

TEMPLATE_STUDENT = [
    "First Name",
    "Last Name",
    "Email",
    "Username",
    "Phone",
    "Parent Email",
    "Instructor Email",
]
TEMPLATE_OTHER = ["First Name", "Last Name", "Email", "Phone", "Student"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ada Lovelace", ("Ada", "Lovelace")),
        ("  Ada   Lovelace ", ("Ada", "Lovelace")),
        ("Lovelace, Ada", ("Ada", "Lovelace")),
        ("Lovelace,Ada King", ("Ada King", "Lovelace")),
        ("Mary Ann de la Cruz", ("Mary Ann", "de la Cruz")),
        ("de la Cruz, Mary Ann", ("Mary Ann", "de la Cruz")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Vincent Van Gogh", ("Vincent", "Van Gogh")),
        ("Martin Luther King Jr.", ("Martin Luther", "King Jr.")),
        ("Martin Luther King, Jr.", ("Martin Luther", "King Jr.")),
        ("John Ronald Reuel Tolkien", ("John Ronald Reuel", "Tolkien")),
        ("Ada", None),
        ("Lovelace,", None),
        (", Ada", None),
        ("", None),
        ("   ", None),
    ],
)
def test_split_full_name(text: str, expected: tuple[str, str] | None) -> None:
    assert split_full_name(text) == expected


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("student", Role.STUDENT),
        ("Student", Role.STUDENT),
        (" STUDENTS ", Role.STUDENT),
        ("learner", Role.STUDENT),
        ("teacher", Role.INSTRUCTOR),
        ("Instructor", Role.INSTRUCTOR),
        ("tutor", Role.INSTRUCTOR),
        ("parent", Role.PARENT),
        ("guardian", Role.PARENT),
        ("relative", Role.PARENT),
        ("observer", Role.PARENT),  # Canvas's word for a parent
        ("administrator", None),
        ("aide", None),
        ("proctor", None),
        ("districtAdministrator", None),
        ("staff", None),
        ("student teacher", None),
        ("", None),
    ],
)
def test_role_from_cell(text: str, role: Role | None) -> None:
    assert role_from_cell(text) is role


@pytest.mark.parametrize(
    ("table_name", "file_name", "role"),
    [
        ("Students", None, Role.STUDENT),
        ("Student", "x.xlsx", Role.STUDENT),
        ("Pupils 2024", None, Role.STUDENT),
        ("Children", None, Role.STUDENT),
        ("Teachers", None, Role.INSTRUCTOR),
        ("Tutors", None, Role.INSTRUCTOR),
        ("Faculty", None, Role.INSTRUCTOR),
        ("Guardians", None, Role.PARENT),
        ("Parents & Guardians", None, Role.PARENT),
        ("Families", None, Role.PARENT),
        ("Sheet1", "teachers_2024.csv", Role.INSTRUCTOR),
        ("", "Parent-list.tsv", Role.PARENT),
        ("", "studentExport.xlsx", Role.STUDENT),
        # The sheet name is asked first, then the file name.
        ("Teachers", "students.xlsx", Role.INSTRUCTOR),
        # A name naming two roles decides nothing.
        ("Students and Parents", "users.csv", None),
        ("Sheet1", "users.csv", None),
    ],
)
def test_guess_role_from_names(table_name: str, file_name: str | None, role: Role | None) -> None:
    assert guess_role(table_name, file_name, []) is role


@pytest.mark.parametrize(
    ("header", "role"),
    [
        (TEMPLATE_STUDENT, Role.STUDENT),
        (["Name", "Email", "Guardian 1 Email"], Role.STUDENT),
        (["Name", "Email", "Grade", "DOB"], Role.STUDENT),
        (["Name", "Email", "Subject"], Role.INSTRUCTOR),
        (["Name", "Email", "Job Title"], Role.INSTRUCTOR),
        (["Name", "Email", "Student", "Relationship"], Role.PARENT),
        # Next to a Student column, a parent's or teacher's email is the row's own.
        (["Parent Name", "Parent Email", "Student"], Role.PARENT),
        (["Guardian Email", "Children"], Role.PARENT),
        (["Teacher Name", "Teacher Email", "Students"], Role.INSTRUCTOR),
        (["Student Name", "Student Email", "Parent Email"], Role.STUDENT),
        # A Student column fits parents and instructors alike.
        (TEMPLATE_OTHER, None),
        (["Name", "Email", "Student Email"], None),
        (["Name", "Email"], None),
        # One hint each way: unsure.
        (["Name", "Grade", "Subject"], None),
        # Each row carries its role.
        (["role", "givenName", "familyName", "email", "grades"], None),
    ],
)
def test_guess_role_from_header(header: list[str], role: Role | None) -> None:
    assert guess_role("Sheet1", "import.csv", header) is role
