"""Associations between students and their parents and instructors, per organization."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from roster.accounts.models import Account, Role, StudentInstructor, StudentParent

# For each links field of the catalogue: the role of the people it names.
LINK_FIELD_ROLES: dict[str, Role] = {
    "parent_emails": Role.PARENT,
    "instructor_emails": Role.INSTRUCTOR,
    "students": Role.STUDENT,
}


@dataclass(frozen=True, slots=True)
class Linked:
    parents: list[Account]
    instructors: list[Account]
    students: list[Account]


def linked_accounts(account: Account) -> Linked:
    """Everyone linked to `account`, always inside its own organization."""
    people = Account.objects.filter(organization=account.organization).order_by(
        "last_name", "first_name"
    )
    return Linked(
        parents=list(people.filter(student_links_as_parent__student=account)),
        instructors=list(people.filter(student_links_as_instructor__student=account)),
        # Two indexed id look-ups rather than one OR across two joins, which scans the org.
        students=list(
            people.filter(
                Q(pk__in=StudentParent.objects.filter(parent=account).values("student"))
                | Q(pk__in=StudentInstructor.objects.filter(instructor=account).values("student"))
            )
        ),
    )


def _sides(
    account: Account, field: str
) -> tuple[type[StudentParent | StudentInstructor], str, str]:
    """The link table of a links field, the account's side of it and the other side."""
    if field == "parent_emails":
        return StudentParent, "student", "parent"
    if field == "instructor_emails":
        return StudentInstructor, "student", "instructor"
    if account.role == Role.PARENT:
        return StudentParent, "parent", "student"
    return StudentInstructor, "instructor", "student"


def set_links(account: Account, field: str, others: list[Account]) -> None:
    """Make `account`'s links of one field exactly `others` (hand editing; imports only add)."""
    org_id = account.organization_id
    assert org_id is not None and all(other.organization_id == org_id for other in others)
    model, own, other = _sides(account, field)
    links = model.objects.filter(organization_id=org_id, **{own: account})
    links.exclude(**{f"{other}__in": others}).delete()
    new_links: list[Any] = [
        model(organization_id=org_id, **{own: account, other: person}) for person in others
    ]
    model.objects.bulk_create(new_links, ignore_conflicts=True)
