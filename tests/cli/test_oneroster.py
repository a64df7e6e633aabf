"""`roster import` of a OneRoster 1.1 CSV bundle: its files read together, links by sourcedId.

The bundle is generated here from the field names of the IMS OneRoster 1.1 CSV binding
(users, enrollments, classes, manifest, orgs); its people are made up.
"""

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roster.accounts.models import Account, StudentInstructor, StudentParent
from roster.cli.main import main
from roster.orgs.models import Organization

USERS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
]
# sourcedId, role, username, givenName, familyName, email, sms, agentSourcedIds
PEOPLE = [
    ("s1", "student", "ana.ruiz", "Ana", "Ruiz", "ana@example.com", "", "g1"),
    ("s2", "student", "ben.cho", "Ben", "Cho", "ben@example.com", "", "g1,g2"),
    ("s3", "student", "cai.diaz", "Cai", "Diaz", "cai@example.com", "", ""),
    ("s4", "student", "dev.eke", "Dev", "Eke", "dev@example.com", "", ""),
    ("s5", "student", "finn7", "Finn", "Gale", "", "", ""),  # username only: g3 names them
    ("s6", "student", "gia.hu", "Gia", "Hu", "gia@example.com", "", "g1,p99"),  # p99: no one
    ("t1", "teacher", "tess", "Tess", "Ford", "tess@example.org", "+14155550101", ""),
    ("t2", "teacher", "ugo", "Ugo", "Gray", "ugo@example.org", "", ""),
    ("g1", "parent", "", "Hana", "Ruiz", "hana@example.net", "", "s1,s2"),
    ("g2", "guardian", "", "Ian", "Cho", "ian@example.net", "", "s4"),
    ("g3", "relative", "", "Jo", "Gale", "jo@example.net", "", "s5"),
    ("a1", "administrator", "kim", "Kim", "Lane", "kim@example.org", "", ""),
]
MANIFEST = [{"propertyName": "oneroster.version", "value": "1.1"}]
ENROLLMENTS = [  # class, user, role
    ("c1", "t1", "teacher"),
    ("c1", "s1", "student"),
    ("c1", "s2", "student"),
    ("c1", "s3", "student"),
    ("c1", "s5", "student"),
    ("c2", "t2", "teacher"),
    ("c2", "s3", "student"),
    ("c2", "s4", "student"),
    ("c2", "s6", "student"),
    ("c2", "a1", "administrator"),
]


def _write(folder: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> str:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, header, restval="")  # quotes "g1,g2" as the spec does
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def bundle(folder: Path) -> list[str]:
    users = [
        dict(
            zip(
                ["sourcedId", "role", "username", "givenName", "familyName", "email", "sms"]
                + ["agentSourcedIds"],
                person,
                strict=True,
            ),
            status="active",
            enabledUser="true",
            orgSourcedIds="sch1",
        )
        for person in PEOPLE
    ]
    enrollment_header = [
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ]
    enrollments = [
        {"sourcedId": f"e{n}", "classSourcedId": c, "schoolSourcedId": "sch1"}
        | {"userSourcedId": u, "role": r}
        for n, (c, u, r) in enumerate(ENROLLMENTS)
    ]
    class_header = [
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ]
    classes = [{"sourcedId": c, "title": f"Class {c}", "schoolSourcedId": "sch1"} for c in "12"]
    return [
        _write(folder, "users.csv", USERS, users),
        _write(folder, "enrollments.csv", enrollment_header, enrollments),
        _write(folder, "classes.csv", class_header, classes),
        _write(folder, "manifest.csv", ["propertyName", "value"], [{"propertyName": "v"}]),
        _write(
            folder,
            "orgs.csv",
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "name",
                "type",
                "identifier",
                "parentSourcedId",
            ],
            [{"sourcedId": "sch1", "name": "North School", "type": "school"}],
        ),
    ]


def _import(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["import", *argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # the notes are not part of the JSON
    result: dict[str, object] = json.loads(out)
    return result


def _by_role(create: int, instructors: int, parents: int) -> dict[str, int]:
    return {"student": create, "instructor": instructors, "parent": parents}


def test_a_oneroster_bundle_imports_with_its_links_and_again_changes_nothing(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = bundle(tmp_path)
    first = _import(capsys, *files, "--org", org.slug, "--no-invite")
    assert first["summary"] == {
        "create": _by_role(5, 2, 3),
        "update": _by_role(0, 0, 0),
        "unchanged": _by_role(0, 0, 0),
        "skipped": _by_role(1, 0, 0),
        "associations": {"student_parent": 5, "student_instructor": 6},
        "invites": 0,
    }
    assert first["issues"] == [
        {
            "code": "unknown_association",
            "severity": "error",
            "message": "This link names no one in your organization or this import."
            " “p99” in agentSourcedIds is the sourcedId of no one in users.csv.",
            "file": "users.csv",
            "sheet": "users (Students)",
            "row": 7,
            "column": "agentSourcedIds",
        }
    ]
    people = Account.objects.in_org(org).people()
    assert sorted(people.values_list("email", "username", "role", "phone")) == sorted(
        [
            ("ana@example.com", "ana.ruiz", "student", ""),
            ("ben@example.com", "ben.cho", "student", ""),
            ("cai@example.com", "cai.diaz", "student", ""),
            ("dev@example.com", "dev.eke", "student", ""),
            ("", "finn7", "student", ""),
            ("tess@example.org", "", "instructor", "+14155550101"),
            ("ugo@example.org", "", "instructor", ""),
            ("hana@example.net", "", "parent", ""),
            ("ian@example.net", "", "parent", ""),
            ("jo@example.net", "", "parent", ""),
        ]
    )
    parents = StudentParent.objects.values_list("student__first_name", "parent__first_name")
    assert sorted(parents) == [
        ("Ana", "Hana"),
        ("Ben", "Hana"),
        ("Ben", "Ian"),
        ("Dev", "Ian"),
        ("Finn", "Jo"),
    ]
    teachers = StudentInstructor.objects.values_list(
        "student__first_name", "instructor__first_name"
    )
    assert sorted(teachers) == [
        ("Ana", "Tess"),
        ("Ben", "Tess"),
        ("Cai", "Tess"),
        ("Cai", "Ugo"),
        ("Dev", "Ugo"),
        ("Finn", "Tess"),
    ]
    assert main(["users", "--org", org.slug, "--json"]) == 0
    listed = {u["email"] or u["username"]: u for u in json.loads(capsys.readouterr().out)}
    assert listed["finn7"]["parents"] == ["jo@example.net"]
    assert listed["finn7"]["instructors"] == ["tess@example.org"]
    assert sorted(listed["ian@example.net"]["students"]) == ["ben@example.com", "dev@example.com"]
    assert "kim@example.org" not in listed and "gia@example.com" not in listed
    again = _import(capsys, *files, "--org", org.slug, "--no-invite")
    summary = again["summary"]
    assert isinstance(summary, dict)
    assert summary["create"] == summary["update"] == _by_role(0, 0, 0)
    assert summary["unchanged"] == _by_role(5, 2, 3)
    assert summary["associations"] == {"student_parent": 0, "student_instructor": 0}


def test_the_files_left_out_and_the_administrator_are_notes(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = bundle(tmp_path)
    assert main(["import", *files, "--org", org.slug, "--no-invite", "--dry-run"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "note" in line]
    assert notes == [
        "roster: note: OneRoster 1.1 bundle: users.csv — 12 people; enrollments.csv — 10 class"
        " enrollments.",
        "roster: note: users.csv row 13 (administrator) left out: Roster imports students,"
        " teachers and parents.",
        "roster: note: classes.csv was left out: it lists classes (enrollments.csv says who is"
        " in each), which Roster does not import.",
        "roster: note: manifest.csv was left out: it lists the bundle's manifest, which Roster"
        " does not import.",
        "roster: note: orgs.csv was left out: it lists schools and districts, which Roster"
        " does not import.",
    ]


def test_a_bundle_is_read_in_bulk(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The queries of a preview do not grow with the bundle's rows."""

    def queries(folder: Path) -> int:
        folder.mkdir()
        with CaptureQueriesContext(connection) as captured:
            main(["import", *bundle(folder), "--org", org.slug, "--dry-run", "--json"])
        capsys.readouterr()
        return len(captured.captured_queries)

    small = queries(tmp_path / "small")
    PEOPLE.extend((f"x{n}", "student", f"kid{n}", "Kid", f"N{n}", "", "", "g1") for n in range(40))
    try:
        assert queries(tmp_path / "large") == small
    finally:
        del PEOPLE[-40:]


def test_an_enrollment_of_no_one_and_an_unknown_role(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An enrollment's id that no users.csv row holds is unknown_association on its cell of
    enrollments.csv (a bundle issue, after the tables' issues); a role OneRoster does not
    define is the role column's missing_required."""
    ENROLLMENTS.append(("c1", "u404", "student"))
    PEOPLE.append(("s9", "studnet", "", "Ola", "Park", "ola@example.com", "", ""))
    try:
        files = bundle(tmp_path)
        result = _import(capsys, *files, "--org", org.slug, "--no-invite", "--dry-run")
    finally:
        del ENROLLMENTS[-1], PEOPLE[-1]
    issues = result["issues"]
    assert isinstance(issues, list)
    assert [(i["code"], i["file"], i["row"], i["column"]) for i in issues] == [
        ("unknown_association", "users.csv", 7, "agentSourcedIds"),
        ("missing_required", "users.csv", 14, "role"),
        ("unknown_association", "enrollments.csv", 12, "userSourcedId"),
    ]
    assert issues[-1] == {
        "code": "unknown_association",
        "severity": "error",
        "file": "enrollments.csv",
        "sheet": "enrollments",
        "row": 12,
        "column": "userSourcedId",
        "message": "This link names no one in your organization or this import."
        " “u404” in userSourcedId is the sourcedId of no one in users.csv.",
    }
    summary = result["summary"]
    assert isinstance(summary, dict)
    assert summary["associations"] == {"student_parent": 5, "student_instructor": 6}


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("people.csv", "sourcedId,role,givenName,familyName,email"),  # not a bundle's name
        ("users.csv", "First Name,Last Name,Email,Role"),  # not a bundle's headers
    ],
)
def test_a_file_is_a_bundle_file_by_its_name_and_its_headers(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, header: str
) -> None:
    """Not both: read as any table with a role column (an administrator is an issue)."""
    path = tmp_path / name
    path.write_text(f"{header}\nKim,administrator,Kim,Lane,kim@example.org\n", encoding="utf-8")
    if header.startswith("First"):
        path.write_text(f"{header}\nKim,Lane,kim@example.org,administrator\n", encoding="utf-8")
    result = _import(capsys, str(path), "--org", org.slug, "--no-invite", "--dry-run")
    issues = result["issues"]
    assert isinstance(issues, list)
    assert [issue["column"] for issue in issues if issue["code"] == "missing_required"] == [
        header.split(",")[1 if name == "people.csv" else 3]
    ]


def test_a_bundle_file_over_the_row_limit_names_the_file(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    """The bundle's rows are read before validation, file by file in the order given: a
    limit reached there names its file (users.csv, the first, has 12 rows)."""
    settings.IMPORT_MAX_ROWS = 5
    files = bundle(tmp_path)
    assert main(["import", *files, "--org", org.slug, "--no-invite", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["code"], error["file"]) == ("too_many_rows", "users.csv")
    assert not Account.objects.in_org(org).exists()


def test_a_username_only_student_naming_their_parent_by_id_needs_no_other_parent(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "users.csv"
    path.write_text(
        "sourcedId,role,username,givenName,familyName,email,agentSourcedIds\n"
        "s1,student,lia3,Lia,Moss,,p1\n"
        "p1,parent,,Max,Moss,max@example.net,\n",
        encoding="utf-8",
    )
    # users.csv and manifest.csv alone are a bundle: two of its files came together.
    manifest = _write(tmp_path, "manifest.csv", ["propertyName", "value"], MANIFEST)
    result = _import(capsys, str(path), manifest, "--org", org.slug, "--no-invite")
    assert result["issues"] == []
    summary = result["summary"]
    assert isinstance(summary, dict)
    assert summary["create"] == _by_role(1, 0, 1)
    assert summary["associations"] == {"student_parent": 1, "student_instructor": 0}
    assert StudentParent.objects.filter(student__username="lia3").count() == 1


def test_a_lone_users_csv_is_read_as_any_table_a_second_bundle_file_makes_it_a_bundle(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Alone it is what the web wizard (one file per tab) reads too: the administrator is
    the role column's issue. With manifest.csv beside it, the same row is a note."""
    path = tmp_path / "users.csv"
    path.write_text(
        "sourcedId,role,givenName,familyName,email\n"
        "t1,teacher,Tess,Ford,tess@example.org\n"
        "a1,administrator,Kim,Lane,kim@example.org\n",
        encoding="utf-8",
    )
    alone = _import(capsys, str(path), "--org", org.slug, "--no-invite", "--dry-run")
    issues = alone["issues"]
    assert isinstance(issues, list)
    wanted = [(i["row"], i["column"]) for i in issues if i["code"] == "missing_required"]
    assert wanted == [(3, "role")]
    manifest = _write(tmp_path, "manifest.csv", ["propertyName", "value"], MANIFEST)
    argv = ["import", str(path), manifest, "--org", org.slug, "--no-invite", "--dry-run"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "users.csv row 3 (administrator) left out" in err
    assert "missing_required" not in err
