"""The Big List of Naughty Strings as names, emails and usernames, through every door.

Each of its 515 strings goes into one import per field kind (a CSV written here, through
`roster import --json`), comes back out through `roster users --json`, and is rendered on
User Management and the review grid. Each is stored as typed after the documented
normalisation (docs/import-rules.md, "Text cells" and "Emails") or its row is flagged;
nothing crashes, and every page escapes it.
"""

import csv
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from email_validator import EmailNotValidError, validate_email

from roster.accounts.models import Account, Role
from roster.cli.main import main
from roster.importing.models import ImportJob
from roster.orgs.models import Organization
from tests.conftest import make_account

STRINGS: list[str] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "blns" / "blns.json").read_text("utf-8")
)
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
USERNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
BLANK_LOOKING = "\u115f\u1160\u3164\uffa0\u2800"
TAG = re.compile(r"<[A-Za-z/!?]")


def _as_read(typed: str) -> str:
    """The cell as the readers hand it over (NFC), without its control characters."""
    return CONTROLS.sub("", unicodedata.normalize("NFC", typed))


def _blank(text: str) -> bool:
    return not any(
        unicodedata.category(ch)[0] in "LNPS" or unicodedata.category(ch) == "Co"
        for ch in text
        if ch not in BLANK_LOOKING
    )


def expected_name(typed: str) -> str:
    value = " ".join(_as_read(typed).split())
    return "" if _blank(value) else value


def expected_email(typed: str) -> str:
    value = _as_read(typed).strip()
    if _blank(value):
        return ""
    try:
        return validate_email(value, check_deliverability=False, allow_smtputf8=False).normalized
    except EmailNotValidError:
        return "invalid"


def expected_username(typed: str) -> str:
    value = _as_read(typed).strip()
    if _blank(value):
        return ""
    return value if 3 <= len(value) <= 64 and USERNAME.fullmatch(value) else "invalid"


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *rows])
    return path


def _import(capsys: pytest.CaptureFixture[str], org: Organization, path: Path, role: str) -> Any:
    status = main(["import", str(path), "--org", org.slug, "--role", role, "--json"])
    result = json.loads(capsys.readouterr().out)
    assert status == 0, result
    by_row: dict[int, set[str]] = {}
    for issue in result["issues"]:
        by_row.setdefault(issue["row"], set()).add(issue["code"])
    return by_row


def _errors(codes: set[str]) -> bool:
    warnings = {"formula_like_value", "characters_removed", "invalid_phone", "name_split_guess"}
    return bool(codes - warnings)


def _users(capsys: pytest.CaptureFixture[str], org: Organization) -> list[dict[str, Any]]:
    assert main(["users", "--org", org.slug, "--json"]) == 0
    users: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    stored = {a.email or a.username: a for a in Account.objects.in_org(org)}
    assert len(users) == len(stored)
    for user in users:  # what the command line prints is what is stored
        account = stored[user["email"] or user["username"]]
        assert (user["first_name"], user["last_name"]) == (account.first_name, account.last_name)
        assert (user["email"] or "", user["username"] or "") == (account.email, account.username)
    return [user for user in users if user["role"] in ("student", "instructor", "parent")]


def _pages_escape(client: Client, url: str, values: list[str], settings: Any) -> None:
    page = client.get(url).content.decode()
    for value in values:
        if value.strip():
            assert escape(value) in page, value
        if TAG.search(value):
            assert value not in page, value


def _grid(client: Client, path: Path, role: str) -> str:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post("/o/northside/users/add-multiple/", {f"{role}_file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    return client.get(f"/o/northside/imports/{job.pk}/").content.decode()


@pytest.fixture
def one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("roster.web.views.users.PAGE_SIZE", 2000)
    monkeypatch.setattr("roster.web.grid.PAGE_SIZE", 2000)


def _check_rows(
    by_row: dict[int, set[str]],
    expected: Callable[[str], str],
    stored: Callable[[int], str | None],
) -> None:
    for number, typed in enumerate(STRINGS, 2):
        codes, want, got = by_row.get(number, set()), expected(typed), stored(number)
        if CONTROLS.search(typed) and want:
            assert "characters_removed" in codes, typed
        if _errors(codes):
            assert got is None or want == "invalid", (typed, codes)
        elif want in ("", "invalid"):
            assert got in (None, ""), (typed, codes)
        else:
            assert got == want, (typed, codes)


def test_naughty_strings_as_first_and_last_names(
    org: Organization,
    admin_client: Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    one_page: None,
    settings: Any,
) -> None:
    rows = [[typed, typed, f"n{number}@example.com"] for number, typed in enumerate(STRINGS, 2)]
    path = _csv(tmp_path / "students.csv", ["First Name", "Last Name", "Email"], rows)
    by_row = _import(capsys, org, path, "student")
    accounts = {a.email: a for a in Account.objects.in_org(org).people()}

    def stored(number: int) -> str | None:
        account = accounts.get(f"n{number}@example.com")
        if account is None:
            return None
        assert account.first_name == account.last_name
        return account.first_name

    _check_rows(by_row, expected_name, stored)
    for number, typed in enumerate(STRINGS, 2):
        if not expected_name(typed) or len(expected_name(typed)) > 100:
            assert stored(number) is None
    users = _users(capsys, org)
    assert len(users) > 400
    names = [user["first_name"] for user in users]
    _pages_escape(admin_client, "/o/northside/users/", names, settings)
    grid = _grid(admin_client, path, "student")
    for typed in STRINGS:
        if typed.strip() and not CONTROLS.search(typed):
            assert escape(unicodedata.normalize("NFC", typed)) in grid, typed
        if TAG.search(typed):
            assert typed not in grid, typed


def test_naughty_strings_as_emails(
    org: Organization,
    admin_client: Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    one_page: None,
    settings: Any,
) -> None:
    rows = [["Pat", "Lee", typed] for typed in STRINGS]
    path = _csv(tmp_path / "parents.csv", ["First Name", "Last Name", "Email"], rows)
    by_row = _import(capsys, org, path, "parent")
    emails = set(Account.objects.in_org(org).people().values_list("email", flat=True))

    def stored(number: int) -> str | None:
        want = expected_email(STRINGS[number - 2])
        return want if want and want in emails else None

    _check_rows(by_row, expected_email, stored)
    users = _users(capsys, org)
    _pages_escape(admin_client, "/o/northside/users/", [u["email"] for u in users], settings)
    grid = _grid(admin_client, path, "parent")
    for typed in STRINGS:
        if TAG.search(typed):
            assert typed not in grid, typed


def test_naughty_strings_as_usernames(
    org: Organization,
    admin_client: Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    one_page: None,
    settings: Any,
) -> None:
    make_account(org, Role.PARENT, "mum@example.com")
    header = ["First Name", "Last Name", "Username", "Parent Email"]
    rows = [["Sam", "Ito", typed, "mum@example.com"] for typed in STRINGS]
    path = _csv(tmp_path / "students.csv", header, rows)
    by_row = _import(capsys, org, path, "student")
    usernames = set(Account.objects.in_org(org).people().values_list("username", flat=True))

    def stored(number: int) -> str | None:
        want = expected_username(STRINGS[number - 2])
        return want if want and want in usernames else None

    _check_rows(by_row, expected_username, stored)
    users = _users(capsys, org)
    assert len(users) > 40
    _pages_escape(
        admin_client, "/o/northside/users/", [u["username"] or "" for u in users], settings
    )
    grid = _grid(admin_client, path, "student")
    for typed in STRINGS:
        if TAG.search(typed):
            assert typed not in grid, typed
