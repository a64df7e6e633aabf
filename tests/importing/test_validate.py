"""validate.py: every issue decided by the import alone, located as the admin sees it."""

from roster.accounts.models import Role
from roster.importing.headers import map_headers
from roster.importing.issues import IssueCode
from roster.importing.sources import Row, Table
from roster.importing.validate import TableInput, validate_import
from tests.importing.engine import codes, instructors, parents, students, table, validate


def test_a_good_row_becomes_a_person_with_normalised_values() -> None:
    result = validate(students("  Ann ,Lee,Ann@Example.COM,,(415) 555-0100,pat@example.com,"))
    [person] = result.people
    assert (person.first_name, person.email, person.phone) == (
        "Ann",
        "Ann@example.com",
        "+14155550100",
    )
    assert person.parent_emails == ("pat@example.com",)
    assert result.issues == []


def test_missing_required_values() -> None:
    result = validate(
        students(",Lee,ann@example.com,,,,", "Bo,Ng,,,,,"),
        parents("Pat,Lee,,,"),
    )
    assert codes(result.issues) == [
        ("missing_required", 2, "First Name"),
        ("missing_required", 3, "Email"),
        ("missing_required", 2, "Email"),
    ]
    assert len(result.people) == 0 and len(result.skipped) == 3


def test_invalid_email_username_and_too_long() -> None:
    long_name = "x" * 101
    result = validate(
        students(
            "Ann,Lee,not-an-email,,,,",
            "Bo,Ng,,b!,,,",
            f"{long_name},Ng,cy@example.com,,,,",
            "Di,Ng,di@example.com,,,bad@,",
        )
    )
    assert codes(result.issues) == [
        ("invalid_email", 2, "Email"),
        ("invalid_username", 3, "Username"),
        ("value_too_long", 4, "First Name"),
        ("invalid_email", 5, "Parent Email"),
    ]


def test_duplicates_across_tabs_trimmed_and_case_insensitive() -> None:
    result = validate(
        students(
            "Ann,Lee,ann@example.com,ann1,,,", "Ann,Lee, ANN@example.com ,,,,", "A,B,,ANN1,,,"
        ),
        parents("Pat,Lee,Ann@Example.com,,"),
    )
    assert codes(result.issues) == [
        ("duplicate_in_file", 3, "Email"),
        ("duplicate_in_file", 4, "Username"),
        ("duplicate_in_file", 2, "Email"),
    ]
    assert len(result.people) == 1  # the first occurrence is kept
    assert "row 2" in result.issues[0].message


def test_unmapped_required_column_is_a_tab_issue_and_skips_every_row() -> None:
    result = validate(table("First Name,Last Name,Phone\nPat,Lee,\nSam,Lee,", Role.PARENT))
    assert codes(result.issues) == [("unmapped_required_column", None, "Email")]
    assert [row.number for row in result.skipped] == [2, 3]


def test_warnings_keep_the_row() -> None:
    result = validate(
        table(
            "First Name,Last Name,Email,Phone,Shoe Size\n"
            "=cmd,Lee,pat@example.com,not a phone,42\n"
            "Sam,Lee,sam@example.com,+1 415 555 0100,",
            Role.PARENT,
        )
    )
    assert codes(result.issues) == [
        ("unknown_column", None, "Shoe Size"),
        ("formula_like_value", 2, "First Name"),
        ("invalid_phone", 2, "Phone"),
    ]
    assert [person.phone for person in result.people] == ["not a phone", "+14155550100"]


def test_full_name_is_split_with_a_warning_and_a_single_word_cannot_be() -> None:
    result = validate(
        table("Full Name,Email\nAnn Lee,ann@example.com\nCher,cher@example.com", Role.PARENT)
    )
    assert codes(result.issues) == [
        ("name_split_guess", 2, "Full Name"),
        ("missing_required", 3, "Full Name"),
    ]
    assert "single word" in result.issues[1].message
    [person] = result.people
    assert (person.first_name, person.last_name) == ("Ann", "Lee")


def test_lossy_cells_are_flagged() -> None:
    header = ("First Name", "Last Name", "Email", "Username", "Phone")
    rows = iter(
        [
            Row(2, ("Ann", "Lee", "ann@example.com", "", "4155550100"), frozenset({4})),
            Row(3, ("Bo", "Ng", "", "12345678901234567", ""), frozenset({3})),
        ]
    )
    item = TableInput(
        Table("Students", header, 1, rows),
        map_headers(header, Role.STUDENT),
        Role.STUDENT,
        "s.xlsx",
        "Students",
    )
    result = validate_import([item], region="US")
    assert codes(result.issues) == [
        ("invalid_phone", 2, "Phone"),
        ("invalid_username", 3, "Username"),
    ]
    assert [person.first_name for person in result.people] == ["Ann"]


def test_a_role_column_routes_rows() -> None:
    result = validate(
        table(
            "role,First Name,Last Name,Email,Username\n"
            "student,Ann,Lee,ann@example.com,\n"
            "teacher,Tim,Tutor,tim@example.com,\n"
            "guardian,Pat,Lee,pat@example.com,\n"
            "aide,Al,Aide,al@example.com,",
            None,
        )
    )
    assert [person.role for person in result.people] == [Role.STUDENT, Role.INSTRUCTOR, Role.PARENT]
    assert [issue.code for issue in result.issues] == [IssueCode.MISSING_REQUIRED]
    assert result.skipped[0].role is None


def test_student_links_may_be_usernames_on_parent_and_instructor_tabs() -> None:
    result = validate(instructors("Tim,Tutor,tim@example.com,,ann1; bo@example.com"))
    [person] = result.people
    assert person.students == ("ann1", "bo@example.com")


def test_file_and_sheet_are_reported() -> None:
    item = table("First Name,Last Name,Email\nPat,,pat@example.com", Role.PARENT, file="p.csv")
    [issue] = validate(item).issues
    assert (issue.file, issue.sheet) == ("p.csv", "Parent")
