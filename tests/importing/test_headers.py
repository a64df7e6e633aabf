import pytest

from roster.accounts.models import Role
from roster.importing.fields import FIELDS, FIELDS_BY_NAME, Kind
from roster.importing.header_words import header_words
from roster.importing.headers import FULL_NAME, ROLE, claim_column, map_headers
from roster.importing.synonyms import LINK_FIELDS

STU, INS, PAR = Role.STUDENT, Role.INSTRUCTOR, Role.PARENT


def field_of(text: str, role: Role | None) -> str | None:
    return map_headers([text], role).fields[0]


@pytest.mark.parametrize(
    ("text", "words", "notes", "number"),
    [
        ("First Name [Required]", ("first", "name"), (("required",),), None),
        ("firstName", ("first", "name"), (), None),
        ("FIRSTNAME", ("first", "name"), (), None),
        ("first_name", ("first", "name"), (), None),
        ("E-mail Address", ("email", "address"), (), None),
        ("Guardian1Email", ("guardian", "email"), (), 1),
        ("2nd Parent Email", ("parent", "email"), (), 2),
        ("Parents' e-mails", ("parent", "email"), (), None),
        ("Student's Name", ("student", "name"), (), None),
        ("LastFirst", ("last", "first"), (), None),
        ("[05]TeacherNumber", ("teacher", "number"), (), None),
        ("Children", ("child",), (), None),
        ("sourcedId", ("sourced", "id"), (), None),
        ("firstnamephonetic", ("firstnamephonetic",), (), None),
        ("ＦｉｒｓｔＮａｍｅ", ("first", "name"), (), None),  # full-width, as some IMEs type it
    ],
)
def test_header_words(
    text: str, words: tuple[str, ...], notes: tuple[tuple[str, ...], ...], number: int | None
) -> None:
    found = header_words(text)
    assert (found.words, found.notes, found.number) == (words, notes, number)


@pytest.mark.parametrize(
    ("text", "role", "field"),
    [
        # First name
        ("First", STU, "first_name"),
        ("Given Name", STU, "first_name"),
        ("firstname", INS, "first_name"),
        ("First Name [Required]", PAR, "first_name"),
        ("Name, First", STU, "first_name"),
        ("Forename", STU, "first_name"),
        ("Student First Name", STU, "first_name"),
        ("Parent First Name", PAR, "first_name"),
        # Last name
        ("Surname", STU, "last_name"),
        ("Family name", INS, "last_name"),
        ("LAST", PAR, "last_name"),
        ("last-name", STU, "last_name"),
        # Email
        ("Email", STU, "email"),
        ("E-mail Address", STU, "email"),
        ("e mail", PAR, "email"),
        ("EmailAddress", INS, "email"),
        ("Email ID", STU, "email"),
        ("Student Email", STU, "email"),
        ("Teacher_email", INS, "email"),
        ("Parent Email", PAR, "email"),
        ("Work Email", INS, "email"),
        ("userPrincipalName", INS, "email"),
        ("Login Email", INS, "email"),
        ("Email (primary)", INS, "email"),
        # Phone
        ("Mobile", STU, "phone"),
        ("Cell Phone #", PAR, "phone"),
        ("Telephone Number", INS, "phone"),
        ("Phone (mobile)", STU, "phone"),
        ("What is your phone number?", PAR, "phone"),
        ("Mobile No.", STU, "phone"),
        ("Tel. Nr", PAR, "phone"),
        # Username (students only)
        ("Username", STU, "username"),
        ("User Name", STU, "username"),
        ("login_id", STU, "username"),
        ("Student_Web_ID", STU, "username"),
        # Associations on a Student tab
        ("Parent Email", STU, "parent_emails"),
        ("Guardian 1 Email", STU, "parent_emails"),
        ("Parent 2 Email", STU, "parent_emails"),
        ("Parent/Guardian Email", STU, "parent_emails"),
        ("Mother_Email", STU, "parent_emails"),
        ("Guardianemail", STU, "parent_emails"),
        ("Contact_email", STU, "parent_emails"),
        ("Email of parent", STU, "parent_emails"),
        ("Parents", STU, "parent_emails"),
        ("Email (parent's)", STU, "parent_emails"),
        ("Teacher", STU, "instructor_emails"),
        ("Tutor Email", STU, "instructor_emails"),
        ("Assigned Tutor Email", STU, "instructor_emails"),
        ("Homeroom Teacher", STU, "instructor_emails"),
        ("Instructor Email", STU, "instructor_emails"),
        # Associations on Parent and Instructor tabs
        ("Student", PAR, "students"),
        ("Student", INS, "students"),
        ("Students", INS, "students"),
        ("Student Email", PAR, "students"),
        ("Student Username", INS, "students"),
        ("Child", PAR, "students"),
        ("Children's emails", PAR, "students"),
        # Pseudo-fields
        ("Full Name", STU, FULL_NAME),
        ("Name", PAR, FULL_NAME),
        ("Display Name", INS, FULL_NAME),
        ("LastFirst", STU, FULL_NAME),
        ("First & Last Name", STU, FULL_NAME),
        ("Name of student", STU, FULL_NAME),
        ("role", None, ROLE),
        ("User Type", None, ROLE),
    ],
)
def test_spelling_maps_to_field(text: str, role: Role | None, field: str) -> None:
    assert field_of(text, role) == field


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # Look-alikes of the person's own email
        ("Recovery Email", STU),
        ("Secondary Email", INS),
        ("Home Secondary Email", PAR),
        ("Work Secondary Email", INS),
        ("Manager Email", INS),
        ("Alternate email address", INS),
        ("Alt. E-mail", STU),
        ("Other email", PAR),
        ("Personal email (other)", INS),
        ("New Primary Email [UPLOAD ONLY]", STU),
        ("Emergency Contact Email", STU),
        ("Guardian Email", INS),  # instructors have no parent links
        ("Parent Email", INS),
        ("Teacher Email", PAR),
        # Other people's names and phones are not the person's
        ("Parent Name", STU),
        ("Mother_First", STU),
        ("Mother", STU),
        ("Contact Phone", STU),
        ("Parent phone number", STU),
        ("Student Name", PAR),
        ("Parent Username", STU),  # parents have no usernames
        # Words that only look like a field
        ("Last Login", STU),
        ("Last Modified", STU),
        ("First Day", STU),
        ("Middle Name", STU),
        ("Nickname", STU),
        ("Preferred Name", STU),
        ("Student Number", STU),
        ("Student ID", PAR),
        ("user_id", STU),
        ("Employee ID", INS),
        ("Employee Type", INS),
        ("Office Number", INS),
        ("Fax", INS),
        ("Home Address", STU),
        ("Timestamp", STU),
        ("Student", STU),  # a student's own tab: nobody to link
        ("role1", STU),  # Moodle: the role in course1, not the person's
        ("declared_user_type", STU),
        ("", STU),
    ],
)
def test_lookalike_maps_to_nothing(text: str, role: Role | None) -> None:
    assert field_of(text, role) is None


def test_a_huge_run_together_header_is_left_whole() -> None:
    text = "id" * 5000
    assert header_words(text).words == (text,)
    assert field_of(text, STU) is None


def test_every_catalogue_label_and_name_maps_to_its_field_for_its_roles() -> None:
    for field in FIELDS:
        for role in field.roles:
            assert field_of(field.label, role) == field.name
            assert field_of(field.name, role) == field.name
            assert field_of(f"  {field.label.upper()} [Required] ", role) == field.name


def test_the_synonym_table_names_only_catalogue_fields_and_covers_every_link() -> None:
    assert set(LINK_FIELDS.values()) == {f.name for f in FIELDS if f.kind is Kind.LINKS}
    for (role, other), name in LINK_FIELDS.items():
        field = FIELDS_BY_NAME[name]
        assert role is None or role in field.roles
        assert other not in field.roles


def test_without_a_role_every_field_of_any_role_is_a_candidate() -> None:
    header = ["First Name", "Email", "Username", "Parent Email", "Instructor Email", "Student"]
    fields = map_headers(header, None).fields
    assert fields == (
        "first_name",
        "email",
        "username",
        "parent_emails",
        "instructor_emails",
        "students",
    )


class TestTieRules:
    def test_an_exact_label_beats_a_synonym_wherever_it_is(self) -> None:
        fields = map_headers(["E-mail Address", "Email"], STU).fields
        assert fields == (None, "email")

    def test_among_equal_claims_the_leftmost_wins(self) -> None:
        mapped = map_headers(["Given Name", "Forename"], STU)
        assert mapped.fields == ("first_name", None)
        assert mapped.unknown_columns == [1]

    def test_a_qualified_synonym_loses_to_a_plain_one(self) -> None:
        fields = map_headers(["Work Phone", "Home Phone", "Mobile Phone"], PAR).fields
        assert fields == (None, None, "phone")
        fields = map_headers(["preferredGivenName", "givenName"], STU).fields
        assert fields == (None, "first_name")

    def test_a_numbered_column_loses_to_the_first_one_wherever_it_is(self) -> None:
        assert map_headers(["Email 2", "Email 1"], STU).fields == (None, "email")
        assert map_headers(["phone2", "phone1"], STU).fields == (None, "phone")

    def test_a_qualified_synonym_is_taken_when_it_is_alone(self) -> None:
        assert map_headers(["Work Phone", "Home Phone"], PAR).fields == ("phone", None)

    def test_link_columns_are_all_kept(self) -> None:
        header = ["Parent 1 Email", "Parent 2 Email", "Guardian Email", "Teacher", "Tutor"]
        mapped = map_headers(header, STU)
        assert mapped.columns_of("parent_emails") == [0, 1, 2]
        assert mapped.columns_of("instructor_emails") == [3, 4]
        assert mapped.unknown_columns == []

    def test_a_sign_in_name_is_an_instructors_email_only_without_an_email_column(self) -> None:
        assert map_headers(["User Name", "First Name"], INS).fields == ("email", "first_name")
        assert map_headers(["User Name", "Email"], INS).fields == (None, "email")
        assert map_headers(["User Name", "Email"], STU).fields == ("username", "email")


class TestFullNameRule:
    def test_full_name_is_used_without_first_and_last(self) -> None:
        assert map_headers(["Full Name", "Email"], STU).fields == (FULL_NAME, "email")

    def test_the_strongest_full_name_column_wins(self) -> None:
        fields = map_headers(["Display Name", "Full Name"], PAR).fields
        assert fields == (None, FULL_NAME)

    def test_full_name_stays_beside_first_and_last_for_rows_without_them(self) -> None:
        fields = map_headers(["Full Name", "First Name", "Last Name"], STU).fields
        assert fields == (FULL_NAME, "first_name", "last_name")

    def test_a_bare_name_next_to_a_surname_is_the_first_name(self) -> None:
        assert map_headers(["Name", "Surname"], STU).fields == ("first_name", "last_name")

    def test_a_full_name_next_to_only_a_first_name_gives_the_last_names(self) -> None:
        assert map_headers(["First Name", "Full Name"], STU).fields == ("first_name", FULL_NAME)


class TestColumnMap:
    def test_override_and_ignore(self) -> None:
        mapped = map_headers(["Given", "Notes", "Surname"], STU)
        assert mapped.unknown_columns == [1]
        ignored = mapped.with_choice(1, None)
        assert ignored.unknown_columns == []
        chosen = ignored.with_choice(1, "phone")
        assert chosen.fields == ("first_name", "phone", "last_name")
        assert chosen.ignored == frozenset()

    def test_blank_header_cells_are_not_unknown_columns(self) -> None:
        assert map_headers(["Email", " ", ""], INS).unknown_columns == []

    def test_claim_column_reports_how_sure_it_is(self) -> None:
        exact, plain, loose = (
            claim_column(t, STU) for t in ("E-mail", "E-mail Address", "Work Email")
        )
        assert exact is not None and plain is not None and loose is not None
        assert exact.rank > plain.rank > loose.rank
