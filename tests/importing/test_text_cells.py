"""Text cells: invisible values are empty, control characters are removed and named, and a
full name fills rows whose own name cells are empty (issue 10.3, 10.4, 10.6, 10.8)."""

import json
import sys
import unicodedata
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]
from django.test import Client

from roster.accounts.models import Account
from roster.cli.main import main
from roster.importing.characters import CONTROL_NAMES, is_blank, remove_controls
from roster.importing.fields import FIELDS_BY_NAME
from roster.importing.models import ImportFlag, ImportJob
from roster.orgs.models import Organization
from tests.importing.engine import as_read, codes, students, validate

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def _of_category(category: str) -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == category]


def test_every_format_character_alone_is_an_empty_name() -> None:
    first_name = FIELDS_BY_NAME["first_name"]
    format_characters = _of_category("Cf")
    assert len(format_characters) >= 150
    for ch in [*format_characters, *_of_category("Zs"), "\u2028", "\u2029", "\u0301", "\u2800"]:
        assert first_name.check(ch + ch).value == "", f"U+{ord(ch):04X}"


def test_visible_text_with_invisible_characters_inside_is_kept_as_typed() -> None:
    for name in ("Ma\u200cryam", "\u200bJo", "👩\u200d🔬", "\ue000"):  # ZWNJ: Persian spelling
        assert FIELDS_BY_NAME["first_name"].check(name).value == name
    assert not is_blank("a\u0301") and is_blank("\u0301\u034f")


def test_unicode_spaces_in_names_become_one_ascii_space() -> None:
    check = FIELDS_BY_NAME["first_name"].check
    assert check("Mary\u00a0Ann\u3000\u2003 Jo\tLee\nX\u2028Y") == check("Mary Ann Jo Lee X Y")
    assert check("Mary\u00a0Ann").value == "Mary Ann"


def test_invisible_values_are_missing_where_required_and_empty_elsewhere() -> None:
    result = validate(
        students(
            "\u200b,Lee,ann@example.com,,,,",
            "Bo,\u2060\u200d,bo@example.com,,,,",
            "Cy,Ng,\u200b,\u2060,\u00a0,\u200b,",
            "Di,Ng,di@example.com,,\u3000,\ufeff,",
        )
    )
    assert codes(result.issues) == [
        ("missing_required", 2, "First Name"),
        ("missing_required", 3, "Last Name"),
        ("missing_required", 4, "Email"),
    ]
    [di] = result.people
    assert (di.phone, di.parent_emails) == ("", ())


def test_control_characters_are_removed_and_named() -> None:
    assert remove_controls("A\x07b\x1b[31mc\td\r\n\x85\x00") == (
        "Ab[31mc\td\r\n",
        "\x07\x1b\x85\x00",
    )
    # Rows as a reader hands them over (the text reader itself is another stage's test).
    rows = [
        ("A\x07n\x1bn", "Lee", "ann@example.com", "", "", "", ""),
        ("Bo", "Ng", "bo@exam\x00ple.com", "", "", "pat@ex\x07ample.com", ""),
        ("\x07", "Ng", "cy@example.com", "", "", "", ""),
    ]
    result = validate(as_read(rows))
    assert codes(result.issues) == [
        ("characters_removed", 2, "First Name"),
        ("characters_removed", 3, "Email"),
        ("characters_removed", 3, "Parent Email"),
        ("characters_removed", 4, "First Name"),
        ("missing_required", 4, "First Name"),
    ]
    assert result.issues[0].message == (
        "Invisible control characters were removed from this value. Removed 2 control"
        " characters (U+0007 BELL, U+001B ESCAPE) from First Name."
    )
    ann, bo = result.people
    assert (ann.first_name, bo.email, bo.parent_emails) == (
        "Ann",
        "bo@example.com",
        ("pat@example.com",),
    )


def test_control_character_names_are_unicode_aliases() -> None:
    assert len(CONTROL_NAMES) == 65
    for ch, name in CONTROL_NAMES.items():
        # U+0007's ISO 6429 name BELL is also the name of the emoji U+1F514.
        assert name == "BELL" or unicodedata.lookup(name) == ch


def _cli(capsys: pytest.CaptureFixture[str], org: Organization, path: Path) -> dict:  # type: ignore[type-arg]
    assert main(["import", str(path), "--org", org.slug, "--role", "student", "--json"]) == 0
    result: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return result


def test_invisible_names_through_the_command_line(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _cli(capsys, org, SAMPLES / "students-invisible-names.csv")
    assert [(i["code"], i["row"], i["column"]) for i in result["issues"]] == [
        ("missing_required", 2, "First Name"),
        ("missing_required", 3, "Last Name"),
        ("missing_required", 4, "First Name"),
        ("missing_required", 5, "First Name"),
        ("missing_required", 7, "Email"),
    ]
    [maryam] = Account.objects.in_org(org).people()
    assert maryam.first_name == "Ma\u200cryam"


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Students")
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            sheet.write_string(number, column, value)
    book.close()
    return path


CONTROLS = [
    ["First Name", "Last Name", "Email"],
    ["Jo\x07", "\x1b[31mLee", "jo@example.com"],
    ["Ann", "Ng", "ann@example.com"],
]


def test_control_characters_through_the_command_line(
    org: Organization, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _cli(capsys, org, _xlsx(tmp_path / "students.xlsx", CONTROLS))
    assert [(i["code"], i["row"], i["column"]) for i in result["issues"]] == [
        ("characters_removed", 2, "First Name"),
        ("characters_removed", 2, "Last Name"),
    ]
    assert "(U+001B ESCAPE) from Last Name" in result["issues"][1]["message"]
    jo = Account.objects.in_org(org).get(email="jo@example.com")
    assert (jo.first_name, jo.last_name) == ("Jo", "[31mLee")


def test_control_characters_in_the_review_grid(admin_client: Client, tmp_path: Path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _xlsx(tmp_path / "students.xlsx", CONTROLS).read_bytes()
    upload = SimpleUploadedFile("students.xlsx", data)
    response = admin_client.post("/o/northside/users/add-multiple/", {"student_file": upload})
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert set(ImportFlag.objects.filter(job=job).values_list("row", "code")) == {
        (2, "characters_removed")
    }
    page = admin_client.get(f"/o/northside/imports/{job.pk}/").content.decode()
    assert "Removed 1 control character (U+0007 BELL) from First Name." in page


def test_add_user_refuses_invisible_names_and_control_characters(
    admin_client: Client, org: Organization
) -> None:
    new = {"role": "parent", "email": "pat@example.com"}
    response = admin_client.post(
        "/o/northside/users/new/", {**new, "first_name": "\u200b", "last_name": "A\x07B"}
    )
    errors = response.context["form"].errors
    assert errors["first_name"] == ["A required value is empty."]
    assert "U+0007 BELL" in errors["last_name"][0]
    assert not Account.objects.in_org(org).people().exists()


def test_a_full_name_fills_a_row_without_first_and_last_names(
    org: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _cli(capsys, org, SAMPLES / "entra-bulk-create-students.csv")
    issues = [(i["code"], i["row"], i["column"]) for i in result["issues"]]
    name = "Name [displayName] Required"
    assert [i for i in issues if i[0] != "unknown_column"] == [
        ("name_split_guess", 4, name),
        ("missing_required", 5, "Last name [surname]"),  # Al: a first name only
    ]
    ada = Account.objects.in_org(org).get(email="ada.lovelace@contoso.com")
    assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")
    chris = Account.objects.in_org(org).get(email="chris.green@contoso.com")
    assert (chris.first_name, chris.last_name) == ("Chris", "Green")
