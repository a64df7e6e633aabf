"""Header words → the field they name, for one role: the synonym table of header mapping.

A header is read as up to three parts, in any order: whose value it is (a person word:
"Parent", "Teacher", "Student"…), how it is qualified (a modifier: "Work", "Recovery",
"Middle"…), and what it is (an attribute phrase: "Email Address", "Given Name",
"Mobile"…). Every word must be understood; one unknown word and the header maps to
nothing, so "Last Login" is never a last name and "Student Number" never a student.
"""

from dataclasses import dataclass
from enum import StrEnum

from roster.accounts.roles import Role
from roster.importing.fields import FIELDS_BY_NAME, fields_for

FULL_NAME = "full_name"  # "Full Name" or "Last, First": split into first and last name
ROLE = "role"  # a per-row role column (OneRoster's `role`) routing rows to their roles

EXACT = 3  # the header is the catalogue's label or field name ("Parent Email", "first_name")
PLAIN = 2  # a synonym with no qualifier ("Given Name", "E-mail Address", "Mobile")
LOOSE = 1  # a qualified or weaker synonym ("Work Phone", "Preferred First Name", "sms")
FALLBACK = 0  # a sign-in name taken for the email only when nothing better is there


class Concept(StrEnum):
    EMAIL = "email"
    FIRST = "first"
    LAST = "last"
    NAME = "name"
    PHONE = "phone"
    USERNAME = "username"
    ROLE = "role"
    PERSON = "person"  # a person word alone: "Teacher", "Parent", "Student"


@dataclass(frozen=True, slots=True)
class Claim:
    """What a column says it holds: a field (or pseudo-field) and how sure that is."""

    field: str
    rank: int


def _phrases(
    concept: Concept, rank: int, *spellings: str
) -> dict[frozenset[str], tuple[Concept, int]]:
    return {frozenset(s.split()): (concept, rank) for s in spellings}


# What a header is, once person words and modifiers are set aside. Sets, not sequences:
# "Name First" and "First Name" are the same header.
PHRASES: dict[frozenset[str], tuple[Concept, int]] = {
    **_phrases(Concept.EMAIL, PLAIN, "email", "mail", "email address", "email addr", "email id"),
    # A userPrincipalName is an email address by definition (Entra, Microsoft 365).
    **_phrases(Concept.EMAIL, PLAIN, "user principal name", "upn"),
    **_phrases(Concept.EMAIL, PLAIN, "login email", "sign in email", "login email address"),
    **_phrases(Concept.FIRST, PLAIN, "first", "first name", "given", "given name", "forename"),
    **_phrases(Concept.FIRST, PLAIN, "fname", "christian name"),
    **_phrases(Concept.LAST, PLAIN, "last", "last name", "surname", "family name", "lname"),
    **_phrases(Concept.NAME, PLAIN, "name", "full name", "full", "complete name"),
    # PowerSchool's LastFirst and a literal "Last, First" header hold "Lovelace, Ada".
    **_phrases(Concept.NAME, PLAIN, "last first", "first last name"),
    **_phrases(Concept.NAME, LOOSE, "display name", "sortable name", "short name"),
    **_phrases(Concept.PHONE, PLAIN, "phone", "phone number", "telephone", "telephone number"),
    **_phrases(Concept.PHONE, PLAIN, "mobile", "mobile number", "mobile phone", "cell"),
    **_phrases(Concept.PHONE, PLAIN, "cell phone", "cell number", "tel", "tel number", "cellular"),
    **_phrases(Concept.PHONE, PLAIN, "mobile phone number", "cell phone number"),
    **_phrases(Concept.PHONE, LOOSE, "sms"),
    **_phrases(Concept.USERNAME, PLAIN, "user name", "login", "login id", "login name"),
    **_phrases(Concept.USERNAME, PLAIN, "sign in", "sign in name", "account name"),
    # PowerSchool's Student_Web_ID and Network_ID, Active Directory's sAMAccountName.
    **_phrases(Concept.USERNAME, PLAIN, "web id", "network id", "sam account name"),
    **_phrases(Concept.ROLE, PLAIN, "role", "user role", "user type", "account type"),
    **_phrases(Concept.ROLE, PLAIN, "person type", "primary role"),
}

PERSON_WORDS: dict[str, Role] = {
    **dict.fromkeys(("student", "pupil", "learner", "child", "kid", "son"), Role.STUDENT),
    **dict.fromkeys(("daughter",), Role.STUDENT),
    **dict.fromkeys(("teacher", "instructor", "tutor", "educator", "faculty"), Role.INSTRUCTOR),
    **dict.fromkeys(("coach",), Role.INSTRUCTOR),
    **dict.fromkeys(("parent", "guardian", "mother", "father", "mom", "dad"), Role.PARENT),
    # Clever's and many SIS' "Contact_*" columns on a student row are the guardian's.
    **dict.fromkeys(("caregiver", "carer", "relative", "contact"), Role.PARENT),
}
# Alone, these name the person a link points to ("Teacher", "Parents", "Children");
# "Mother" or "Contact" alone is more often a name than an email, so they are not here.
LINK_NOUNS = frozenset({"student", "child", "teacher", "instructor", "tutor", "parent", "guardian"})


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list, written as prose to keep tables short."""
    return frozenset(text.split())


# A value that is someone else's, or not the main one: never the person's own email, name
# or phone. "Recovery Email", "Manager Email", "Middle Name", "New Primary Email".
BLOCKING = _words(
    """
    recovery secondary alternate alternative alt backup other additional extra new old
    previous former manager supervisor advisor counselor sponsor emergency middle nick
    nickname phonetic maiden initial initials agent spouse partner sibling fax cc
    forwarding reference doctor declared
    """
)
# Still the person's own value, but a weaker claim than the unqualified one.
SOFT = _words(
    """
    work home office business school personal private preferred daytime evening legal
    official homeroom
    """
)
NEUTRAL = frozenset({"primary", "main", "own", "current", "assigned"})
FILLER = frozenset({"the", "of", "your", "my", "please", "enter", "what", "is", "a", "an"})
FILLER |= {"required", "optional", "if", "any", "this", "his", "her", "their"}
# Abbreviations, read as the word they stand for ("Mobile No.", "Tel. Nr", "Mob").
ALIASES = {"no": "number", "num": "number", "nr": "number", "nbr": "number", "mob": "mobile"}

LINK_FIELDS: dict[tuple[Role | None, Role], str] = {
    (Role.STUDENT, Role.PARENT): "parent_emails",
    (Role.STUDENT, Role.INSTRUCTOR): "instructor_emails",
    (Role.PARENT, Role.STUDENT): "students",
    (Role.INSTRUCTOR, Role.STUDENT): "students",
    (None, Role.PARENT): "parent_emails",
    (None, Role.INSTRUCTOR): "instructor_emails",
    (None, Role.STUDENT): "students",
}
_OWN_FIELDS = {
    Concept.EMAIL: "email",
    Concept.FIRST: "first_name",
    Concept.LAST: "last_name",
    Concept.PHONE: "phone",
    Concept.USERNAME: "username",
    Concept.NAME: FULL_NAME,
    Concept.ROLE: ROLE,
}


def claim(words: tuple[str, ...], number: int | None, role: Role | None) -> Claim | None:
    """The field these header words name on a tab of `role` (any role when None)."""
    words = tuple(ALIASES.get(word, word) for word in words)
    if any(word in BLOCKING for word in words):
        return None
    people = {PERSON_WORDS[word] for word in words if word in PERSON_WORDS}
    rest = frozenset(words) - frozenset(PERSON_WORDS) - SOFT - NEUTRAL - FILLER
    concept, rank = PHRASES.get(rest, (None, 0)) if rest else (Concept.PERSON, LOOSE)
    if concept is None:
        return None
    others = people - {role} if role is not None else people
    if others:
        return _link_claim(others, concept, rank, words, role)
    if concept is Concept.NAME and "preferred" in words:
        return None  # a preferred name is what someone goes by, not first + last
    # "Work Phone", and "Email 2" next to "Email 1", are weaker than the plain column.
    if any(word in SOFT for word in words) or (number or 0) > 1:
        rank = min(rank, LOOSE)
    return _own_claim(concept, rank, number, role)


def _link_claim(
    others: set[Role], concept: Concept, rank: int, words: tuple[str, ...], role: Role | None
) -> Claim | None:
    # "Student Parent Email" names one other person; "Parent Teacher Email" is unclear.
    if len(others) != 1:
        return None
    (other,) = others
    field = LINK_FIELDS.get((role, other))
    if field is None:
        return None
    if concept is Concept.PERSON and any(word in LINK_NOUNS for word in words):
        return Claim(field, LOOSE)
    # Only students have usernames, so only a student link may hold one.
    if concept is Concept.EMAIL or (concept is Concept.USERNAME and other is Role.STUDENT):
        return Claim(field, rank)
    return None


def _own_claim(concept: Concept, rank: int, number: int | None, role: Role | None) -> Claim | None:
    if concept is Concept.ROLE and number is not None:
        return None  # Moodle's role1, role2… are course enrolment roles, not the person's
    field = _OWN_FIELDS.get(concept)
    if field is None:
        return None
    if field in FIELDS_BY_NAME and not _belongs(field, role):
        # Instructors and parents sign in with their email: their "User Name" column
        # (Microsoft 365, Clever) is the email when the table has no better email column.
        return Claim("email", FALLBACK) if concept is Concept.USERNAME else None
    return Claim(field, rank)


def _belongs(field: str, role: Role | None) -> bool:
    return role is None or any(f.name == field for f in fields_for(role))
