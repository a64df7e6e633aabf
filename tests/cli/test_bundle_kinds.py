"""`roster import` of OneRoster 1.2, Canvas SIS and Clever SFTP bundles (tests/data/bundles.py).

Each bundle is given as a school exports it (all of its files, in one command): the
exact accounts and links (`roster users --json`), summary and issues; an id that names
no one is flagged on the cell of the link file that holds it; the files Roster does not
import are notes; the same bundle again changes nothing.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roster.accounts.models import Account, Role
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.data import bundles

UNKNOWN = "This link names no one in your organization or this import. "


def _import(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["import", *argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # the notes are not part of the JSON
    result: dict[str, Any] = json.loads(out)
    return result


def _notes(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main(["import", *argv, "--dry-run"]) == 0
    err = capsys.readouterr().err
    return [line.removeprefix("roster: note: ") for line in err.splitlines()]


def _users(capsys: pytest.CaptureFixture[str], org: Organization) -> dict[str, tuple[Any, ...]]:
    """Each account by its email (else username): role, names, username, phone, links."""
    assert main(["users", "--org", org.slug, "--json"]) == 0
    found = {}
    for user in json.loads(capsys.readouterr().out):
        links = sorted(user.get("parents", []) + user.get("instructors", []))
        links += sorted(user.get("students", []))
        found[user["email"] or user["username"]] = (
            user["role"],
            user["first_name"],
            user["last_name"],
            user["username"],
            user["phone"],
            links,
        )
    return found


def _by_role(student: int, instructor: int, parent: int) -> dict[str, int]:
    return {"student": student, "instructor": instructor, "parent": parent}


def _where(issues: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(i["code"], i["file"], i["sheet"], i["row"], i["column"]) for i in issues]


def _again_changes_nothing(
    capsys: pytest.CaptureFixture[str], org: Organization, files: list[str], first: dict[str, Any]
) -> None:
    accounts = _users(capsys, org)
    again = _import(capsys, *files, "--org", org.slug, "--no-invite")
    summary = first["summary"]
    assert again["summary"] == summary | {
        "create": _by_role(0, 0, 0),
        "unchanged": summary["create"],
        "associations": {"student_parent": 0, "student_instructor": 0},
    }
    assert again["issues"] == first["issues"]
    assert _users(capsys, org) == accounts


def _check_dry_run_first(
    capsys: pytest.CaptureFixture[str], org: Organization, files: list[str]
) -> dict[str, Any]:
    """The dry run says what the import does, and writes nothing."""
    dry = _import(capsys, *files, "--org", org.slug, "--no-invite", "--dry-run")
    assert not Account.objects.in_org(org).exists()
    applied = _import(capsys, *files, "--org", org.slug, "--no-invite")
    assert applied == dry
    return applied


def test_a_oneroster_12_bundle(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = bundles.oneroster12_bundle(tmp_path)
    first = _check_dry_run_first(capsys, org, files)
    assert first["summary"] == {
        "create": _by_role(2, 2, 1),
        "update": _by_role(0, 0, 0),
        "unchanged": _by_role(0, 0, 0),
        "skipped": _by_role(0, 0, 0),
        "associations": {"student_parent": 2, "student_instructor": 3},
        "invites": 0,
    }
    assert _where(first["issues"]) == [
        ("missing_required", "roles.csv", "roles", 9, "role"),
        ("unknown_association", "roles.csv", "roles", 10, "userSourcedId"),
    ]
    assert first["issues"][1]["message"] == (
        f"{UNKNOWN}“z9” in userSourcedId is the sourcedId of no one in users.csv."
    )
    assert _users(capsys, org) == {
        # preferredGivenName is the first name when present
        "ana@example.com": (
            "student",
            "Ana",
            "Ruiz",
            "ana.ruiz",
            None,
            ["hana@example.net", "tess@example.org", "ugo@example.org"],
        ),
        "ben7": ("student", "Ben", "Cho", "ben7", None, ["hana@example.net", "tess@example.org"]),
        # t2's roles: student (secondary), teacher (primary): the primary wins
        "tess@example.org": ("instructor", "Tess", "Ford", None, None, ["ana@example.com", "ben7"]),
        "ugo@example.org": ("instructor", "Ugo", "Gray", None, None, ["ana@example.com"]),
        "hana@example.net": ("parent", "Hana", "Ruiz", None, None, ["ana@example.com", "ben7"]),
    }
    _again_changes_nothing(capsys, org, files, first)
    assert _notes(capsys, *files, "--org", org.slug) == [
        "OneRoster 1.2 bundle: users.csv — 7 people; roles.csv — 9 roles; enrollments.csv —"
        " 5 class enrollments.",
        "users.csv row 7 (administrator) left out: Roster imports students, teachers and parents.",
        "users.csv row 8 left out: roles.csv gives them no role Roster imports.",
        "manifest.csv was left out: it lists the bundle's manifest, which Roster does not import.",
    ]


def test_a_oneroster_12_enrollment_of_no_one_is_flagged_on_its_cell(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles.ONEROSTER12_ENROLLMENTS.append(("c2", "s404", "student"))
    try:
        files = bundles.oneroster12_bundle(tmp_path)
    finally:
        del bundles.ONEROSTER12_ENROLLMENTS[-1]
    make_account(org, Role.PARENT, "ugo@example.org")  # planning's role_conflict
    result = _import(capsys, *files, "--org", org.slug, "--no-invite", "--dry-run")
    # The tables' issues (validation's and planning's, in file order), then the bundle's.
    assert _where(result["issues"]) == [
        (
            "association_role_mismatch",
            "users.csv",
            "users (Students)",
            2,
            "Instructors (enrollments.csv)",
        ),
        ("role_conflict", "users.csv", "users (Instructors)", 5, "email"),
        ("missing_required", "roles.csv", "roles", 9, "role"),
        ("unknown_association", "roles.csv", "roles", 10, "userSourcedId"),
        ("unknown_association", "enrollments.csv", "enrollments", 7, "userSourcedId"),
    ]
    assert result["issues"][-1] == {
        "code": "unknown_association",
        "severity": "error",
        "file": "enrollments.csv",
        "sheet": "enrollments",
        "row": 7,
        "column": "userSourcedId",
        "message": f"{UNKNOWN}“s404” in userSourcedId is the sourcedId of no one in users.csv.",
    }


def test_a_canvas_bundle(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = bundles.canvas_bundle(tmp_path)
    first = _check_dry_run_first(capsys, org, files)
    assert first["summary"] == {
        "create": _by_role(4, 2, 2),
        "update": _by_role(0, 0, 0),
        "unchanged": _by_role(0, 0, 0),
        "skipped": _by_role(0, 0, 0),
        "associations": {"student_parent": 2, "student_instructor": 4},
        "invites": 0,
    }
    assert _where(first["issues"]) == [
        ("name_split_guess", "users.csv", "users (Students)", 4, "full_name"),
        ("unknown_association", "enrollments.csv", "enrollments", 11, "user_id"),
        ("unknown_association", "user_observers.csv", "user_observers", 3, "student_id"),
    ]
    assert [issue["message"] for issue in first["issues"][1:]] == [
        f"{UNKNOWN}“u404” in user_id is the user_id of no one in users.csv.",
        f"{UNKNOWN}“u999” in student_id is the user_id of no one in users.csv.",
    ]
    assert _users(capsys, org) == {
        "ana@example.com": (
            "student",
            "Ana",
            "Ruiz",
            None,
            None,
            ["ian@example.net", "tess@example.org"],
        ),
        # no email: login_id is the username; user_observers.csv gives the parent
        "ben.cho": (
            "student",
            "Ben",
            "Cho",
            "ben.cho",
            None,
            ["hana@example.net", "tess@example.org"],
        ),
        # section S2 has no teacher: the teachers of course C1
        "cai@example.com": ("student", "Cai", "Diaz", None, None, ["tess@example.org"]),
        # enrolled in course C2 with no section: its TA
        "dev@example.com": ("student", "Dev", "Eke", None, None, ["ugo@example.org"]),
        "tess@example.org": (
            "instructor",
            "Tess",
            "Ford",
            None,
            None,
            ["ana@example.com", "ben.cho", "cai@example.com"],
        ),
        "ugo@example.org": ("instructor", "Ugo", "Gray", None, None, ["dev@example.com"]),
        "hana@example.net": ("parent", "Hana", "Cho", None, None, ["ben.cho"]),
        # an observer enrollment's associated_user_id
        "ian@example.net": ("parent", "Ian", "Ruiz", None, None, ["ana@example.com"]),
    }
    _again_changes_nothing(capsys, org, files, first)
    assert _notes(capsys, *files, "--org", org.slug) == [
        "Canvas SIS bundle: users.csv — 11 people; enrollments.csv — 11 enrollments;"
        " user_observers.csv — 3 observers.",
        "users.csv row 5 (status deleted) left out.",
        "users.csv row 11 left out: their enrollments are in roles Roster does not import"
        " (it imports teachers, TAs, students and observers).",
        "users.csv row 12 left out: no enrollment or observer link gives them a role.",
        "courses.csv was left out: it lists courses (enrollments.csv says who is in each),"
        " which Roster does not import.",
        "sections.csv was left out: it lists sections (enrollments.csv says who is in each),"
        " which Roster does not import.",
        "terms.csv was left out: it lists terms, which Roster does not import.",
    ]


def test_a_clever_bundle(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = bundles.clever_bundle(tmp_path)
    first = _check_dry_run_first(capsys, org, files)
    assert first["summary"] == {
        "create": _by_role(4, 2, 2),
        "update": _by_role(0, 0, 0),
        "unchanged": _by_role(0, 0, 0),
        "skipped": _by_role(0, 0, 0),
        "associations": {"student_parent": 3, "student_instructor": 6},
        "invites": 0,
    }
    assert _where(first["issues"]) == [
        ("name_split_guess", "students.csv", "students (contacts)", 2, "Contact_name"),
        ("name_split_guess", "students.csv", "students (contacts)", 3, "Contact_name"),
        ("unknown_association", "sections.csv", "sections", 4, "Teacher_id"),
        ("unknown_association", "enrollments.csv", "enrollments", 6, "Student_id"),
    ]
    assert [issue["message"] for issue in first["issues"][2:]] == [
        f"{UNKNOWN}“tc9” in Teacher_id is the Teacher_id of no one in teachers.csv.",
        f"{UNKNOWN}“st404” in Student_id is the Student_id of no one in students.csv.",
    ]
    tess, ugo = "tess@example.org", "ugo@example.org"
    assert _users(capsys, org) == {
        # two rows (two contacts): one student, two parents
        "ana@example.com": (
            "student",
            "Ana",
            "Ruiz",
            None,
            None,
            ["hana@example.net", "ian@example.net", tess],
        ),
        # Hana again (in capitals): the same parent
        "ben.ruiz": ("student", "Ben", "Ruiz", "ben.ruiz", None, ["hana@example.net", tess]),
        "cai@example.com": ("student", "Cai", "Diaz", None, None, [tess, ugo]),
        # Kim Eke has no Contact_email: no parent
        "dev@example.com": ("student", "Dev", "Eke", None, None, [tess, ugo]),
        # listed at two schools: one teacher
        tess: (
            "instructor",
            "Tess",
            "Ford",
            None,
            None,
            ["ana@example.com", "ben.ruiz", "cai@example.com", "dev@example.com"],
        ),
        ugo: ("instructor", "Ugo", "Gray", None, None, ["cai@example.com", "dev@example.com"]),
        "hana@example.net": (
            "parent",
            "Hana",
            "Ruiz",
            None,
            "+14155550101",
            ["ana@example.com", "ben.ruiz"],
        ),
        "ian@example.net": ("parent", "Ian", "Ruiz", None, None, ["ana@example.com"]),
    }
    _again_changes_nothing(capsys, org, files, first)
    assert _notes(capsys, *files, "--org", org.slug) == [
        "Clever bundle: students.csv — 5 student rows; teachers.csv — 3 teacher rows;"
        " sections.csv — 3 sections; enrollments.csv — 6 enrollments.",
        "teachers.csv row 4 merged into the earlier row of the same Teacher_id: one teacher"
        " at several schools.",
        "students.csv row 3 merged into the earlier row of the same Student_id: one student"
        " with several contacts.",
        "enrollments.csv names 1 Section_id(s) that no row of sections.csv holds (sec9):"
        " those enrollments make no link.",
        "students.csv row 6 (a contact without Contact_email) not imported as a parent: a"
        " parent needs an email.",
        "schools.csv was left out: it lists schools, which Roster does not import.",
    ]


@pytest.mark.parametrize(
    ("generate", "people", "rows"),
    [
        (bundles.oneroster12_bundle, "users.csv", 7),
        (bundles.canvas_bundle, "users.csv", 11),
        (bundles.clever_bundle, "students.csv", 5),
    ],
)
def test_a_lone_file_of_people_is_no_bundle(
    org: Organization,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    generate: Callable[[Path], list[str]],
    people: str,
    rows: int,
) -> None:
    """Alone, the file of people is any table: every row takes the role --role gives, as
    on the web wizard's tab (one file per tab); no note of a bundle, no link by id."""
    path = next(path for path in generate(tmp_path) if path.endswith(f"/{people}"))
    argv = [path, "--org", org.slug, "--role", "student", "--dry-run"]
    summary = _import(capsys, *argv)["summary"]
    assert summary["create"]["student"] + summary["skipped"]["student"] == rows
    others = [
        summary[name][role] for name in ("create", "skipped") for role in ("instructor", "parent")
    ]
    assert others == [0, 0, 0, 0]
    assert summary["associations"] == {"student_parent": 0, "student_instructor": 0}
    assert not [note for note in _notes(capsys, *argv) if "bundle" in note]


def _grown(kind: str, n: int) -> list[tuple[list[Any], list[Any]]]:
    """(list, rows to add): n more username-only students, each with a parent and a class."""
    kids = range(n)
    if kind == "oneroster12":
        return [
            (
                bundles.ONEROSTER12_PEOPLE,
                [(f"x{i}", f"kid{i}", "Kid", "", f"N{i}", "", "g1") for i in kids],
            ),
            (bundles.ONEROSTER12_ROLE_ROWS, [(f"x{i}", "primary", "student") for i in kids]),
            (bundles.ONEROSTER12_ENROLLMENTS, [("c1", f"x{i}", "student") for i in kids]),
        ]
    if kind == "canvas":
        return [
            (
                bundles.CANVAS_PEOPLE,
                [(f"x{i}", f"kid{i}", "Kid", f"N{i}", "", "", "active") for i in kids],
            ),
            (
                bundles.CANVAS_ENROLLMENT_ROWS,
                [("C1", f"x{i}", "student", "S1", "active", "") for i in kids],
            ),
            (bundles.CANVAS_OBSERVERS, [("o1", f"x{i}", "active") for i in kids]),
        ]
    return [
        (
            bundles.CLEVER_STUDENT_ROWS,
            [
                (
                    f"x{i}",
                    "Kid",
                    f"N{i}",
                    "",
                    f"kid{i}",
                    "Hana Ruiz",
                    "",
                    "hana@example.net",
                    "Mother",
                )
                for i in kids
            ],
        ),
        (bundles.CLEVER_ENROLLMENT_ROWS, [("sec1", f"x{i}") for i in kids]),
    ]


@pytest.mark.parametrize("kind", ["oneroster12", "canvas", "clever"])
def test_a_bundle_is_read_in_bulk(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """The queries of an import do not grow with the bundle's rows (links included)."""
    generate = getattr(bundles, f"{kind}_bundle")

    def queries(folder: Path, n: int) -> tuple[int, dict[str, Any]]:
        folder.mkdir()
        grown = _grown(kind, n)
        for rows, extra in grown:
            rows.extend(extra)
        try:
            files = generate(folder)
        finally:
            for rows, extra in grown:
                del rows[len(rows) - len(extra) :]
        with CaptureQueriesContext(connection) as captured:
            result = _import(capsys, *files, "--org", org.slug, "--no-invite", "--dry-run")
        return len(captured.captured_queries), result["summary"]

    small, few = queries(tmp_path / "small", 1)
    large, many = queries(tmp_path / "large", 60)
    assert large == small
    assert many["create"]["student"] == few["create"]["student"] + 59
    assert many["associations"]["student_parent"] == few["associations"]["student_parent"] + 59


def test_a_canvas_user_enrolled_in_several_roles_is_imported_once(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An account has one role: an instructor before a student before a parent."""
    bundles.CANVAS_ENROLLMENT_ROWS.append(("C3", "u5", "teacher", "", "active", ""))
    try:
        files = bundles.canvas_bundle(tmp_path)
    finally:
        del bundles.CANVAS_ENROLLMENT_ROWS[-1]
    result = _import(capsys, *files, "--org", org.slug, "--no-invite")
    assert result["summary"]["create"] == _by_role(3, 3, 2)
    assert _users(capsys, org)["dev@example.com"] == ("instructor", "Dev", "Eke", None, None, [])
    assert (
        "users.csv row 6 (enrollments in several roles) imported once: as an instructor before"
        " a student before a parent."
    ) in _notes(capsys, *files, "--org", org.slug)
