"""Header text → field: which field each column of a table holds, for one role.

CONTRACT (used by validate/plan): `map_headers` returns a ColumnMap; the admin's
overrides are applied with `ColumnMap.with_choice`. A column maps to a field name of
fields.FIELDS, or to one of the pseudo-fields below, or to None (ignored / unknown).
Several columns may map to one LINKS field ("Parent 1 Email", "Parent 2 Email"): their
values are merged.

How a header is read: header_words.py (spelling), synonyms.py (meaning). How the claims
of all columns are settled into one map: below. The rules are in docs/header-mapping.md.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from roster.accounts.roles import Role
from roster.importing.fields import FIELDS, Kind, fields_for
from roster.importing.header_words import header_words
from roster.importing.person_names import split_full_name
from roster.importing.role_hints import guess_role, role_from_cell
from roster.importing.synonyms import BLOCKING, EXACT, FULL_NAME, ROLE, SOFT, Claim, claim

__all__ = [
    "FULL_NAME",
    "PSEUDO_FIELDS",
    "ROLE",
    "ColumnMap",
    "claim_column",
    "guess_role",
    "map_headers",
    "role_from_cell",
    "split_full_name",
]

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


def map_headers(header: Sequence[str], role: Role | None) -> ColumnMap:
    """Map each header cell to a field of `role` (or of any role when role is None).

    Each column claims at most one field (claim_column); then a field that holds one value
    goes to its strongest claim, the leftmost among equals, and the other claimants map to
    nothing (so they are reported as unknown columns). Association fields keep every
    claimant: "Parent 1 Email" and "Parent 2 Email" both feed parent_emails.
    """
    claims = [claim_column(text, role) for text in header]
    fields = _same_titles(_settle(claims), claims, header)
    return ColumnMap(header=tuple(header), fields=tuple(_full_name_rule(fields, header)))


def claim_column(text: str, role: Role | None) -> Claim | None:
    """The field one header cell names on a tab of `role`, with how sure that is."""
    words = header_words(text)
    # A bracketed note may be the real attribute name (Entra: "User name
    # [userPrincipalName]" is the email), so it is read first; the words outside still
    # qualify it ("Office phone [telephoneNumber]" is a weaker phone than "Mobile").
    qualifiers = tuple(word for word in words.words if word in SOFT or word in BLOCKING)
    for note in words.notes:
        found = claim(note + qualifiers, words.number, role)
        if found is not None:
            return found
    # ...and a note can disqualify the words outside: "Personal email (other)".
    blocking = tuple(word for note in words.notes for word in note if word in BLOCKING)
    if blocking:
        return None
    return _exact(text, role) or claim(words.words, words.number, role)


def _exact(text: str, role: Role | None) -> Claim | None:
    key = _key(text.split("[", 1)[0].split("(", 1)[0])
    for field in fields_for(role) if role is not None else FIELDS:
        if key in (_key(field.label), _key(field.name)):
            return Claim(field.name, EXACT)
    if key in (_key(FULL_NAME), _key(ROLE)):
        return Claim(FULL_NAME if key == _key(FULL_NAME) else ROLE, EXACT)
    return None


def _key(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _settle(claims: list[Claim | None]) -> list[str | None]:
    links = {field.name for field in FIELDS if field.kind is Kind.LINKS}
    winners: dict[str, int] = {}
    for index, found in enumerate(claims):
        if found is None or found.field in links:
            continue
        best = winners.get(found.field)
        # Strictly stronger only: among equal claims the leftmost column keeps the field.
        if best is None or found.rank > _rank(claims[best]):
            winners[found.field] = index
    return [
        found.field
        if found is not None and (found.field in links or winners.get(found.field) == index)
        else None
        for index, found in enumerate(claims)
    ]


def _same_titles(
    fields: list[str | None], claims: list[Claim | None], header: Sequence[str]
) -> list[str | None]:
    """A column titled exactly as the column that won its field keeps the claim too: which
    of two "Email" columns holds the email only the admin can say (`duplicate_column`)."""
    winners = {(field, _key(header[index])): index for index, field in enumerate(fields) if field}
    return [
        found.field
        if field is None and found is not None and (found.field, _key(text)) in winners
        else field
        for field, found, text in zip(fields, claims, header, strict=True)
    ]


def _rank(found: Claim | None) -> int:
    return found.rank if found is not None else -1


def _full_name_rule(fields: list[str | None], header: Sequence[str]) -> list[str | None]:
    """A full-name column next to first and last name columns stays a full name: it fills
    the rows whose first and last name cells are both empty (Entra's bulk-create file has
    `Name`, `First name` and `Last name`, and only `Name` is required there).

    With a last name but no first name, a bare "Name" column is the first name (the
    "Name / Surname" layout common in Europe).
    """
    if FULL_NAME not in fields:
        return fields
    has_first, has_last = "first_name" in fields, "last_name" in fields
    if has_first or not has_last:
        return fields
    settled: list[str | None] = []
    for index, field in enumerate(fields):
        if field == FULL_NAME and header_words(header[index]).words == ("name",):
            field = "first_name" if not has_first else None
            has_first = True
        settled.append(field)
    return settled
