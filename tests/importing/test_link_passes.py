"""The link passes' shortcut (associations.RESUME) against running every pass.

When the rows a pass flags are named by no other row and gave no username-only student a
parent, the plan stops after that pass instead of running another that would find the
same. Whatever the import, both ways must give the same plan: actions, issues in order,
and links (new and already there). Imports are drawn from a small world where every kind
of link meets every kind of target: rows of the import, existing accounts, unknown
addresses, the wrong role, rows kept out for their own errors, username-only students.
"""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roster.accounts.models import Account, Role, StudentParent
from roster.importing import associations
from roster.importing.directory import Directory
from roster.importing.plan import Plan, plan_import
from roster.orgs.models import Organization
from tests.importing.engine import instructors, parents, students, validate

pytestmark = pytest.mark.django_db

# Who link values may name: rows of the import (p0.., t0.., s0..), existing accounts,
# nobody, and an existing account of the wrong role for the column.
TARGETS = [
    *(f"p{n}@x.org" for n in range(4)),
    *(f"t{n}@x.org" for n in range(3)),
    *(f"s{n}@x.org" for n in range(4)),
    "kid5",
    "kid6",
    "old.parent@x.org",
    "old.teacher@x.org",
    "old.student@x.org",
    "nobody@x.org",
]


@pytest.fixture
def world(org: Organization) -> Organization:
    made = {
        "old.parent@x.org": Role.PARENT,
        "old.teacher@x.org": Role.INSTRUCTOR,
        "old.student@x.org": Role.STUDENT,
    }
    accounts = {
        email: Account.objects.create(
            organization=org, role=role, email=email, first_name="Old", last_name="One"
        )
        for email, role in made.items()
    }
    StudentParent.objects.create(
        organization=org,
        student=accounts["old.student@x.org"],
        parent=accounts["old.parent@x.org"],
    )
    return org


links = st.lists(st.sampled_from(TARGETS), max_size=2).map(" ".join)
Rows = tuple[list[str], list[str], list[str]]


@st.composite
def an_import(draw: st.DrawFn) -> tuple[list[str], list[str], list[str]]:
    student_rows = []
    for n in range(draw(st.integers(0, 6))):
        username_only = n >= 4 or draw(st.booleans()) and n < 2
        email = "" if username_only else f"s{n}@x.org"
        username = f"kid{n}" if username_only or n == 1 else ""
        last = draw(st.sampled_from(["Lee", "Lee", "Lee", ""]))  # "": kept out for errors
        student_rows.append(f"S{n},{last},{email},{username},,{draw(links)},{draw(links)}")
    parent_rows = [f"P{n},Ng,p{n}@x.org,,{draw(links)}" for n in range(draw(st.integers(0, 4)))]
    teacher_rows = [
        f"T{n},Okafor,t{n}@x.org,,{draw(links)}" for n in range(draw(st.integers(0, 3)))
    ]
    return student_rows, parent_rows, teacher_rows


def _plan(org: Organization, rows: tuple[list[str], list[str], list[str]]) -> Plan:
    student_rows, parent_rows, teacher_rows = rows
    tables = []
    if student_rows:
        tables.append(students(*student_rows))
    if parent_rows:
        tables.append(parents(*parent_rows))
    if teacher_rows:
        tables.append(instructors(*teacher_rows))
    validated = validate(*tables)
    return plan_import(validated, Directory.load(org, validated.identity_keys()))


def _seen(plan: Plan) -> tuple[object, ...]:
    links = plan.links
    return (
        bytes(plan.actions),
        plan.issues,
        {
            kind: (
                list(links.of(kind).students),
                list(links.of(kind).others),
                list(links.existing_of(kind).students),
                list(links.existing_of(kind).others),
            )
            for kind in associations.KINDS
        },
    )


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=an_import())
def test_stopping_early_gives_the_plan_every_pass_gives(
    world: Organization, rows: tuple[list[str], list[str], list[str]]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        passes = _count_passes(patch)
        quick = _plan(world, rows)
        quick_passes = passes["n"]
        passes["n"] = 0
        patch.setattr(associations, "RESUME", False)
        every = _plan(world, rows)
    assert _seen(quick) == _seen(every)
    event(f"passes: {quick_passes} instead of {passes['n']}")


def _count_passes(patch: pytest.MonkeyPatch) -> dict[str, int]:
    """{"n": how many link passes have run since}, while `patch` lasts."""
    passes = {"n": 0}
    run = associations._Pass.run

    def counted(self: associations._Pass) -> None:
        passes["n"] += 1
        run(self)

    patch.setattr(associations._Pass, "run", counted)
    return passes


def test_a_flagged_row_others_name_needs_another_pass(world: Organization) -> None:
    # p0's row names nobody, so it is skipped; s0 named p0: the next pass must run
    # (s0's link to p0 is then not made), and both ways agree.
    rows: Rows = (["S0,Lee,s0@x.org,,,p0@x.org,"], ["P0,Ng,p0@x.org,,nobody@x.org"], [])
    quick = _plan(world, rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(associations, "RESUME", False)
        assert _seen(quick) == _seen(_plan(world, rows))
    assert not list(quick.links.of("student_parent").students)


def test_a_lone_bad_link_ends_the_planning_after_one_pass(world: Organization) -> None:
    rows: Rows = (
        ["S0,Lee,s0@x.org,,,p0@x.org,", "S1,Lee,s1@x.org,,,nobody@x.org,"],
        ["P0,Ng,p0@x.org,,"],
        [],
    )
    with pytest.MonkeyPatch.context() as patch:
        passes = _count_passes(patch)
        plan = _plan(world, rows)
    assert passes["n"] == 1
    assert len(plan.links.of("student_parent")) == 1
    assert [issue.code.value for issue in plan.issues] == ["unknown_association"]


def test_a_flagged_row_that_gave_a_student_a_parent_needs_another_pass(
    world: Organization,
) -> None:
    # kid4 has no email and no parent column of its own: only P0's row gives it a parent.
    # P0's row also names nobody, so it is skipped, and kid4 then needs a parent.
    rows: Rows = (["S4,Lee,,kid4,,,"], ["P0,Ng,p0@x.org,,kid4 nobody@x.org"], [])
    quick = _plan(world, rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(associations, "RESUME", False)
        assert _seen(quick) == _seen(_plan(world, rows))
    assert sorted(issue.code.value for issue in quick.issues) == [
        "student_needs_parent",
        "unknown_association",
    ]
