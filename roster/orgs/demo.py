"""The demo organization `make run` opens on: an active owner and a few linked people."""

import secrets

from django.db import transaction

from roster.accounts.models import Account, Role, Status, StudentInstructor, StudentParent
from roster.audit.log import COMMAND_LINE
from roster.orgs.creation import create_organization
from roster.orgs.models import Organization

DEMO_SLUG = "demo"
DEMO_OWNER = "owner@demo.example.com"
_FIRST = [
    "Ava",
    "Ben",
    "Chloe",
    "Dev",
    "Emma",
    "Felix",
    "Grace",
    "Hugo",
    "Iris",
    "Jon",
    "Kira",
    "Leo",
]
_LAST = ["Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jones"]


@transaction.atomic
def ensure_demo() -> tuple[Organization, str]:
    """Create the demo organization once; return it and a fresh password for its owner."""
    org = Organization.objects.by_slug_or_none(DEMO_SLUG)
    if org is None:
        org, _ = create_organization(
            DEMO_SLUG,
            name="Demo Tutoring",
            owner_email=DEMO_OWNER,
            owner_first_name="Olivia",
            owner_last_name="Owner",
            by=COMMAND_LINE,  # `manage.py demo` is its only door
        )
        _add_people(org)
    owner = Account.objects.in_org(org).get(role=Role.OWNER)
    password = secrets.token_urlsafe(9)
    owner.set_password(password)
    owner.status = Status.ACTIVE
    owner.save(update_fields=["password", "status"])
    return org, password


def _person(org: Organization, role: Role, n: int, **extra: str) -> Account:
    first, last = _FIRST[n % len(_FIRST)], _LAST[(n * 7) % len(_LAST)]
    email = extra.pop("email", f"{first}.{last}{n}@{role.value}s.example.com".lower())
    return Account(
        organization=org, role=role, first_name=first, last_name=last, email=email, **extra
    )


def _add_people(org: Organization) -> None:
    instructors = Account.objects.bulk_create([_person(org, Role.INSTRUCTOR, n) for n in range(3)])
    parents = Account.objects.bulk_create([_person(org, Role.PARENT, n + 3) for n in range(8)])
    students = [_person(org, Role.STUDENT, n + 11) for n in range(15)]
    students.append(_person(org, Role.STUDENT, 40, email="", username="sam.ito"))
    students = Account.objects.bulk_create(students)
    StudentParent.objects.bulk_create(
        StudentParent(organization=org, student=s, parent=parents[i % len(parents)])
        for i, s in enumerate(students)
    )
    StudentInstructor.objects.bulk_create(
        StudentInstructor(organization=org, student=s, instructor=instructors[i % 3])
        for i, s in enumerate(students)
    )
