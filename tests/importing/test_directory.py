"""directory.py: what an organization holds for an import's identities, in a few queries."""

import pytest
from pytest_django import DjangoAssertNumQueries

from roster.accounts.models import Account, Role, StudentInstructor, StudentParent
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


# With fewer accounts than keys the organization is read whole (a count, then one read);
# with as many or more, the keys are sent, here two per query (a count, then three).
@pytest.mark.parametrize(("others", "account_queries"), [(0, 2), (3, 4)])
def test_the_same_directory_whether_keys_are_sent_or_accounts_read(
    org: Organization,
    other_org: Organization,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: DjangoAssertNumQueries,
    others: int,
    account_queries: int,
) -> None:
    keys = _family(org)
    _family(other_org)  # the same people elsewhere: never part of ours
    for number in range(others):
        make_account(org, Role.PARENT, f"someone{number}@example.com")
    monkeypatch.setattr(directory, "KEYS_PER_QUERY", 2)
    with django_assert_num_queries(account_queries + 2):  # and the two kinds of links
        loaded = Directory.load(org, keys)
    assert set(loaded.accounts) == set(keys) - {"new@x.org"}
    family = set(org.accounts.exclude(email__startswith="someone").values_list("id", flat=True))
    assert {_id(loaded, key) for key in keys[:4]} == family
    assert len(loaded.student_parent) == 2 and len(loaded.student_instructor) == 1
    assert loaded.students_with_parents == {_id(loaded, "kid.lee"), _id(loaded, "ann@example.com")}


def _id(loaded: Directory, key: str) -> int:
    known = loaded.find(key)
    assert known is not None
    return known.id


def test_a_first_import_costs_two_queries(
    org: Organization, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        loaded = Directory.load(org, ["ann@example.com", "kid.lee"])
    assert loaded.accounts == {} and not loaded.student_parent


def test_an_organization_read_whole_gives_only_the_named_students_links(
    org: Organization, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    keys = _family(org)
    stray = make_account(org, Role.STUDENT, "stray@example.com")  # not named by the import
    mum, tutor = (Account.objects.get(organization=org, email=email) for email in keys[2:4])
    StudentParent.objects.create(organization=org, student=stray, parent=mum)
    StudentInstructor.objects.create(organization=org, student=stray, instructor=tutor)
    keys += ["new2@x.org", "new3@x.org"]  # more keys than the 5 accounts: read whole
    with django_assert_num_queries(4):  # a count, the accounts, the two kinds of links
        loaded = Directory.load(org, keys)
    kid, ann = _id(loaded, "kid.lee"), _id(loaded, "ann@example.com")
    assert loaded.student_parent == {(kid, mum.pk), (ann, mum.pk)}
    assert loaded.student_instructor == {(ann, tutor.pk)}
    assert loaded.students_with_parents == {kid, ann}
    assert loaded.find("stray@example.com") is None
