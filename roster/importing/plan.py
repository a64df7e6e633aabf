"""Validated people + Directory → Plan: what applying would do, computed without writing.

Per row: create, update (the fields that change, old → new), unchanged, or skipped;
the new associations; the accounts to invite. Pure: the directory was loaded before.
"""

from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from heapq import merge
from operator import attrgetter

from roster.accounts.models import Role
from roster.importing.associations import Links, Placed, resolve_links
from roster.importing.collector import collector_held
from roster.importing.directory import Directory, Known
from roster.importing.fields import identity_key
from roster.importing.issues import Issue, IssueCode
from roster.importing.people import IMPORTED_ROLES, Person, PersonView
from roster.importing.validate import ExternalKey, Validated, describe

UPDATABLE = ("first_name", "last_name", "email", "username", "phone")
_updatable = attrgetter(*UPDATABLE)


class Action(IntEnum):
    CREATE = 0
    UPDATE = 1
    UNCHANGED = 2
    SKIP = 3


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One kept row of the import and what applying does to it (for the review grid)."""

    person: Person
    action: Action
    account_id: int | None
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What applying does to one row of the import, wherever it stands (kept or not)."""

    source: int
    number: int
    action: Action
    changes: tuple[Change, ...]  # of an update: the fields that change


@dataclass(frozen=True, slots=True)
class Plan:
    validated: Validated
    directory: Directory
    actions: bytearray  # per person: an Action
    account_ids: array[int]  # per person: the existing account's id, or 0 when created
    changes: dict[int, tuple[Change, ...]]  # per updated person
    links: Links
    issues: tuple[Issue, ...]  # validation's and planning's, in file order

    def rows(self) -> Iterator[PlannedRow]:
        for index, person in enumerate(self.validated.people):
            account_id = self.account_ids[index] or None
            changes = self.changes.get(index, ())
            yield PlannedRow(person, Action(self.actions[index]), account_id, changes)

    def outcomes(self) -> Iterator[RowOutcome]:
        """Every row of the import and its action: the kept rows', then those validate kept
        out (SKIP). The review stores them per row; counts() gives the same numbers."""
        for index, (source, number) in enumerate(self.validated.people.places()):
            action = Action(self.actions[index])
            changes = self.changes.get(index, ()) if action is Action.UPDATE else ()
            yield RowOutcome(source, number, action, changes)
        for row in self.validated.skipped:
            yield RowOutcome(row.source, row.number, Action.SKIP, ())

    def counts(self) -> Counter[tuple[Action, Role]]:
        """How many rows of each role get each action; rows kept out by validate are SKIP."""
        roles = IMPORTED_ROLES
        found = Counter(zip(self.actions, self.validated.people.role_codes, strict=True))
        counts: Counter[tuple[Action, Role]] = Counter(
            {(Action(action), roles[role]): n for (action, role), n in found.items()}
        )
        for row in self.validated.skipped:
            if row.role is not None:
                counts[Action.SKIP, row.role] += 1
        return counts

    def invitations(self) -> list[int]:
        """Indexes of the people to invite when asked: new accounts with an email."""
        people = self.validated.people.views()
        return [
            index
            for index, (code, person) in enumerate(zip(self.actions, people, strict=True))
            if code == Action.CREATE and person.email
        ]


@collector_held()
def plan_import(validated: Validated, directory: Directory) -> Plan:
    """What applying `validated` to the organization behind `directory` would do."""
    people = validated.people
    actions = bytearray(len(people))
    account_ids = array("q", bytes(8 * len(people)))
    changes: dict[int, tuple[Change, ...]] = {}
    issues: list[Placed] = []
    claimed = _claimed(validated, directory)
    # A directory holding none of the import's people (an organization's first import):
    # every row is new, as `actions` says already (CREATE is 0), and _match finds nothing.
    matched = people.views() if directory.accounts or directory.external else ()
    for index, person in enumerate(matched):
        external = validated.external.get(index)
        known, problem = _match(person, directory, external, claimed)
        if problem is not None:
            actions[index] = Action.SKIP
            issues.append(((person.source, person.number), _issue(validated, person, *problem)))
        elif known is None:
            actions[index] = Action.CREATE
        else:
            account_ids[index] = known.id
            diff = _changes(person, known)
            actions[index] = Action.UPDATE if diff else Action.UNCHANGED
            if diff:
                changes[index] = diff
    links = resolve_links(validated, directory, actions, account_ids, issues)
    ordered = _in_file_order(validated, issues)
    return Plan(validated, directory, actions, account_ids, changes, links, ordered)


Problem = tuple[str, str] | tuple[str, str, IssueCode]  # (field, detail[, code])


def _claimed(validated: Validated, directory: Directory) -> dict[int, ExternalKey]:
    """The accounts the import's rows name by a school system's id: id → (system, id)."""
    found = (
        (known.id, key)
        for key in validated.external.values()
        if (known := directory.find_by_id(key))
    )
    return dict(found)


def _match(
    person: PersonView,
    directory: Directory,
    external: ExternalKey | None = None,
    claimed: dict[int, ExternalKey] | None = None,
) -> tuple[Known | None, Problem | None]:
    """The existing account a row updates, or why it cannot: (field, detail[, code]).

    A row carrying a school system's id (docs/import-rules.md, "Links by id") updates the
    account holding that id first, whatever its email now; its email or username must
    not belong to another account, nor to one that the system knows by another id.
    """
    by_email = directory.find(identity_key(person.email)) if person.email else None
    by_username = directory.find(identity_key(person.username)) if person.username else None
    by_id = directory.find_by_id(external) if external else None
    if by_id is not None and external is not None:
        for field, other in (("email", by_email), ("username", by_username)):
            if other is not None and other.id != by_id.id:
                detail = f"the id {external[1]} belongs to one user and this {field} to another."
                return None, (field, detail, IssueCode.EXTERNAL_ID_CONFLICT)
        if by_id.role != person.role:
            field = "email" if person.email else "username"
            role = _role_name(by_id.role)
            return None, (field, f"the id {external[1]} belongs to an existing {role}.")
        return by_id, None
    if by_email and by_username and by_email.id != by_username.id:
        return None, ("username", "this username already belongs to another account.")
    known = by_email or by_username
    if known is not None and known.role != person.role:
        field = "email" if by_email else "username"
        return None, (field, f"it belongs to an existing {_role_name(known.role)}.")
    other_id = _known_by_another_id(known, external, claimed or {}, directory) if known else ""
    if other_id:
        field = "email" if by_email else "username"
        return None, (field, other_id, IssueCode.EXTERNAL_ID_CONFLICT)
    return known, None


def _known_by_another_id(
    known: Known,
    external: ExternalKey | None,
    claimed: dict[int, ExternalKey],
    directory: Directory,
) -> str:
    """Why an account found by email or username is not this row's: the school system
    knows it by another id (held, or named by another row of the import); "" if it is."""
    mine = claimed.get(known.id)
    if mine is not None and mine != external:
        return f"it belongs to the user whose id is {mine[1]} in this import."
    if external is None:
        return ""
    held = directory.held_id(known.id, external[0])
    if held and held != external[1]:
        return f"it belongs to the user whose id is {held}, not {external[1]}."
    return ""


def _role_name(role: str) -> str:
    return {"owner": "owner of this organization", "admin": "admin of this organization"}.get(
        role, role
    )


def _changes(person: PersonView, known: Known) -> tuple[Change, ...]:
    # Most rows of a re-import hold what the account holds: one comparison says so.
    if _updatable(person) == _updatable(known):
        return ()
    found = []
    for field in UPDATABLE:
        new, old = getattr(person, field), getattr(known, field)
        if not new:
            continue  # a blank cell leaves the stored value as it is
        same = (
            identity_key(new) == identity_key(old) if field in ("email", "username") else new == old
        )
        if not same:
            found.append(Change(field, old, new))
    return tuple(found)


def _issue(
    validated: Validated,
    person: PersonView,
    field: str,
    detail: str,
    code: IssueCode = IssueCode.ROLE_CONFLICT,
) -> Issue:
    source = validated.sources[person.source]
    return Issue(
        code=code,
        message=describe(code, detail),
        file=source.file,
        sheet=source.sheet_for(person.role),
        row=person.number,
        column=source.columns[field],
    )


def _in_file_order(validated: Validated, found: list[Placed]) -> tuple[Issue, ...]:
    """Validation's issues and planning's, merged in the order of the files and rows."""
    planned = sorted(found, key=lambda pair: pair[0])
    earlier = zip(validated.places, validated.issues, strict=True)
    return tuple(issue for _, issue in merge(earlier, planned, key=lambda pair: pair[0]))
