"""Phones without a country code are read with the organization's default region."""

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roster.accounts.models import Account, Role
from roster.importing import fields
from roster.importing.apply import apply_plan
from roster.importing.fields import Checked
from roster.importing.issues import IssueCode
from roster.orgs.models import Organization
from tests.importing.engine import OTHER_HEADER, codes, preview, validate

UK_LANDLINE = "020 7946 0958"
US_NUMBER = "(415) 555-0100"


def _phone(region: str, phone: str) -> tuple[str, list[tuple[str, int | None, str | None]]]:
    from tests.importing.engine import students

    result = validate(students(f"Ann,Lee,ann@example.com,,{phone},,"), region=region)
    return result.people[0].phone, codes(result.issues)


@pytest.mark.parametrize(
    ("region", "phone", "stored", "flagged"),
    [
        ("GB", UK_LANDLINE, "+442079460958", []),
        ("US", UK_LANDLINE, UK_LANDLINE, [("invalid_phone", 2, "Phone")]),
        ("US", US_NUMBER, "+14155550100", []),
        # Read as a British number, it would be +44 415…, which does not exist: flagged,
        # not stored as someone else's number.
        ("GB", US_NUMBER, US_NUMBER, [("invalid_phone", 2, "Phone")]),
        # A country code always wins over the region.
        ("GB", "+1 415 555 0100", "+14155550100", []),
        ("US", "+44 20 7946 0958", "+442079460958", []),
        # Seven digits are a US local number without its area code: not enough to call.
        ("US", "555-0100", "555-0100", [("invalid_phone", 2, "Phone")]),
    ],
)
def test_the_region_decides_how_a_national_number_is_read(
    region: str, phone: str, stored: str, flagged: list[tuple[str, int, str]]
) -> None:
    assert _phone(region, phone) == (stored, flagged)


def test_a_british_organization_stores_british_numbers(org: Organization) -> None:
    org.default_region = "GB"
    org.save(update_fields=["default_region"])
    text = f"{OTHER_HEADER}\nPat,Lee,pat@example.com,{UK_LANDLINE},\nMax,Lee,max@example.com,{US_NUMBER},"
    previewed = preview(org, text, Role.PARENT)
    assert codes(previewed.plan.issues) == [("invalid_phone", 3, "Phone")]
    apply_plan(previewed.plan, org=org, invite=False)
    phones = dict(Account.objects.in_org(org).people().values_list("email", "phone"))
    assert phones == {"pat@example.com": "+442079460958", "max@example.com": US_NUMBER}


def _library(value: str, region: str) -> Checked:
    """check_phone as it was: every number through phonenumbers.parse."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return Checked(value, IssueCode.INVALID_PHONE)
    if not phonenumbers.is_valid_number(number):
        return Checked(value, IssueCode.INVALID_PHONE)
    return Checked(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


REGIONS = [*phonenumbers.region_codes_for_country_code(1), "GB", "FR", "IN", "AU", "BR"]
PLAIN = fields._PLAIN_NATIONAL.pattern


@settings(max_examples=3000, deadline=None)
@given(
    value=st.one_of(
        st.from_regex(PLAIN, fullmatch=True),
        st.from_regex(
            r"(\+?1[ .-]?)?\(?[0-9]{3}\)?[ .-]{0,2}[0-9]{3}[ .-]?[0-9]{3,5}", fullmatch=True
        ),
        st.text(alphabet="0123456789()-. +x", max_size=18),
    ),
    region=st.sampled_from(REGIONS),
)
def test_a_plain_national_number_is_read_as_the_library_reads_it(value: str, region: str) -> None:
    assert fields.check_phone(value, region) == _library(value, region)


def test_the_plain_way_is_taken_for_the_usual_north_american_forms() -> None:
    assert {"US", "CA"} <= fields._PLAIN_REGIONS
    for value in ("(415) 555-0100", "415-555-0100", "415.555.0100", "4155550100"):
        assert fields._plain_national(value, "US") is not None
        assert fields.check_phone(value, "US") == _library(value, "US")
    assert fields._plain_national("(415) 555-0100", "GB") is None
