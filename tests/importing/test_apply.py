"""apply.py: all or nothing, repeatable, tenant-scoped, and bulk (query counts)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roster.accounts import search_index
from roster.accounts.models import Account, Invitation, Role, StudentInstructor, StudentParent
from roster.importing.apply import apply_plan
from roster.importing.plan import Action
from roster.importing.validate import TableInput
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.importing.engine import OTHER_HEADER, STUDENT_HEADER, parents, plan, students, table


def family() -> tuple[TableInput, ...]:
    """Fresh tables each time: a table's rows can be read once."""
    return (
        students(
            "Ann,Lee,ann@example.com,,,pat@example.com,tim@example.com",
            "Dee,Wu,,dee1,,pat@example.com,",
        ),
        parents("Pat,Lee,pat@example.com,,"),
        table(OTHER_HEADER + "\nTim,Tutor,tim@example.com,,", Role.INSTRUCTOR),
    )


def test_apply_creates_links_and_records_invitations_once(org: Organization) -> None:
    outcome = apply_plan(plan(org, *family()), org=org, invite=True)
    assert Account.objects.in_org(org).people().count() == 4
    assert StudentParent.objects.filter(organization=org).count() == 2
    assert StudentInstructor.objects.filter(organization=org).count() == 1
    assert outcome.invitations == 3 and Invitation.objects.filter(organization=org).count() == 3
    again = apply_plan(plan(org, *family()), org=org, invite=True)
    assert {row.action for row in again.plan.rows()} == {Action.UNCHANGED}
    assert again.invitations == 0 and again.links == {"student_parent": 0, "student_instructor": 0}
    assert Invitation.objects.filter(organization=org).count() == 3


def test_new_accounts_get_distinct_unusable_passwords(org: Organization) -> None:
    apply_plan(plan(org, *family()), org=org, invite=False)
    people = list(Account.objects.in_org(org).people())
    assert not any(person.has_usable_password() for person in people)
    # Random, so that no two accounts share one (activation links sign it).
    assert len({person.password for person in people}) == len(people) == 4
    assert all(len(person.password) > 30 for person in people)


def test_no_invitations_without_invite(org: Organization) -> None:
    apply_plan(plan(org, *family()), org=org, invite=False)
    assert not Invitation.objects.exists()


def test_updates_write_only_what_changed_and_keep_blank_cells(org: Organization) -> None:
    make_account(
        org,
        Role.STUDENT,
        "ann@example.com",
        first_name="Ann",
        last_name="Lee",
        phone="+14155550100",
    )
    apply_plan(plan(org, students("Anne,Lee,ANN@example.com,,,,")), org=org, invite=True)
    ann = Account.objects.in_org(org).get()
    assert (ann.first_name, ann.email, ann.phone) == ("Anne", "ann@example.com", "+14155550100")
    assert not Invitation.objects.exists()  # an existing account is never invited by an import


def test_apply_replans_when_the_organization_changed_meanwhile(org: Organization) -> None:
    planned = plan(org, students("Ann,Lee,ann@example.com,,,,"))
    make_account(org, Role.PARENT, "ann@example.com")  # someone else got there first
    outcome = apply_plan(planned, org=org, invite=True)
    assert outcome.replanned
    assert [issue.code.value for issue in outcome.plan.issues] == ["role_conflict"]
    assert Account.objects.in_org(org).count() == 1


def test_another_organization_is_never_touched(org: Organization, other_org: Organization) -> None:
    theirs = make_account(other_org, Role.STUDENT, "ann@example.com", first_name="Zed")
    apply_plan(plan(org, *family()), org=org, invite=True)
    theirs.refresh_from_db()
    assert theirs.first_name == "Zed"
    assert not Invitation.objects.filter(organization=other_org).exists()
    assert not StudentParent.objects.filter(organization=other_org).exists()


def _family_rows(n: int) -> tuple[str, str]:
    kids = [f"Kid{i},Lee,kid{i}@example.com,,,parent{i // 2}@example.com," for i in range(n)]
    adults = [
        f"Par{i},Lee,parent{i}@example.com,,kid{2 * i}@example.com" for i in range((n + 1) // 2)
    ]
    return "\n".join([STUDENT_HEADER, *kids]), "\n".join([OTHER_HEADER, *adults])


def _queries(org: Organization, n: int) -> tuple[int, int, int]:
    kids, adults = _family_rows(n)
    tables = (table(kids, Role.STUDENT), table(adults, Role.PARENT))
    with CaptureQueriesContext(connection) as planning:
        planned = plan(org, *tables)
    assert len(planned.issues) == 0
    with CaptureQueriesContext(connection) as applying:
        apply_plan(planned, org=org, invite=True)
    kids, adults = _family_rows(n)
    with CaptureQueriesContext(connection) as again:
        apply_plan(
            plan(org, table(kids, Role.STUDENT), table(adults, Role.PARENT)), org=org, invite=True
        )
    return len(planning), len(applying), len(again)


def test_planning_and_applying_cost_the_same_queries_for_10_and_10000_rows(
    org: Organization, other_org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both leave their accounts' search entries to a task, as an import of 10,000 new
    # accounts or more does (three statements more than the trigger writing them).
    monkeypatch.setattr(search_index, "BIG_IMPORT", 1)
    small = _queries(org, 10)
    large = _queries(other_org, 10_000)
    assert small == large
    assert Account.objects.in_org(other_org).count() == 15_000


def test_two_spellings_of_one_parent_on_a_new_students_row_make_one_link(
    org: Organization,
) -> None:
    # Both are valid addresses of one mailbox (the part before the @ keeps its case), so
    # both values find the one parent: the new student's links go in without a conflict
    # check, and one pair twice would break the unique constraint.
    tables = (
        students("Ann,Lee,ann@example.com,,,Pat@example.com; pat@example.com,"),
        parents("Pat,Lee,pat@example.com,,"),
    )
    planned = plan(org, *tables)
    assert len(planned.links.of("student_parent")) == 1
    outcome = apply_plan(planned, org=org, invite=False)
    assert outcome.links["student_parent"] == 1
    assert StudentParent.objects.filter(organization=org).count() == 1


def test_two_rows_finding_one_existing_student_link_a_new_parent_once(org: Organization) -> None:
    # One row finds the student by email, the other by username: both name the new parent,
    # with another student's row between them.
    make_account(org, Role.STUDENT, "sam@example.com", username="sam1")
    tables = (
        students(
            "Sam,Ng,sam@example.com,,,pat@example.com,",
            "Ann,Lee,ann@example.com,,,pat@example.com,",
            "Sam,Ng,,sam1,,pat@example.com,",
        ),
        parents("Pat,Lee,pat@example.com,,"),
    )
    outcome = apply_plan(plan(org, *tables), org=org, invite=False)
    assert outcome.links["student_parent"] == 2
    assert StudentParent.objects.filter(organization=org).count() == 2
