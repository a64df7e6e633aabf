"""Helpers for the engine's tests: tables from CSV text, validated and planned."""

from collections.abc import Sequence

from roster.accounts.models import Role
from roster.importing.directory import Directory
from roster.importing.headers import map_headers
from roster.importing.issues import Issue
from roster.importing.pipeline import Choices, Preview, preview_import
from roster.importing.plan import Plan, plan_import
from roster.importing.sources import Row, Table, read_text
from roster.importing.validate import TableInput, Validated, validate_import
from roster.orgs.models import Organization

STUDENT_HEADER = "First Name,Last Name,Email,Username,Phone,Parent Email,Instructor Email"
OTHER_HEADER = "First Name,Last Name,Email,Phone,Student"


def table(text: str, role: Role | None, *, file: str | None = None) -> TableInput:
    read = read_text(text.strip() + "\n")
    found = read.tables[0]
    return TableInput(found, map_headers(found.header, role), role, file, "")


def validate(*tables: TableInput, region: str = "US") -> Validated:
    return validate_import(tables, region=region)


def plan(org: Organization, *tables: TableInput) -> Plan:
    validated = validate(*tables)
    return plan_import(validated, Directory.load(org, validated.identity_keys()))


def preview(org: Organization, text: str, role: Role | None = None) -> Preview:
    return preview_import([read_text(text.strip() + "\n")], org=org, choices=Choices(role=role))


def codes(issues: "tuple[Issue, ...] | list[Issue]") -> list[tuple[str, int | None, str | None]]:
    return [(issue.code.value, issue.row, issue.column) for issue in issues]


def students(*rows: str) -> TableInput:
    return table("\n".join((STUDENT_HEADER, *rows)), Role.STUDENT)


def parents(*rows: str) -> TableInput:
    return table("\n".join((OTHER_HEADER, *rows)), Role.PARENT)


def instructors(*rows: str) -> TableInput:
    return table("\n".join((OTHER_HEADER, *rows)), Role.INSTRUCTOR)


def as_read(rows: Sequence[tuple[str, ...]]) -> TableInput:
    """Student rows as a reader hands them over, cells untouched (no text reader's checks)."""
    header = tuple(STUDENT_HEADER.split(","))
    table = Table("", header, 1, iter(Row(n, cells) for n, cells in enumerate(rows, 2)))
    return TableInput(table, map_headers(header, Role.STUDENT), Role.STUDENT, None, "")
