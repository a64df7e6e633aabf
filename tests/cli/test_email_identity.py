"""One mailbox, one identity: Punycode and Unicode spellings through every door (issue 10.2),
and addresses Roster cannot send to refused in every door (issue 11.5)."""

import importlib
import json
from pathlib import Path

import pytest
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.cli.main import main
from roster.orgs.models import Organization
from tests.conftest import PASSWORD, make_account

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def _import(capsys: pytest.CaptureFixture[str], org: Organization, path: Path) -> dict:  # type: ignore[type-arg]
    status = main(["import", str(path), "--org", org.slug, "--role", "student", "--json"])
    result: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    result["status"] = status
    return result


def test_two_spellings_of_one_mailbox_in_one_file_are_a_duplicate(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _import(capsys, org, SAMPLES / "students-punycode-duplicates.csv")
    assert [(i["code"], i["row"]) for i in result["issues"]] == [("duplicate_in_file", 3)]
    assert result["summary"]["create"]["student"] == 2
    assert sorted(Account.objects.in_org(org).people().values_list("email", flat=True)) == [
        "ann@example.com",
        "jo@münchen.de",
    ]


def test_a_punycode_spelling_finds_the_stored_unicode_account(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_account(org, Role.STUDENT, "jo@münchen.de", first_name="Jo", last_name="Maier")
    path = tmp_path / "students.csv"
    path.write_text("First Name,Last Name,Email\nJo,Maier,JO@XN--MNCHEN-3YA.DE\n", "utf-8")
    result = _import(capsys, org, path)
    assert result["summary"]["create"]["student"] == 0
    assert result["summary"]["unchanged"]["student"] == 1
    assert Account.objects.in_org(org).people().count() == 1


def test_addresses_the_library_refuses_and_smtputf8_local_parts_are_invalid_email(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _import(capsys, org, SAMPLES / "students-non-ascii-local-parts.csv")
    found = [(i["code"], i["row"], i["column"]) for i in result["issues"]]
    assert found == [
        ("invalid_email", 2, "Email"),
        ("invalid_email", 3, "Parent Email"),
        ("invalid_email", 4, "Email"),
    ]
    assert "plain letters (A–Z)" in result["issues"][0]["message"]
    assert "“jösé@…” has other characters (ö, é)" in result["issues"][0]["message"]


@pytest.mark.parametrize(
    ("owner", "stored"),
    [("jo@xn--mnchen-3ya.de", "jo@münchen.de"), (" Boss@Example.COM\n", "Boss@example.com")],
)
def test_org_create_stores_the_canonical_form(db: None, owner: str, stored: str) -> None:
    assert main(["org", "create", "fresh", "--name", "Fresh", "--owner-email", owner]) == 0
    assert Account.objects.get(organization__slug="fresh").email == stored


@pytest.mark.parametrize("owner", ["me@xn--0.tld", "me@ab--cd.com", "jösé@example.com"])
def test_org_create_refuses_what_the_import_refuses(
    db: None, owner: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["org", "create", "fresh", "--name", "Fresh", "--owner-email", owner]) == 1
    assert capsys.readouterr().err.startswith("roster: ")
    assert not Organization.objects.filter(slug="fresh").exists()


def test_add_user_refuses_a_punycode_spelling_of_a_taken_email_and_stores_unicode(
    admin_client: Client, org: Organization
) -> None:
    make_account(org, Role.PARENT, "pat@münchen.de")
    new = {"role": "student", "first_name": "A", "last_name": "B"}
    taken = admin_client.post("/o/northside/users/new/", {**new, "email": "pat@xn--mnchen-3ya.de"})
    assert "email" in taken.context["form"].errors
    sent = admin_client.post("/o/northside/users/new/", {**new, "email": "jösé@example.com"})
    assert "plain letters (A–Z)" in str(sent.context["form"].errors["email"])
    linked = {**new, "email": "a@xn--mnchen-3ya.de", "parent_emails": "PAT@xn--mnchen-3ya.de"}
    assert admin_client.post("/o/northside/users/new/", linked).status_code == 302
    student = Account.objects.in_org(org).get(role=Role.STUDENT)
    assert student.email == "a@münchen.de"
    parents = student.parent_links.values_list("parent__email", flat=True)
    assert list(parents) == ["pat@münchen.de"]


def test_logging_in_with_the_punycode_spelling_finds_the_account(org: Organization) -> None:
    make_account(org, Role.PARENT, "pat@münchen.de", status=Status.ACTIVE)
    response = Client().post(
        "/o/northside/login/", {"login": "Pat@XN--MNCHEN-3YA.de", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_migration_rewrites_stored_punycode_unless_the_unicode_form_is_taken(
    org: Organization, other_org: Organization
) -> None:
    from django.apps import apps

    alone = make_account(org, Role.PARENT, "jo@xn--mnchen-3ya.de")
    make_account(other_org, Role.PARENT, "jo@münchen.de")
    both = make_account(other_org, Role.PARENT, "Jo@XN--MNCHEN-3YA.de")
    broken = make_account(org, Role.PARENT, "x@xn--0.tld")
    migration = importlib.import_module("roster.accounts.migrations.0007_emails_in_canonical_form")
    migration.canonical_emails(apps, None)
    for account in (alone, both, broken):
        account.refresh_from_db()
    assert (alone.email, both.email, broken.email) == (
        "jo@münchen.de",
        "Jo@XN--MNCHEN-3YA.de",  # the Unicode spelling is taken in its organization
        "x@xn--0.tld",  # not an address the library can read: left as it is
    )


def test_editing_a_user_to_a_punycode_spelling_of_a_taken_email_is_refused(
    admin_client: Client, org: Organization
) -> None:
    make_account(org, Role.PARENT, "pat@münchen.de")
    jo = make_account(org, Role.PARENT, "jo@example.com")
    values = {"role": "parent", "first_name": "Jo", "last_name": "Lee"}
    url = f"/o/northside/users/{jo.pk}/edit/"
    taken = admin_client.post(url, {**values, "email": "PAT@xn--mnchen-3ya.de"})
    assert "email" in taken.context["form"].errors
    assert admin_client.post(url, {**values, "email": "jo@xn--mnchen-3ya.de"}).status_code == 302
    jo.refresh_from_db()
    assert jo.email == "jo@münchen.de"


def test_a_link_in_punycode_finds_the_row_spelled_in_unicode(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    students = tmp_path / "students.csv"
    students.write_text(
        "First Name,Last Name,Email,Parent Email\nAnn,Lee,ann@example.com,pat@xn--mnchen-3ya.de\n",
        "utf-8",
    )
    parents = tmp_path / "parents.csv"
    parents.write_text("First Name,Last Name,Email\nPat,Lee,pat@münchen.de\n", "utf-8")
    status = main(["import", str(students), str(parents), "--org", org.slug, "--json"])
    result = json.loads(capsys.readouterr().out)
    assert status == 0 and result["issues"] == []
    assert result["summary"]["associations"]["student_parent"] == 1
