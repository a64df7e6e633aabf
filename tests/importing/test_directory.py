"""directory.py: what an organization holds for an import's identities, in a few queries."""

import pytest
from pytest_django import DjangoAssertNumQueries

from roster.accounts.models import Role, StudentInstructor, StudentParent
from roster.importing import directory
from roster.importing.directory import Directory
from roster.orgs.models import Organization
from tests.conftest import make_account


def _family(org: Organization) -> list[str]:
    kid = make_account(org, Role.STUDENT, username="kid.lee")
    ann = make_account(org, Role.STUDENT, "ann@example.com")
    mum = make_account(org, Role.PARENT, "mum@example.com")
    tutor = make_account(org, Role.INSTRUCTOR, "tutor@example.com")
    for student in (kid, ann):
        StudentParent.objects.create(organization=org, student=student, parent=mum)
    StudentInstructor.objects.create(organization=org, student=ann, instructor=tutor)
    return ["kid.lee", "ann@example.com", "mum@example.com", "tutor@example.com", "new@x.org"]


def test_keys_in_several_queries_load_the_same_directory(
    org: Organization, other_org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _family(org)
    _family(other_org)  # the same people elsewhere: never part of ours
    whole = Directory.load(org, keys)
    monkeypatch.setattr(directory, "KEYS_PER_QUERY", 2)
    assert Directory.load(org, keys) == whole
    assert set(whole.accounts) == set(keys) - {"new@x.org"}
    ours = set(org.accounts.values_list("id", flat=True))
    assert {_id(whole, key) for key in keys[:4]} == ours
    assert len(whole.student_parent) == 2 and len(whole.student_instructor) == 1
    assert whole.students_with_parents == {_id(whole, "kid.lee"), _id(whole, "ann@example.com")}


def _id(loaded: Directory, key: str) -> int:
    known = loaded.find(key)
    assert known is not None
    return known.id


def test_a_first_import_costs_one_query(
    org: Organization, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        loaded = Directory.load(org, ["ann@example.com", "kid.lee"])
    assert loaded.accounts == {} and not loaded.student_parent
