"""What undoing an applied import would do, computed in bulk from what its apply recorded.

- Fields it changed on accounts it updated go back to their values before it, unless the
  account no longer holds the value the import set (changed since: kept).
- Accounts it created are removed, unless activated, edited since (by hand or by a later
  import), or linked since by anything but this import's own links.
- Links it added are removed, unless a later import (still applied) names them too.
- Its invitations still queued are cancelled; those handed to the mail server are kept.

A few queries per kind, each over id lists sent as one parameter (no query per row).
"""

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import batched
from typing import Any

from django.db.models.functions import Lower

from roster.accounts.models import (
    Account,
    Invitation,
    InvitationStatus,
    Role,
    Status,
    StudentInstructor,
    StudentParent,
)
from roster.accounts.outbox import ids_of
from roster.importing.associations import KINDS
from roster.importing.directory import KEYS_PER_QUERY, KeyList
from roster.importing.models import ImportJob, JobStatus, NamedLink, UpdatedAccount
from roster.importing.plan import UPDATABLE
from roster.importing.undo.ids import IdIn

LINK_MODELS: dict[str, type[StudentParent] | type[StudentInstructor]] = {
    "student_parent": StudentParent,
    "student_instructor": StudentInstructor,
}
OTHER_SIDE = {"student_parent": "parent_id", "student_instructor": "instructor_id"}
REMOVABLE = (Status.PENDING, Status.INVITED)


class Reason(StrEnum):
    """Why something the import did is kept (its sentence is MESSAGES[reason])."""

    CHANGED_SINCE = "changed_since"
    VALUE_TAKEN = "value_taken"
    NO_LOGIN_LEFT = "no_login_left"
    ACCOUNT_GONE = "account_gone"
    ACTIVATED = "activated"
    EDITED_SINCE = "edited_since"
    LINKED_SINCE = "linked_since"
    IN_LATER_IMPORT = "in_later_import"
    ALREADY_SENT = "already_sent"


MESSAGES = {
    Reason.CHANGED_SINCE: "changed since the import; the newer value is kept",
    Reason.VALUE_TAKEN: "the previous value now belongs to another account",
    Reason.NO_LOGIN_LEFT: "putting it back would leave the account without email or username",
    Reason.ACCOUNT_GONE: "the account no longer exists",
    Reason.ACTIVATED: "the account has been activated (or deactivated) since",
    Reason.EDITED_SINCE: "the account was edited since, by hand or by a later import",
    Reason.LINKED_SINCE: "the account was linked since, by hand or by a later import",
    Reason.IN_LATER_IMPORT: "a later import names this association too",
    Reason.ALREADY_SENT: "the activation email was already handed to the mail server",
}


@dataclass(frozen=True, slots=True)
class Kept:
    """Something the import did that undo leaves as it is, and why."""

    what: str  # "field", "account", "association" or "invitation"
    account_id: int
    reason: Reason
    field: str = ""  # of a "field"
    other_id: int = 0  # of an "association": the parent or instructor
    kind: str = ""  # of an "association"


@dataclass(frozen=True, slots=True)
class Restore:
    account_id: int
    field: str
    now: str  # the value the import set, held now
    back: str  # the value before the import


@dataclass(slots=True)
class UndoPlan:
    job: ImportJob
    restores: list[Restore] = field(default_factory=list)
    # Per restored account: (id, first, last, email, username, phone) with values put back.
    restored_rows: list[tuple[object, ...]] = field(default_factory=list)
    remove_accounts: dict[int, str] = field(default_factory=dict)  # id → role
    remove_links: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    cancel_invitations: array[int] = field(default_factory=lambda: array("q"))
    cancel_accounts: list[int] = field(default_factory=list)  # whose invitation is cancelled
    kept: list[Kept] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        """The undo's summary: restored, removed, cancelled, kept and why."""
        roles = Counter(self.remove_accounts.values())
        return {
            "restored": {
                "accounts": len({restore.account_id for restore in self.restores}),
                "fields": len(self.restores),
            },
            "removed": {
                "accounts": {role.value: roles[role.value] for role in _ROLES},
                "associations": {kind: len(self.remove_links.get(kind, ())) for kind in KINDS},
            },
            "cancelled": {"invites": len(self.cancel_invitations)},
            "kept": dict(sorted(Counter(each.reason.value for each in self.kept).items())),
        }


_ROLES = (Role.STUDENT, Role.INSTRUCTOR, Role.PARENT)


def plan_undo(job: ImportJob) -> UndoPlan:
    """What undoing `job` would do now (nothing is written)."""
    plan = UndoPlan(job)
    ids = job.applied_ids
    org_id = job.organization_id
    removing: dict[str, set[int]] = {}  # per kind: each link table has its own ids
    for kind in KINDS:
        present = list(_links(kind, org_id, ids_of(ids.get("links", {}).get(kind, []))))
        later = _named_later(job, kind, present)
        plan.remove_links[kind] = [link for link in present if link[1:] not in later]
        plan.kept.extend(
            Kept("association", student, Reason.IN_LATER_IMPORT, other_id=other, kind=kind)
            for _, student, other in present
            if (student, other) in later
        )
        removing[kind] = {link[0] for link in plan.remove_links[kind]}
    _plan_accounts(plan, org_id, ids_of(ids.get("accounts", [])), removing)
    _plan_restores(plan, org_id)
    _plan_invitations(plan, org_id, ids_of(ids.get("invitations", [])))
    return plan


def _links(kind: str, org_id: int, ids: list[int]) -> Iterator[tuple[int, int, int]]:
    """(id, student, other) of those links still there."""
    model = LINK_MODELS[kind]
    for batch in batched(ids, KEYS_PER_QUERY, strict=False):
        found = model.objects.filter(IdIn("id", batch), organization_id=org_id)
        yield from found.values_list("id", "student_id", OTHER_SIDE[kind])


def _named_later(
    job: ImportJob, kind: str, links: list[tuple[int, int, int]]
) -> set[tuple[int, int]]:
    """Those of `links` (student, other) that an import applied after `job` names too."""
    if not links:
        return set()
    later = ImportJob.objects.filter(
        organization_id=job.organization_id,
        status=JobStatus.APPLIED,
        applied_at__gt=job.applied_at,
    ).values("pk")
    wanted = {(student, other) for _, student, other in links}
    students = sorted({student for student, _ in wanted})
    found: set[tuple[int, int]] = set()
    for batch in batched(students, KEYS_PER_QUERY, strict=False):
        named = NamedLink.objects.filter(
            IdIn("student_id", batch),
            organization_id=job.organization_id,
            kind=kind,
            job__in=later,
        ).values_list("student_id", "other_id")
        found.update(pair for pair in named if pair in wanted)
    return found


def _plan_accounts(
    plan: UndoPlan, org_id: int, created: list[int], removing: dict[str, set[int]]
) -> None:
    """The accounts it created that can go: untouched since, and linked by nothing else."""
    candidates: dict[int, str] = {}
    accounts = Account.objects.filter(organization_id=org_id)
    fields = ("id", "role", "status", "activated_at", "created_at", "updated_at")
    for batch in batched(created, KEYS_PER_QUERY, strict=False):
        rows = accounts.filter(IdIn("id", batch)).values_list(*fields)
        for account_id, role, status, activated_at, created_at, updated_at in rows:
            if status not in REMOVABLE or activated_at is not None:
                plan.kept.append(Kept("account", account_id, Reason.ACTIVATED))
            elif updated_at > created_at:
                plan.kept.append(Kept("account", account_id, Reason.EDITED_SINCE))
            else:
                candidates[account_id] = role
    linked = _linked_otherwise(org_id, list(candidates), removing)
    for account_id, role in candidates.items():
        if account_id in linked:
            plan.kept.append(Kept("account", account_id, Reason.LINKED_SINCE))
        else:
            plan.remove_accounts[account_id] = role


def _linked_otherwise(org_id: int, ids: list[int], removing: dict[str, set[int]]) -> set[int]:
    """Those of `ids` that a link other than the ones being removed holds."""
    linked: set[int] = set()
    for kind, model in LINK_MODELS.items():
        # One query per side: an OR of the two id lists made PostgreSQL test every link of
        # the organization against both lists one by one (minutes at 30,000 accounts).
        for side in ("student_id", OTHER_SIDE[kind]):
            for batch in batched(ids, KEYS_PER_QUERY, strict=False):
                links = model.objects.filter(IdIn(side, batch), organization_id=org_id)
                for link_id, account_id in links.values_list("id", side):
                    if link_id not in removing[kind]:
                        linked.add(account_id)
    return linked


def _plan_restores(plan: UndoPlan, org_id: int) -> None:
    images = UpdatedAccount.objects.filter(organization_id=org_id, job=plan.job)
    records = list(images.values_list("account_id", "before", "after").iterator(chunk_size=10_000))
    current = _current(org_id, [account_id for account_id, _, _ in records])
    wanted: dict[int, dict[str, str]] = {}
    for account_id, before, after in records:
        now = current.get(account_id)
        if now is None:
            plan.kept.extend(
                Kept("field", account_id, Reason.ACCOUNT_GONE, field=name) for name in before
            )
            continue
        for name, old in before.items():
            if now[name] == after[name]:
                wanted.setdefault(account_id, {})[name] = old
            else:
                plan.kept.append(Kept("field", account_id, Reason.CHANGED_SINCE, field=name))
    _drop_taken(plan, org_id, wanted)
    for account_id, values in wanted.items():
        now = current[account_id]
        restored = {**now, **values}
        if not restored["email"] and not (now["role"] == Role.STUDENT and restored["username"]):
            plan.kept.append(Kept("field", account_id, Reason.NO_LOGIN_LEFT, field="email"))
            values.pop("email", None)
            restored["email"] = now["email"]
        plan.restores.extend(
            Restore(account_id, name, now[name], back) for name, back in values.items()
        )
        if values:
            plan.restored_rows.append((account_id, *(restored[name] for name in UPDATABLE)))


def _current(org_id: int, ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    accounts = Account.objects.filter(organization_id=org_id)
    for batch in batched(ids, KEYS_PER_QUERY, strict=False):
        rows = accounts.filter(IdIn("id", batch)).values("id", "role", *UPDATABLE)
        found.update((row["id"], row) for row in rows)
    return found


def _drop_taken(plan: UndoPlan, org_id: int, wanted: dict[int, dict[str, str]]) -> None:
    """An email or username to put back that another account holds now stays as it is."""
    for name in ("email", "username"):
        back = {
            values[name].lower(): account_id
            for account_id, values in wanted.items()
            if values.get(name)
        }
        holders = _holders(org_id, name, list(back))
        for key, account_id in back.items():
            holder = holders.get(key)
            if holder is not None and holder != account_id and holder not in plan.remove_accounts:
                wanted[account_id].pop(name)
                plan.kept.append(Kept("field", account_id, Reason.VALUE_TAKEN, field=name))


def _holders(org_id: int, name: str, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    accounts = Account.objects.filter(organization_id=org_id).alias(key=Lower(name))
    for batch in batched(keys, KEYS_PER_QUERY, strict=False):
        rows = accounts.filter(key__in=KeyList(batch)).values_list("id", name)
        found.update((value.lower(), account_id) for account_id, value in rows)
    return found


def _plan_invitations(plan: UndoPlan, org_id: int, ids: list[int]) -> None:
    invitations = Invitation.objects.filter(organization_id=org_id)
    for batch in batched(ids, KEYS_PER_QUERY, strict=False):
        rows = invitations.filter(IdIn("id", batch)).values_list("id", "account_id", "status")
        for invitation_id, account_id, status in rows:
            if status == InvitationStatus.QUEUED:
                plan.cancel_invitations.append(invitation_id)
                plan.cancel_accounts.append(account_id)
            elif status in (InvitationStatus.SENDING, InvitationStatus.SENT):
                plan.kept.append(Kept("invitation", account_id, Reason.ALREADY_SENT))


def login_names(org_id: int, ids: Iterable[int]) -> dict[int, str]:
    """Each account's email, or its username (for the lists undo shows)."""
    found: dict[int, str] = {}
    accounts = Account.objects.filter(organization_id=org_id)
    for batch in batched(sorted(set(ids)), KEYS_PER_QUERY, strict=False):
        rows = accounts.filter(IdIn("id", batch)).values_list("id", "email", "username")
        found.update((account_id, email or username) for account_id, email, username in rows)
    return found
