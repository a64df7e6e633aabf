"""Issue codes of PRODUCT.md, their severities and the one table of plain-language messages."""

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class IssueCode(StrEnum):
    MISSING_REQUIRED = "missing_required"
    INVALID_EMAIL = "invalid_email"
    INVALID_USERNAME = "invalid_username"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    ROLE_CONFLICT = "role_conflict"
    UNKNOWN_ASSOCIATION = "unknown_association"
    ASSOCIATION_ROLE_MISMATCH = "association_role_mismatch"
    STUDENT_NEEDS_PARENT = "student_needs_parent"
    VALUE_TOO_LONG = "value_too_long"
    UNMAPPED_REQUIRED_COLUMN = "unmapped_required_column"
    INVALID_PHONE = "invalid_phone"
    FORMULA_LIKE_VALUE = "formula_like_value"
    NAME_SPLIT_GUESS = "name_split_guess"
    UNKNOWN_COLUMN = "unknown_column"
    CHARACTERS_REMOVED = "characters_removed"
    DUPLICATE_COLUMN = "duplicate_column"
    EXTERNAL_ID_CONFLICT = "external_id_conflict"

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self in _WARNINGS else Severity.ERROR

    @property
    def description(self) -> str:
        """What the code means, in words an admin understands (docs, reports, tooltips)."""
        return DESCRIPTIONS[self]

    @property
    def heading(self) -> str:
        """A few plain words naming the problem: the title of a group of flags, with the
        code shown small beside it (the review's panel, the confirmation, the results)."""
        return HEADINGS.get(self.value) or self.value.replace("_", " ").capitalize()


_WARNINGS = frozenset(
    {
        IssueCode.INVALID_PHONE,
        IssueCode.FORMULA_LIKE_VALUE,
        IssueCode.NAME_SPLIT_GUESS,
        IssueCode.UNKNOWN_COLUMN,
        IssueCode.CHARACTERS_REMOVED,
    }
)

DESCRIPTIONS: dict[IssueCode, str] = {
    IssueCode.MISSING_REQUIRED: "A required value is empty.",
    IssueCode.INVALID_EMAIL: "This is not a valid email address.",
    IssueCode.INVALID_USERNAME: "This is not a valid username.",
    IssueCode.DUPLICATE_IN_FILE: "The same email or username appears more than once in this import.",
    IssueCode.ROLE_CONFLICT: "This email or username already belongs to a user with another role.",
    IssueCode.UNKNOWN_ASSOCIATION: "This link names no one in your organization or this import.",
    IssueCode.ASSOCIATION_ROLE_MISMATCH: "This person exists but has the wrong role for this column.",
    IssueCode.STUDENT_NEEDS_PARENT: "A student without an email needs a parent to set up their login.",
    IssueCode.VALUE_TOO_LONG: "This value is longer than the field allows.",
    IssueCode.UNMAPPED_REQUIRED_COLUMN: "No column of this tab is matched to a required field.",
    IssueCode.INVALID_PHONE: "This phone number cannot be read; it will be kept as typed.",
    IssueCode.FORMULA_LIKE_VALUE: "This value starts like a spreadsheet formula (=, +, - or @).",
    IssueCode.NAME_SPLIT_GUESS: "First and last name were split from a full name; please check.",
    IssueCode.UNKNOWN_COLUMN: "This column matches no field and will be ignored.",
    IssueCode.CHARACTERS_REMOVED: "Invisible control characters were removed from this value.",
    IssueCode.DUPLICATE_COLUMN: "Two columns of this tab are matched to the same field.",
    IssueCode.EXTERNAL_ID_CONFLICT: "The school system's id and the email or username of this row name two different users.",
}


# By the code's text, so a code added by another change has a place ready ("duplicate_column").
HEADINGS: dict[str, str] = {
    "missing_required": "Required value missing",
    "invalid_email": "Email not valid",
    "invalid_username": "Username not valid",
    "duplicate_in_file": "Email or username used twice",
    "role_conflict": "Already in Roster with another role",
    "unknown_association": "Linked person not found",
    "association_role_mismatch": "Linked person has another role",
    "student_needs_parent": "Student needs a parent",
    "value_too_long": "Value too long",
    "unmapped_required_column": "Required column missing",
    "duplicate_column": "Two columns for one field",
    "external_id_conflict": "Id and email name different users",
    "invalid_phone": "Phone number not readable",
    "formula_like_value": "Looks like a formula",
    "name_split_guess": "Name split guessed",
    "unknown_column": "Unknown column",
    "characters_removed": "Invisible characters removed",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One flag on a cell, a row or a tab, located as the admin sees it in their file."""

    code: IssueCode
    message: str
    file: str | None = None
    sheet: str = ""
    row: int | None = None  # as the admin sees it in the file; None for a tab-level issue
    column: str | None = None

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def is_error(self) -> bool:
        return self.code.severity is Severity.ERROR
