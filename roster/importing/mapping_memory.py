"""Remembered mappings: how an organization's admins mapped a header, applied next time.

When an admin maps a column in the review, the organization remembers it, keyed by the
header's text (normalised: case, spacing and punctuation do not matter) and by the scope
of the mapping: the tab's role, or "" for a table with a role column (any role's fields).
intake.decide applies the memory to every table of every door, so the command line and
the web review map the same file the same way (docs/header-mapping.md, §8).

Plain values only: the doors load the organization's memory (RememberedMapping) and pass
it in.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from roster.accounts.models import PEOPLE_ROLES, Role
from roster.importing.fields import fields_for
from roster.importing.headers import PSEUDO_FIELDS, ROLE, ColumnMap

IGNORED = ""  # a remembered "Ignore this column"
KEY_LENGTH = 255  # RememberedMapping.header_key
type Scope = str  # a role's value, or "" for a table whose rows carry their own roles


def header_key(text: str) -> str:
    """The header as memory knows it: "Guardian", " guardian " and "GUARDIAN:" are one."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    words = " ".join("".join(ch if ch.isalnum() else " " for ch in normal).split())
    return words[:KEY_LENGTH]  # headers longer than a sentence differ in their start


def scope_of(columns: ColumnMap, role: Role | None) -> Scope | None:
    """The memory a table uses: its role's, or any role's with a role column; None while
    its role is unknown (nothing is recalled or remembered then)."""
    if ROLE in columns.fields:
        return ""
    return role.value if role is not None else None


def field_choices(scope: Scope) -> list[tuple[str, str]]:
    """The fields a column may be mapped to in `scope`: (name, label)."""
    roles = [Role(scope)] if scope else PEOPLE_ROLES
    found = {each.name: each.label for role in roles for each in fields_for(role)}
    pseudo = ((name, name.replace("_", " ").capitalize()) for name in PSEUDO_FIELDS)
    return [*found.items(), *pseudo]


def field_label(scope: Scope, name: str) -> str:
    return dict(field_choices(scope)).get(name, name) if name else "Ignored"


@dataclass(frozen=True, slots=True)
class Recalled:
    """A column mapped from memory rather than by the automatic first guess."""

    column: int
    header: str
    field: str  # a field name, or IGNORED
    label: str  # the field's label, as the review's menu names it

    @property
    def sentence(self) -> str:
        return f"Mapped as last time: {self.header.strip()} → {self.label}"


@dataclass(frozen=True, slots=True)
class MappingMemory:
    """An organization's remembered mappings: (scope, header key) → field or IGNORED."""

    fields: Mapping[tuple[Scope, str], str] = field(default_factory=dict)

    def recall(
        self, columns: ColumnMap, role: Role | None
    ) -> tuple[ColumnMap, tuple[Recalled, ...]]:
        """`columns` with every remembered mapping applied that differs from the first
        guess, and the columns it changed. A field the scope no longer has is skipped."""
        scope = scope_of(columns, role)
        if scope is None or not self.fields:
            return columns, ()
        valid = dict(field_choices(scope))
        recalled: list[Recalled] = []
        for column, text in enumerate(columns.header):
            wanted = self.fields.get((scope, header_key(text)))
            if wanted is None or (wanted and wanted not in valid):
                continue
            if wanted and columns.fields[column] == wanted:  # the first guess maps it so
                continue
            columns = columns.with_choice(column, wanted or None)
            recalled.append(Recalled(column, text, wanted, field_label(scope, wanted)))
        return columns, tuple(recalled)


NO_MEMORY = MappingMemory()
