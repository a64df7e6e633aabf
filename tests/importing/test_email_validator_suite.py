"""python-email-validator's own syntax cases through Roster's email checks.

tests/data/email-validator/syntax-cases.json holds every address of the library's
tests/test_syntax.py (extract.py beside it; LICENSE: the Unlicense) with the library's
answer and the options it needs for that answer. Each goes through the import's
validation (a row's Email cell) and the single-user form. Roster gives the library's
answer, except where it differs on purpose (docs/import-rules.md, "Emails"):
"""

import json
from pathlib import Path
from typing import Any

import pytest
from email_validator import EmailNotValidError, validate_email

from roster.importing.validate import validate_import
from roster.orgs.models import Organization
from roster.web.forms import AccountForm
from tests.importing.engine import as_read

SUITE = Path(__file__).resolve().parents[1] / "data" / "email-validator" / "syntax-cases.json"
CASES: list[dict[str, Any]] = json.loads(SUITE.read_text("utf-8"))["cases"]

# Why Roster refuses what the library accepts with an option (none of them is given).
REFUSED_ON_PURPOSE = {
    "allow_smtputf8": "a part before the @ outside ASCII cannot be delivered (issue 11.5)",
    "allow_quoted_local": "a quoted part before the @ is valid but no school hands one out",
    "allow_display_name": "a display name is a name and an address in one cell",
    "allow_domain_literal": "an IP address after the @ is not a school's mail domain",
    "allow_empty_local": "an address needs a part before the @",
    "test_environment": "special-use domains (.test) are for the library's own tests",
}
TRIMMED = "whitespace and line breaks at either end of a cell are trimmed before any check"
# The deliberate differences, counted: a new one fails this test until it is documented.
EXPECTED_DIFFERENCES = {
    "allow_smtputf8": 18,
    "allow_quoted_local": 19,
    "allow_display_name": 2,
    "allow_domain_literal": 11,
    "allow_empty_local": 1,
    "test_environment": 4,
    "trimmed": 26,
}


def roster_expects(case: dict[str, Any]) -> tuple[str | None, str]:
    """The normalised address Roster stores (None: refused), and why it differs, if it does."""
    address, needs = case["address"], case.get("needs", [])
    if needs:
        return None, next(need for need in REFUSED_ON_PURPOSE if need in needs)
    if case["library"] == "valid":
        return case.get("normalized") or _library(address), ""
    trimmed = address.strip()
    if trimmed != address and _library(trimmed) is not None:
        return _library(trimmed), "trimmed"
    return None, ""


def _library(address: str, **options: Any) -> str | None:
    try:
        return validate_email(address, check_deliverability=False, **options).normalized
    except EmailNotValidError:
        return None


def test_the_extracted_cases_say_what_the_library_says() -> None:
    assert len(CASES) == 306
    for case in CASES:
        options = dict.fromkeys(case.get("needs", []), True)
        normalized = _library(case["address"], **options)
        assert (normalized is not None) == (case["library"] == "valid"), case
        if "normalized" in case:
            assert normalized == case["normalized"], case


def test_the_imports_check_gives_the_librarys_answer_or_a_documented_difference() -> None:
    differences: dict[str, list[str]] = {}
    for case in CASES:
        expected, why = roster_expects(case)
        row = ("A", "B", case["address"], "", "", "", "")
        result = validate_import([as_read([row])], region="US")
        stored = result.people[0].email if len(result.people) else None
        assert stored == expected, case
        if not stored:
            codes = {i.code.value for i in result.issues}
            assert codes & {"invalid_email", "value_too_long"}, case  # over 254 characters
        if why:
            differences.setdefault(why, []).append(case["address"])
    assert {why: len(found) for why, found in differences.items()} == EXPECTED_DIFFERENCES
    passed = len(CASES) - sum(EXPECTED_DIFFERENCES.values())
    assert passed == 225


@pytest.mark.django_db
def test_the_single_user_form_gives_the_same_answers(org: Organization) -> None:
    for case in CASES:
        expected, _ = roster_expects(case)
        data = {"role": "parent", "first_name": "A", "last_name": "B", "email": case["address"]}
        form = AccountForm(data, org=org)
        if expected is None:
            assert not form.is_valid() and "email" in form.errors, case
        else:
            assert form.is_valid(), (case, form.errors)
            assert form.cleaned_data["email"] == expected, case
