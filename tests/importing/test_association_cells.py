"""Association columns: several people in one cell, and numbered columns, each a link."""

import pytest

from roster.accounts.models import Account, Role, StudentInstructor, StudentParent
from roster.importing.apply import apply_plan
from roster.importing.headers import map_headers
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.importing.engine import OTHER_HEADER, codes, parents, plan, students, table

PARENTS = ("Pat,Lee,pat@example.com,,", "Max,Lee,max@example.com,,", "Sue,Lee,sue@example.com,,")


def _parents_of(org: Organization, email: str) -> set[str]:
    student = Account.objects.in_org(org).get(email=email)
    return set(
        StudentParent.objects.filter(organization=org, student=student).values_list(
            "parent__email", flat=True
        )
    )


@pytest.mark.parametrize(
    "cell",
    [
        '"pat@example.com,max@example.com,sue@example.com"',  # quoted: the file is a CSV
        "pat@example.com; max@example.com;sue@example.com",
        '"pat@example.com\nmax@example.com\r\nsue@example.com"',  # line breaks, quoted
        "pat@example.com max@example.com  sue@example.com",
        '"pat@example.com, max@example.com;\nsue@example.com ;"',  # all of them, and a stray one
    ],
)
def test_one_cell_names_several_parents(org: Organization, cell: str) -> None:
    planned = plan(org, students(f"Ann,Lee,ann@example.com,,,{cell},"), parents(*PARENTS))
    assert planned.issues == ()
    assert len(planned.links.student_parent) == 3
    apply_plan(planned, org=org, invite=False)
    assert _parents_of(org, "ann@example.com") == {
        "pat@example.com",
        "max@example.com",
        "sue@example.com",
    }


def test_numbered_parent_columns_make_a_link_each(org: Organization) -> None:
    header = "First Name,Last Name,Email,Parent 1 Email,Parent 2 Email,Instructor Email"
    columns = map_headers(tuple(header.split(",")), Role.STUDENT)
    assert [columns.fields[index] for index in (3, 4)] == ["parent_emails", "parent_emails"]
    kids = table(
        f"{header}\n"
        "Ann,Lee,ann@example.com,pat@example.com,max@example.com,tim@example.com\n"
        "Bo,Lee,bo@example.com,,sue@example.com;pat@example.com,\n",
        Role.STUDENT,
    )
    teacher = table(OTHER_HEADER + "\nTim,Tutor,tim@example.com,,", Role.INSTRUCTOR)
    outcome = apply_plan(plan(org, kids, parents(*PARENTS), teacher), org=org, invite=False)
    assert outcome.links == {"student_parent": 4, "student_instructor": 1}
    assert _parents_of(org, "ann@example.com") == {"pat@example.com", "max@example.com"}
    assert _parents_of(org, "bo@example.com") == {"sue@example.com", "pat@example.com"}
    assert StudentInstructor.objects.filter(organization=org).count() == 1


def test_a_student_cell_names_several_students_by_email_or_username(org: Organization) -> None:
    make_account(org, Role.STUDENT, "", username="dee1", first_name="Dee", last_name="Wu")
    planned = plan(
        org,
        students("Ann,Lee,ann@example.com,,,,"),
        parents('Pat,Lee,pat@example.com,,"ann@example.com\nDEE1"'),
    )
    assert planned.issues == ()
    apply_plan(planned, org=org, invite=False)
    assert (
        StudentParent.objects.filter(organization=org, parent__email="pat@example.com").count() == 2
    )


def test_one_bad_address_among_several_is_flagged_and_keeps_the_row_out(
    org: Organization,
) -> None:
    planned = plan(
        org, students('Ann,Lee,ann@example.com,,,"pat@example.com; bad@",'), parents(*PARENTS)
    )
    assert codes(planned.issues) == [("invalid_email", 2, "Parent Email")]
    assert len(planned.links.student_parent) == 0
