"""plan.py and associations.py: what applying would do, with the organization's accounts."""

import csv
import io
import random
from collections import Counter
from dataclasses import replace

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import OTHER_HEADER, STUDENT_HEADER
from bench.generate import instructors as instructors_rows
from bench.generate import parents as parents_rows
from bench.generate import students as students_rows
from roster.accounts.models import Account, Role, StudentParent
from roster.importing.directory import Directory, Known
from roster.importing.pipeline import Choices, table_inputs
from roster.importing.plan import Action, Change, plan_import
from roster.importing.sources import read_text
from roster.importing.validate import validate_import
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.importing.engine import codes, instructors, parents, plan, students

ROLES = {"students.csv": Role.STUDENT, "parents.csv": Role.PARENT, "teachers.csv": Role.INSTRUCTOR}


def test_new_rows_are_created_and_links_within_the_import_planned(org: Organization) -> None:
    result = plan(
        org,
        students("Ann,Lee,ann@example.com,,,pat@example.com,tim@example.com", "Dee,Wu,,dee1,,,"),
        parents("Pat,Lee,pat@example.com,,dee1"),
        instructors("Tim,Tutor,tim@example.com,,"),
    )
    assert result.issues == ()
    assert [row.action for row in result.rows()] == [Action.CREATE] * 4
    assert len(result.links.student_parent) == 2
    assert len(result.links.student_instructor) == 1
    assert len(result.invitations()) == 3  # the username-only student has no email


def test_update_by_email_and_by_username_with_changes(org: Organization) -> None:
    make_account(org, Role.STUDENT, "Ann@Example.com", first_name="Ann", last_name="Lee")
    make_account(org, Role.STUDENT, "", username="Dee1", first_name="Dee", last_name="Wu")
    make_account(org, Role.PARENT, "pat@example.com", first_name="Pat", last_name="Lee")
    result = plan(
        org,
        students("Ann,Lee, ann@example.COM ,,415 555 0100,,", "Dee,Wu,,dee1,,pat@example.com,"),
        parents("Pat,Lee,PAT@example.com,,"),
    )
    rows = list(result.rows())
    assert [row.action for row in rows] == [Action.UPDATE, Action.UNCHANGED, Action.UNCHANGED]
    assert rows[0].changes == (Change("phone", "", "+14155550100"),)
    assert len(result.links.student_parent) == 1


def test_role_conflict_with_people_and_admins(org: Organization, admin: Account) -> None:
    make_account(org, Role.PARENT, "pat@example.com")
    result = plan(
        org, students("Pat,Lee,pat@example.com,,,,", "Al,Admin,admin@northside.example,,,,")
    )
    assert codes(result.issues) == [("role_conflict", 2, "Email"), ("role_conflict", 3, "Email")]
    assert "admin" in result.issues[1].message
    assert [row.action for row in result.rows()] == [Action.SKIP, Action.SKIP]


def test_unknown_association_and_role_mismatch(org: Organization) -> None:
    make_account(org, Role.INSTRUCTOR, "tim@example.com")
    result = plan(
        org,
        students(
            "Ann,Lee,ann@example.com,,,tim@example.com,", "Bo,Ng,bo@example.com,,,,x@example.com"
        ),
        parents("Pat,Lee,pat@example.com,,nobody1"),
    )
    assert codes(result.issues) == [
        ("association_role_mismatch", 2, "Parent Email"),
        ("unknown_association", 3, "Instructor Email"),
        ("unknown_association", 2, "Student"),
    ]


def test_username_only_student_needs_a_parent(org: Organization) -> None:
    existing = make_account(org, Role.STUDENT, "", username="old1")
    parent = make_account(org, Role.PARENT, "pat@example.com")
    StudentParent.objects.create(organization=org, student=existing, parent=parent)
    result = plan(
        org,
        students("Dee,Wu,,dee1,,,", "Eve,Wu,,eve1,,pat@example.com,", "Ada,Lovelace,,old1,,,"),
    )
    assert codes(result.issues) == [("student_needs_parent", 2, "Username")]


def test_a_link_to_a_row_with_errors_is_not_made_and_does_not_spread(org: Organization) -> None:
    result = plan(
        org,
        students("Ann,,ann@example.com,,,,"),
        parents("Pat,Lee,pat@example.com,,ann@example.com"),
    )
    assert codes(result.issues) == [("missing_required", 2, "Last Name")]
    assert [row.action for row in result.rows()] == [Action.CREATE]
    assert len(result.links.student_parent) == 0


def test_existing_links_are_not_planned_again(org: Organization) -> None:
    ann = make_account(org, Role.STUDENT, "ann@example.com", first_name="Ann", last_name="Lee")
    pat = make_account(org, Role.PARENT, "pat@example.com", first_name="Pat", last_name="Lee")
    StudentParent.objects.create(organization=org, student=ann, parent=pat)
    result = plan(org, students("Ann,Lee,ann@example.com,,,pat@example.com,"))
    assert len(result.links.student_parent) == 0


def test_another_organizations_accounts_are_never_seen(
    org: Organization, other_org: Organization
) -> None:
    make_account(other_org, Role.PARENT, "ann@example.com")
    make_account(other_org, Role.PARENT, "pat@example.com")
    with CaptureQueriesContext(connection) as queries:
        result = plan(org, students("Ann,Lee,ann@example.com,,,pat@example.com,"))
    assert codes(result.issues) == [("unknown_association", 2, "Parent Email")]
    assert [row.action for row in result.rows()] == [Action.SKIP]
    assert all(str(org.pk) in query["sql"] for query in queries.captured_queries)


def test_pasted_text_and_the_admins_column_choices(org: Organization) -> None:
    from roster.importing.pipeline import Choices, preview_import
    from roster.importing.sources import read_text

    pasted = read_text("First\tSurname\tMail\tNotes\nAnn\tLee\tann@example.com\tx\n")
    choices = Choices(role=Role.PARENT, columns={(0, 0): {3: None}})
    preview = preview_import([pasted], org=org, choices=choices)
    assert preview.plan.issues == ()  # "Notes" ignored by choice, not an unknown column
    [row] = preview.plan.rows()
    assert (row.person.role, row.person.email) == (Role.PARENT, "ann@example.com")
    bad = preview_import(
        [read_text("First,Last,Email\nAnn,,ann@example.com\n")],
        org=org,
        choices=Choices(role=Role.PARENT),
    )
    [issue] = bad.plan.issues
    assert (issue.file, issue.sheet, issue.row) == (None, "Parent", 2)


def test_outcomes_place_every_row_and_agree_with_the_counts(org: Organization) -> None:
    make_account(org, Role.STUDENT, "ann@example.com", first_name="Ann", last_name="Lee")
    make_account(org, Role.PARENT, "pat@example.com")
    result = plan(
        org,
        students(
            "Ann,Li,ann@example.com,,,,",  # row 2: update
            "Bo,Ng,bo@,,,,",  # row 3: kept out by validation
            "Cy,Ko,pat@example.com,,,,",  # row 4: kept out by the plan (a parent's email)
            "Di,Su,di@example.com,,,,",  # row 5: new
        ),
    )
    found = {(each.number, each.action, each.changes) for each in result.outcomes()}
    assert found == {
        (2, Action.UPDATE, (Change("last_name", "Lee", "Li"),)),
        (3, Action.SKIP, ()),
        (4, Action.SKIP, ()),
        (5, Action.CREATE, ()),
    }
    counted = Counter(each.action for each in result.outcomes())
    assert counted == Counter({action: n for (action, _), n in result.counts().items() if n})


def test_a_first_import_plans_as_one_matched_against_an_unrelated_account(
    org: Organization,
) -> None:
    # An empty directory skips matching row by row (plan.py): the plan must be the one
    # that matching gives when the directory holds an account the import does not name.
    rng = random.Random(3)
    tables = []
    for name, header, rows in (
        ("students.csv", STUDENT_HEADER, students_rows(400, rng)),
        ("parents.csv", OTHER_HEADER, parents_rows(400, rng)),
        ("teachers.csv", OTHER_HEADER, instructors_rows(400, rng)),
    ):
        text = io.StringIO()
        csv.writer(text).writerows([header, *rows])
        tables += table_inputs([read_text(text.getvalue())], Choices(role=ROLES[name]))
    validated = validate_import(tables, region="US")
    empty = Directory.load(org, validated.identity_keys())
    assert not empty.accounts
    stranger = Known(10**9, "student", "No", "One", "nobody@nowhere.example", "", "")
    unrelated = replace(empty, accounts={"nobody@nowhere.example": stranger})
    fast, matched = plan_import(validated, empty), plan_import(validated, unrelated)
    assert fast.actions == matched.actions and Action.SKIP in fast.actions
    assert fast.account_ids == matched.account_ids
    assert fast.links == matched.links and len(fast.links.student_parent) > 100
    assert fast.issues == matched.issues and len(fast.issues) > 5
