"""The field catalogue: every field a person can have, per role — the single source of truth.

It drives header mapping, validation, the template, the issues report, the docs and the
single-user form, so a rule is written once here and nowhere else.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from roster.accounts.roles import Role
from roster.importing.characters import is_blank, remove_controls
from roster.importing.issues import IssueCode


class Kind(StrEnum):
    NAME = "name"
    EMAIL = "email"
    USERNAME = "username"
    PHONE = "phone"
    LINKS = "links"  # one or several emails (or usernames, for students) of associated people


class Checked(NamedTuple):
    """A value after its field's rules: what to store, and what is wrong with it, if anything.

    A tuple, not a frozen dataclass: a few are made for every row (0.4 µs each as a
    frozen dataclass, a third of that as a tuple).
    """

    value: str
    issue: IssueCode | None = None
    detail: str = ""
    removed: str = ""  # control characters taken out of the cell (characters_removed)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str  # the template's header, and how the review grid names the column
    kind: Kind
    roles: frozenset[Role]
    required_for: frozenset[Role]
    max_length: int
    help: str

    def check(self, raw: str, *, region: str = "US") -> Checked:
        """Normalise one cell and report the first rule it breaks (LINKS: see link_values)."""
        value, removed = prepare(raw, self.kind)
        checked = self._rules(value, region) if value else Checked("")
        return checked._replace(removed=removed) if removed else checked

    def _rules(self, value: str, region: str) -> Checked:
        if self.kind is Kind.EMAIL:
            return check_email(value, self.max_length)
        if self.kind is Kind.USERNAME:
            return check_username(value, self.max_length)
        if len(value) > self.max_length:
            return Checked(value, IssueCode.VALUE_TOO_LONG, f"at most {self.max_length} characters")
        if self.kind is Kind.PHONE:
            return check_phone(value, region)
        return Checked(value)


def prepare(raw: str, kind: Kind) -> tuple[str, str]:
    """A cell's text before its field's rules, and the control characters taken out of it.

    Whitespace is trimmed, and in names every run of it is one space; a value with nothing
    visible left is empty (characters.py).
    """
    text, removed = remove_controls(raw)
    value = " ".join(text.split()) if kind is Kind.NAME else text.strip()
    return ("" if is_blank(value) else value), removed


USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
USERNAME_MIN_LENGTH = 3
LINK_SEPARATORS = re.compile(r"[;,\s]+")


def check_email(value: str, max_length: int = 254) -> Checked:
    """The address in its one canonical form (email-validator's `normalized`: the domain in
    Unicode, lower case, NFC), or why it is refused. Import, forms and `org create` all
    ask here, so a Punycode and a Unicode spelling of one mailbox are one identity."""
    if len(value) > max_length:
        return Checked(value, IssueCode.VALUE_TOO_LONG, f"at most {max_length} characters")
    try:
        # No DNS look-ups: an import of 100,000 rows must not wait on the network.
        # allow_smtputf8=False: a part before the @ outside ASCII cannot be delivered by
        # Roster's mail (docs/import-rules.md, "Emails").
        result = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        return Checked(value, IssueCode.INVALID_EMAIL, _email_problem(value, str(error)))
    return Checked(result.normalized)


def _email_problem(value: str, reason: str) -> str:
    local = value.rpartition("@")[0]
    if local.isascii():
        return reason
    try:  # Would it be valid with the characters Roster cannot send to?
        validate_email(value, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return reason
    others = ", ".join(dict.fromkeys(ch for ch in local if not ch.isascii()))
    return (
        "Roster can only send email to addresses whose part before the @ uses plain letters"
        f" (A–Z), digits and . _ % + -; “{local}@…” has other characters ({others})."
    )


def email_key(value: str) -> str:
    """The identity key of an email as someone typed it (a login, a link in a form): its
    canonical form, compared like identity_key; as typed when it is not a valid address."""
    return identity_key(check_email(value.strip()).value)


def check_username(value: str, max_length: int = 64) -> Checked:
    if len(value) > max_length:
        return Checked(value, IssueCode.VALUE_TOO_LONG, f"at most {max_length} characters")
    if len(value) < USERNAME_MIN_LENGTH or not USERNAME_PATTERN.match(value):
        return Checked(
            value,
            IssueCode.INVALID_USERNAME,
            f"use {USERNAME_MIN_LENGTH} to {max_length} letters, digits, dots, dashes or"
            " underscores, starting and ending with a letter or digit",
        )
    return Checked(value)


def check_phone(value: str, region: str) -> Checked:
    number = _plain_national(value, region)
    if number is None:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return Checked(value, IssueCode.INVALID_PHONE)
    # Valid, not merely possible: a national number is possible in most regions, so a US
    # number in a GB organization would be stored as a British number that does not exist.
    if not phonenumbers.is_valid_number(number):
        return Checked(value, IssueCode.INVALID_PHONE)
    return Checked(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


# A ten-digit national number as the North American plan writes it: (415) 555-0100,
# 415-555-0100, 415.555.0100, 4155550100. In a region of country code 1 that strips only
# a leading "1" before parsing (US, CA, DO, JM, PR), phonenumbers.parse reads it as those
# ten digits: its area code cannot start with 1 or 0, so nothing is stripped and no
# international prefix matches. The parse (half of a phone's cost) is skipped; validity is
# still the library's (tests/importing/test_phone_region.py compares both on generated
# numbers).
_PLAIN_NATIONAL = re.compile(r"\(?([2-9][0-9]{2})\)?[ .-]?([0-9]{3})[ .-]?([0-9]{4})", re.ASCII)
_PLAIN_REGIONS = frozenset(
    region
    for region in phonenumbers.region_codes_for_country_code(1)
    if (metadata := phonenumbers.PhoneMetadata.metadata_for_region(region)) is not None
    and metadata.national_prefix_for_parsing in (None, "1")
    and metadata.national_prefix_transform_rule is None
)


def _plain_national(value: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number phonenumbers.parse would read, for a plain national one; else None."""
    if region not in _PLAIN_REGIONS or (match := _PLAIN_NATIONAL.fullmatch(value)) is None:
        return None
    return phonenumbers.PhoneNumber(country_code=1, national_number=int("".join(match.groups())))


def link_values(raw: str) -> list[str]:
    """The emails or usernames in one association cell (separated by ; , spaces or lines)."""
    return [part for part in LINK_SEPARATORS.split(raw.strip()) if not is_blank(part)]


def identity_key(value: str) -> str:
    """How emails and usernames are compared: trimmed and case-insensitively."""
    return value.strip().lower()


_ALL = frozenset(Role(r) for r in (Role.STUDENT, Role.INSTRUCTOR, Role.PARENT))
_STUDENT = frozenset({Role.STUDENT})
_NOT_STUDENT = frozenset({Role.INSTRUCTOR, Role.PARENT})

FIELDS: tuple[Field, ...] = (
    Field("first_name", "First Name", Kind.NAME, _ALL, _ALL, 100, "Required."),
    Field("last_name", "Last Name", Kind.NAME, _ALL, _ALL, 100, "Required."),
    Field(
        "email",
        "Email",
        Kind.EMAIL,
        _ALL,
        _NOT_STUDENT,
        254,
        "Required for instructors and parents; a student needs an email or a username.",
    ),
    Field(
        "username",
        "Username",
        Kind.USERNAME,
        _STUDENT,
        frozenset(),
        64,
        "Only for students without an email; they then need a parent.",
    ),
    Field("phone", "Phone", Kind.PHONE, _ALL, frozenset(), 32, "Optional. Any common format."),
    Field(
        "parent_emails",
        "Parent Email",
        Kind.LINKS,
        _STUDENT,
        frozenset(),
        254,
        "One or several parents' emails, separated by ; or a new line.",
    ),
    Field(
        "instructor_emails",
        "Instructor Email",
        Kind.LINKS,
        _STUDENT,
        frozenset(),
        254,
        "One or several instructors' emails, separated by ; or a new line.",
    ),
    Field(
        "students",
        "Student",
        Kind.LINKS,
        _NOT_STUDENT,
        frozenset(),
        254,
        "One or several students' emails or usernames, separated by ; or a new line.",
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}


def fields_for(role: Role) -> tuple[Field, ...]:
    return tuple(field for field in FIELDS if role in field.roles)
