"""Which column holds what, for one table: the ColumnMap read once, before the rows.

Also the tab-level checks that need no row: required fields with no column
(`unmapped_required_column`) and columns that will be ignored (`unknown_column`).
"""

from dataclasses import dataclass

from roster.accounts.roles import Role
from roster.importing.fields import FIELDS_BY_NAME
from roster.importing.headers import FULL_NAME, ROLE, ColumnMap
from roster.importing.people import LINK_FIELDS

SCALAR_FIELDS = ("first_name", "last_name", "email", "username", "phone")


@dataclass(frozen=True, slots=True)
class Columns:
    """Column indexes per field; -1 when the table has no such column."""

    header: tuple[str, ...]
    scalars: dict[str, int]
    links: dict[str, tuple[int, ...]]
    full_name: int
    role: int
    unknown: tuple[int, ...]
    duplicated: dict[str, tuple[int, ...]]  # single-value field → its columns, when several

    @classmethod
    def of(cls, columns: ColumnMap) -> "Columns":
        def first(field: str) -> int:
            found = columns.columns_of(field)
            return found[0] if found else -1

        return cls(
            header=columns.header,
            scalars={field: first(field) for field in SCALAR_FIELDS},
            links={field: tuple(columns.columns_of(field)) for field in LINK_FIELDS},
            full_name=first(FULL_NAME),
            role=first(ROLE),
            unknown=tuple(columns.unknown_columns),
            duplicated={
                field: tuple(found)
                for field in (*SCALAR_FIELDS, FULL_NAME, ROLE)
                if len(found := columns.columns_of(field)) > 1
            },
        )

    def has(self, field: str) -> bool:
        return self.scalars[field] >= 0

    def name_columns_missing(self) -> list[str]:
        """First and last name need their own columns, or a full-name column to split."""
        if self.full_name >= 0:
            return []
        return [field for field in ("first_name", "last_name") if not self.has(field)]

    def missing_required(self, role: Role | None) -> list[str]:
        """Labels of the required fields this table has no column for."""
        missing = self.name_columns_missing()
        if role is None or role is Role.STUDENT:
            if not self.has("email") and not self.has("username"):
                missing.append("email" if role is None else "email_or_username")
        elif not self.has("email"):
            missing.append("email")
        return missing

    def duplicate_detail(self, field: str) -> str:
        """duplicate_column's detail: which columns, and how to settle it."""
        found = self.duplicated[field]
        names = ", ".join(f"“{self.label(index)}” (column {index + 1})" for index in found)
        name = FIELDS_BY_NAME[field].label if field in FIELDS_BY_NAME else field.replace("_", " ")
        return (
            f"{names} are {'both' if len(found) == 2 else 'all'} matched to {name};"
            " set all but one to “Ignore this column”."
            " Until then no row of this tab is imported."
        )

    def label(self, column: int) -> str:
        return self.header[column] if 0 <= column < len(self.header) else ""

    def field_label(self, field: str) -> str:
        """The header text of a field's column, or the catalogue's label when it has none."""
        index = self.scalars.get(field, -1)
        if index < 0 and field in self.links and self.links[field]:
            index = self.links[field][0]
        if index < 0 and field in ("first_name", "last_name"):
            index = self.full_name
        if index >= 0:
            return self.label(index)
        return FIELDS_BY_NAME[field].label if field in FIELDS_BY_NAME else "Email or Username"

    def source_columns(self) -> dict[str, str]:
        names = [*SCALAR_FIELDS, *LINK_FIELDS]
        return {field: self.field_label(field) for field in names}


def applies(field: str, role: Role) -> bool:
    return (field, role) in _APPLIES


# (field, role) for each field a role has: checked for every cell of every row.
_APPLIES = frozenset(
    (field.name, role) for field in FIELDS_BY_NAME.values() for role in field.roles
)
