"""Header text → field: which field each column of a table holds, for one role.

CONTRACT (used by validate/plan): `map_headers` returns a ColumnMap; the admin's
overrides are applied with `ColumnMap.with_choice`. A column maps to a field name of
fields.FIELDS, or to one of the pseudo-fields below, or to None (ignored / unknown).
Several columns may map to one LINKS field ("Parent 1 Email", "Parent 2 Email"): their
values are merged.

The matching below is a first version (exact labels only); it is to be replaced by the
tolerant synonym matching of issue 4 without changing this interface.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from roster.accounts.models import Role
from roster.importing.fields import FIELDS, fields_for

FULL_NAME = "full_name"  # "Full Name" or "Last, First": split into first and last name
ROLE = "role"  # a per-row role column (OneRoster's `role`) routing rows to their roles
PSEUDO_FIELDS = (FULL_NAME, ROLE)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    header: tuple[str, ...]
    fields: tuple[str | None, ...]  # per column: field name, pseudo-field, or None
    # Columns the admin explicitly chose to ignore (not reported as unknown_column).
    ignored: frozenset[int] = frozenset()

    def with_choice(self, column: int, field: str | None) -> "ColumnMap":
        """The admin's override: map `column` to `field`, or ignore it when field is None."""
        fields = list(self.fields)
        fields[column] = field
        ignored = self.ignored - {column} if field else self.ignored | {column}
        return replace(self, fields=tuple(fields), ignored=ignored)

    def columns_of(self, field: str) -> list[int]:
        return [index for index, name in enumerate(self.fields) if name == field]

    @property
    def unknown_columns(self) -> list[int]:
        return [
            index
            for index, name in enumerate(self.fields)
            if name is None and index not in self.ignored and self.header[index].strip()
        ]


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def map_headers(header: Sequence[str], role: Role | None) -> ColumnMap:
    """Map each header cell to a field of `role` (or of any role when role is None)."""
    candidates = fields_for(role) if role is not None else FIELDS
    by_key = {_key(field.label): field.name for field in candidates}
    by_key.update({_key(field.name): field.name for field in candidates})
    by_key.update({"fullname": FULL_NAME, "name": FULL_NAME, "role": ROLE})
    return ColumnMap(header=tuple(header), fields=tuple(by_key.get(_key(h)) for h in header))


def guess_role(table_name: str, file_name: str | None, header: Sequence[str]) -> Role | None:
    """The role of a table from its sheet name, then file name, then headers; None if unsure."""
    for text in (table_name, file_name or ""):
        key = _key(text)
        for role, words in _ROLE_WORDS.items():
            if any(word in key for word in words):
                return role
    return None


def role_from_cell(text: str) -> Role | None:
    """A per-row role value: student; teacher → instructor; parent/guardian → parent."""
    key = _key(text)
    for role, words in _ROLE_WORDS.items():
        if key in words or key.rstrip("s") in words:
            return role
    return None


_ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.STUDENT: ("student", "learner", "pupil"),
    Role.INSTRUCTOR: ("instructor", "teacher", "tutor"),
    Role.PARENT: ("parent", "guardian"),
}
