"""A OneRoster 1.1 bundle as a zip through `roster import`, and its ids kept on accounts.

The bundle is test_oneroster.py's; next year's export (one email changed, one new
enrollment) must update the same people, found by their sourcedId.
"""

import csv
import json
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roster.accounts.models import Account, ExternalId, Role, StudentInstructor
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.cli.test_oneroster import ENROLLMENTS, PEOPLE, bundle


def zipped(folder: Path, files: list[str], name: str = "export.zip") -> str:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("oneroster/", "")  # a folder entry: left out quietly
        for file in files:
            archive.write(file, f"oneroster/{Path(file).name}")
        archive.writestr("__MACOSX/oneroster/._users.csv", b"\0\5\26\7")
        archive.writestr("oneroster/.DS_Store", b"\0\0\0\1Bud1")
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[dict[str, object], str]:
    assert main(["import", *argv]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def _summary(result: dict[str, object]) -> dict[str, object]:
    summary = result["summary"]
    assert isinstance(summary, dict)
    return summary


def test_a_zipped_bundle_imports_as_its_files_do_and_keeps_each_persons_id(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = bundle(tmp_path)
    archive = zipped(tmp_path, files)
    as_files, _ = _run(capsys, *files, "--org", org.slug, "--dry-run", "--json")
    as_zip, _ = _run(capsys, archive, "--org", org.slug, "--no-invite", "--json")
    assert as_zip == as_files  # the same summary and issues, naming users.csv
    assert _summary(as_zip)["create"] == {"student": 5, "instructor": 2, "parent": 3}
    ids = ExternalId.objects.filter(organization=org, source="oneroster")
    assert sorted(ids.values_list("value", "account__first_name")) == [
        ("g1", "Hana"),
        ("g2", "Ian"),
        ("g3", "Jo"),
        ("s1", "Ana"),
        ("s2", "Ben"),
        ("s3", "Cai"),
        ("s4", "Dev"),
        ("s5", "Finn"),
        ("t1", "Tess"),
        ("t2", "Ugo"),
    ]
    assert main(["import", archive, "--org", org.slug, "--no-invite", "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert (
        "roster: note: 2 hidden or system file(s) in export.zip were left out"
        " (__MACOSX/oneroster/._users.csv, oneroster/.DS_Store)."
    ) in err.splitlines()
    assert "roster: note: OneRoster 1.1 bundle: users.csv — 12 people" in err
    again, _ = _run(capsys, archive, "--org", org.slug, "--no-invite", "--json")
    assert _summary(again)["unchanged"] == {"student": 5, "instructor": 2, "parent": 3}
    assert _summary(again)["create"] == _summary(again)["update"]
    assert ids.count() == 10


def test_next_years_export_updates_the_same_people_by_their_id(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    first.mkdir()
    _run(capsys, zipped(first, bundle(first)), "--org", org.slug, "--no-invite", "--json")
    ana = Account.objects.get(organization=org, email="ana@example.com")
    original = list(PEOPLE), list(ENROLLMENTS)
    PEOPLE[0] = ("s1", "student", "ana.ruiz", "Ana", "Ruiz", "ana.r@example.com", "", "g1")
    ENROLLMENTS.append(("c2", "s1", "student"))  # Ana joins Ugo's class
    try:
        second = tmp_path / "second"
        second.mkdir()
        archive = zipped(second, bundle(second))
        result, _ = _run(capsys, archive, "--org", org.slug, "--no-invite", "--json")
    finally:
        PEOPLE[:], ENROLLMENTS[:] = original
    summary = _summary(result)
    assert summary["create"] == {"student": 0, "instructor": 0, "parent": 0}
    assert summary["update"] == {"student": 1, "instructor": 0, "parent": 0}
    assert summary["unchanged"] == {"student": 4, "instructor": 2, "parent": 3}
    assert summary["associations"] == {"student_parent": 0, "student_instructor": 1}
    ana.refresh_from_db()
    assert ana.email == "ana.r@example.com"
    assert sorted(
        StudentInstructor.objects.filter(student=ana).values_list(
            "instructor__first_name", flat=True
        )
    ) == ["Tess", "Ugo"]
    assert Account.objects.in_org(org).filter(role=Role.STUDENT).count() == 5


def test_an_id_whose_email_now_belongs_to_someone_else_is_an_issue(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cai's sourcedId names Cai's account; the export now gives Cai Dev's email."""
    files = bundle(tmp_path)
    _run(capsys, *files, "--org", org.slug, "--no-invite", "--json")
    with Path(files[0]).open(encoding="utf-8") as read:
        rows = list(csv.reader(read))
    email = rows[0].index("email")
    rows[3][email] = "dev@example.com"  # Cai's row (s3)
    with Path(files[0]).open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    result, _ = _run(capsys, *files, "--org", org.slug, "--no-invite", "--dry-run", "--json")
    issues = result["issues"]
    assert isinstance(issues, list)
    conflicts = [i for i in issues if i["code"] == "external_id_conflict"]
    assert conflicts == [
        {
            "code": "external_id_conflict",
            "severity": "error",
            "message": "The school system's id and the email or username of this row name two"
            " different users. The id s3 belongs to one user and this email to another.",
            "file": "users.csv",
            "sheet": "users (Students)",
            "row": 4,
            "column": "email",
        }
    ]


def test_the_same_id_twice_in_one_export_is_a_duplicate(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    PEOPLE.append(("s1", "student", "ana2", "Ana", "Ruiz", "ana2@example.com", "", ""))
    try:
        files = bundle(tmp_path)
    finally:
        del PEOPLE[-1]
    result, _ = _run(capsys, *files, "--org", org.slug, "--no-invite", "--dry-run", "--json")
    issues = result["issues"]
    assert isinstance(issues, list)
    assert [(i["code"], i["row"], i["column"]) for i in issues if i["row"] == 14] == [
        ("duplicate_in_file", 14, "sourcedId")
    ]


def test_ids_are_looked_up_and_written_in_bulk(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Applying a bundle, and applying it again (every id found), costs the same number of
    queries for 10 people as for 50."""

    def queries(folder: Path) -> tuple[int, int, int]:
        folder.mkdir()
        files = bundle(folder)
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                assert main(["import", *files, "--org", org.slug, "--no-invite", "--json"]) == 0
            capsys.readouterr()
            counts.append(len(captured.captured_queries))
        kept = ExternalId.objects.filter(organization=org).count()
        ExternalId.objects.all().delete()
        Account.objects.in_org(org).people().delete()
        return counts[0], counts[1], kept

    first, again, kept = queries(tmp_path / "small")
    assert kept == 10
    PEOPLE.extend((f"x{n}", "student", f"kid{n}", "Kid", f"N{n}", "", "", "g1") for n in range(40))
    try:
        assert queries(tmp_path / "large") == (first, again, 50)
    finally:
        del PEOPLE[-40:]


def test_an_id_too_long_to_keep_is_the_rows_value_too_long(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    PEOPLE.append(("s" * 256, "student", "ola1", "Ola", "Park", "ola@example.com", "", ""))
    try:
        files = bundle(tmp_path)
    finally:
        del PEOPLE[-1]
    result, _ = _run(capsys, *files, "--org", org.slug, "--no-invite", "--json")
    issues = result["issues"]
    assert isinstance(issues, list)
    assert [(i["code"], i["row"], i["column"]) for i in issues if i["row"] == 14] == [
        ("value_too_long", 14, "sourcedId")
    ]
    assert not Account.objects.filter(email="ola@example.com").exists()


def test_an_id_kept_in_another_organization_matches_no_one_here(
    org: Organization, other_org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same export into two organizations: two sets of accounts and ids, each its own;
    the second import creates everyone, updates nothing in the first."""
    files = bundle(tmp_path)
    _run(capsys, *files, "--org", other_org.slug, "--no-invite", "--json")
    theirs = Account.objects.get(organization=other_org, email="ana@example.com")
    result, _ = _run(capsys, *files, "--org", org.slug, "--no-invite", "--json")
    assert _summary(result)["create"] == {"student": 5, "instructor": 2, "parent": 3}
    assert _summary(result)["update"] == {"student": 0, "instructor": 0, "parent": 0}
    ours = ExternalId.objects.get(organization=org, source="oneroster", value="s1")
    assert ours.account.organization_id == org.pk and ours.account_id != theirs.pk
    assert ExternalId.objects.filter(organization=other_org).count() == 10
