"""Next year's export of each bundle kind through the command line: one email changed and
one new enrollment update the same people, found by the school system's id; the same
export again changes nothing."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Q

from roster.accounts.models import Account, ExternalId, StudentInstructor
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.data import bundles


def _import(folder: Path, generate: Callable[[Path], list[str]], org: Organization) -> Any:
    folder.mkdir()
    files = generate(folder)
    assert main(["import", *files, "--org", org.slug, "--no-invite", "--json"]) == 0
    return files


def _summary(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(capsys.readouterr().out)["summary"]
    return summary


def _roles(student: int, instructor: int, parent: int) -> dict[str, int]:
    return {"student": student, "instructor": instructor, "parent": parent}


# kind → (the constant to change, its changed copy, the constant to add a row to, the row,
# the id source, Ana's id, the newly linked student's email or username, their instructor's
# email).
Change = tuple[str, Callable[[list[Any]], list[Any]], str, tuple[str, ...], str, str, str, str]


def _email(rows: list[Any], index: int, column: int) -> list[Any]:
    changed = list(rows)
    changed[index] = tuple(
        "ana.r@example.com" if i == column else cell for i, cell in enumerate(rows[index])
    )
    return changed


CHANGES: dict[str, tuple[Callable[[Path], list[str]], Change]] = {
    "oneroster-1.2": (
        bundles.oneroster12_bundle,
        (
            "ONEROSTER12_PEOPLE",
            lambda rows: _email(rows, 0, 5),
            "ONEROSTER12_ENROLLMENTS",
            ("c2", "s2", "student"),  # Ben into Ugo's class too (Ana is in both)
            "oneroster",
            "s1",
            "ben7",
            "ugo@example.org",
        ),
    ),
    "canvas": (
        bundles.canvas_bundle,
        (
            "CANVAS_PEOPLE",
            lambda rows: _email(rows, 0, 5),
            "CANVAS_ENROLLMENT_ROWS",
            ("C2", "u1", "student", "", "active", ""),  # Ana into Ugo's course too
            "canvas",
            "u1",
            "ana.r@example.com",
            "ugo@example.org",
        ),
    ),
    "clever": (
        bundles.clever_bundle,
        (
            "CLEVER_STUDENT_ROWS",
            lambda rows: _email(_email(rows, 0, 3), 1, 3),  # both of Ana's contact rows
            "CLEVER_ENROLLMENT_ROWS",
            ("sec2", "st1"),  # Ana into Ugo's section too
            "clever",
            "st1",
            "ana.r@example.com",
            "ugo@example.org",
        ),
    ),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_next_years_export_updates_the_same_people_by_id(
    org: Organization,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
) -> None:
    generate, (people, changed, links, row, source, sid, linked, teacher) = CHANGES[kind]
    _import(tmp_path / "first", generate, org)
    first = _summary(capsys)
    ana = Account.objects.get(organization=org, email="ana@example.com")
    student = "ana@example.com" if linked == "ana.r@example.com" else linked
    student_id = Account.objects.get(Q(email=student) | Q(username=student), organization=org).pk
    link = StudentInstructor.objects.filter(
        student_id=student_id, instructor__email=teacher, organization=org
    )
    assert not link.exists()
    accounts = Account.objects.filter(organization=org).count()

    monkeypatch.setattr(bundles, people, changed(getattr(bundles, people)))
    monkeypatch.setattr(bundles, links, [*getattr(bundles, links), row])
    files = _import(tmp_path / "second", generate, org)
    second = _summary(capsys)
    assert second["create"] == _roles(0, 0, 0)
    assert second["update"] == _roles(1, 0, 0)
    unchanged = {role: n - (role == "student") for role, n in first["create"].items()}
    assert second["unchanged"] == unchanged
    assert second["associations"] == {"student_parent": 0, "student_instructor": 1}
    ana.refresh_from_db()
    assert ana.email == "ana.r@example.com"  # the same account, found by its id
    assert link.exists()
    assert ExternalId.objects.get(organization=org, source=source, value=sid).account == ana
    assert Account.objects.filter(organization=org).count() == accounts

    assert main(["import", *files, "--org", org.slug, "--no-invite", "--json"]) == 0
    again = _summary(capsys)
    assert again["update"] == again["create"] == _roles(0, 0, 0)
    assert again["unchanged"] == first["create"]
    assert again["associations"] == {"student_parent": 0, "student_instructor": 0}


def _clever_with_contact_ids(folder: Path, contact_email: str) -> list[str]:
    folder.mkdir()
    student = ["Student_id", "First_name", "Last_name", "Student_email"]
    contact = ["Contact_name", "Contact_email", "Contact_relationship", "Contact_sis_id"]
    return [
        bundles.write_csv(
            folder,
            "students.csv",
            [*student, *contact],
            [
                dict(zip(student, ("st1", "Ana", "Ruiz", "ana@example.com"), strict=True))
                | dict(zip(contact, ("Hana Ruiz", contact_email, "Mother", "ct1"), strict=True))
            ],
        ),
        bundles.write_csv(
            folder,
            "teachers.csv",
            ["Teacher_id", "First_name", "Last_name", "Teacher_email"],
            [
                {
                    "Teacher_id": "tc1",
                    "First_name": "Tess",
                    "Last_name": "Ford",
                    "Teacher_email": "t@example.org",
                }
            ],
        ),
    ]


def test_a_clever_contact_is_known_by_its_contact_sis_id(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _clever_with_contact_ids(tmp_path / "first", "hana@example.net")
    assert main(["import", *first, "--org", org.slug, "--no-invite", "--json"]) == 0
    assert _summary(capsys)["create"] == _roles(1, 1, 1)
    hana = Account.objects.get(organization=org, email="hana@example.net")
    assert ExternalId.objects.get(organization=org, source="clever", value="ct1").account == hana
    second = _clever_with_contact_ids(tmp_path / "second", "hana.r@example.net")
    assert main(["import", *second, "--org", org.slug, "--no-invite", "--json"]) == 0
    summary = _summary(capsys)
    assert summary["update"] == _roles(0, 0, 1)
    assert summary["create"] == _roles(0, 0, 0)
    hana.refresh_from_db()
    assert hana.email == "hana.r@example.net"
