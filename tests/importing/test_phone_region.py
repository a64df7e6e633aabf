"""Phones without a country code are read with the organization's default region."""

import pytest

from roster.accounts.models import Account, Role
from roster.importing.apply import apply_plan
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
