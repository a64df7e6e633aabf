"""apply_plan(): the only writer of an import. All or nothing, under the organization's lock.

Under the lock it reloads the directory for the plan's identities; when anything changed
since the plan was made (another import, an admin's edit), the plan is made again against
what is there now and that plan is applied — the outcome says so. Then it writes in a
handful of multi-row statements (writes.py): new accounts, changed accounts, new links,
and the invitations to send, all in the same transaction.
"""

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from roster.accounts.outbox import enqueue_delivery
from roster.accounts.search_index import record_backlog, search_later
from roster.importing.associations import KINDS
from roster.importing.collector import collector_held
from roster.importing.directory import Directory
from roster.importing.fields import identity_key
from roster.importing.people import PersonView
from roster.importing.plan import UPDATABLE, Action, Plan, plan_import
from roster.importing.validate import PROGRESS_EVERY
from roster.importing.writes import (
    insert_accounts,
    insert_external_ids,
    insert_invitations,
    insert_links,
    update_accounts,
)
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an applied import did: the plan that was applied, and what it recorded."""

    plan: Plan
    invitations: int  # activation emails recorded to be sent
    links: dict[str, int]  # links made, per kind
    replanned: bool  # the organization changed between preview and apply
    invitation_ids: array[int]  # the invitations recorded, whose delivery starts on commit
    # For undo (undo/record.py): the accounts and links it created, per kind for links.
    created_ids: array[int] = field(default_factory=lambda: array("q"))
    link_ids: dict[str, array[int]] = field(default_factory=dict)


@collector_held()
@transaction.atomic
def apply_plan(
    plan: Plan,
    *,
    org: Organization,
    invite: bool,
    progress: Callable[[int], None] | None = None,
    job_id: int | None = None,
) -> Outcome:
    """Apply `plan` to `org`: create and update accounts, link them, record invitations.

    `progress`, when given, is told how many of the plan's rows are written so far (new
    accounts as they are inserted, then the updated ones). The accounts created remember
    the stored import `job_id`, if any, so that it can be followed to activation.
    """
    report = progress or _silent
    # Two imports into one organization wait for each other here (SQLite: the write lock),
    # and so does every other writer of its accounts (roster.orgs.locks).
    lock_accounts_of(org)
    fresh = Directory.load(org, plan.directory.keys, plan.directory.external_keys)
    replanned = fresh != plan.directory
    if replanned:
        plan = plan_import(plan.validated, fresh)
    moment = timezone.now()
    # A big import's new accounts get their search entries after the commit.
    later = search_later(plan.actions.count(Action.CREATE))
    created = _create(org, plan, moment, report, job_id)
    if later:
        record_backlog(org.pk, created.ids)
    update_accounts(org.pk, _updated_rows(plan), moment)
    report(created.count + plan.actions.count(Action.UPDATE))
    link_ids = {kind: _link(org, plan, kind, created.ids, moment) for kind in KINDS}
    insert_external_ids(org.pk, _external_ids(plan, created.ids), moment)
    invitations = insert_invitations(org.pk, created.with_email, moment) if invite else array("q")
    # Delivery starts once the accounts and their invitations are committed, never before.
    transaction.on_commit(partial(enqueue_delivery, org.pk, invitations))
    return Outcome(
        plan=plan,
        invitations=len(invitations),
        links={kind: len(ids) for kind, ids in link_ids.items()},
        replanned=replanned,
        invitation_ids=invitations,
        created_ids=array("q", (account_id for account_id in created.ids if account_id)),
        link_ids=link_ids,
    )


@dataclass(frozen=True, slots=True)
class _Created:
    ids: array[int]  # per person: the new account's id (0 when not created)
    with_email: array[int]  # ids of new accounts that have an email
    count: int


def _silent(done: int) -> None:
    pass


def _create(
    org: Organization,
    plan: Plan,
    moment: datetime,
    report: Callable[[int], None],
    job_id: int | None,
) -> _Created:
    people, keys = plan.validated.people, plan.validated.keys
    rows = (
        _new_row(person)
        for action, person in zip(plan.actions, people.views(), strict=True)
        if action == Action.CREATE
    )
    ids = array("q", bytes(8 * len(people)))
    with_email = array("q")
    count = 0
    for account_id, email, username in insert_accounts(org.pk, rows, moment, job_id):
        ids[keys[identity_key(email or username)]] = account_id
        if email:
            with_email.append(account_id)
        count += 1
        if count % PROGRESS_EVERY == 0:
            report(count)
    report(count)
    return _Created(ids, with_email, count)


def _new_row(person: PersonView) -> tuple[str, ...]:
    return (
        person.role.value,
        person.email,
        person.username,
        person.first_name,
        person.last_name,
        person.phone,
    )


def _updated_rows(plan: Plan) -> Iterator[tuple[object, ...]]:
    """(id, first, last, email, username, phone) of each updated account, changes applied."""
    # The account each row matched: by email or username, or by a school system's id.
    accounts = plan.directory.by_account()
    for index, changes in plan.changes.items():
        if plan.actions[index] != Action.UPDATE:
            continue
        known = accounts[plan.account_ids[index]]
        new = {change.field: change.new for change in changes}
        yield (known.id, *(new.get(name, getattr(known, name)) for name in UPDATABLE))


def _external_ids(plan: Plan, created: array[int]) -> Iterator[tuple[int, str, str]]:
    """(account id, system, id) for each applied row carrying a school system's id."""
    for index, (source, value) in plan.validated.external.items():
        action = plan.actions[index]
        if action == Action.CREATE:
            yield created[index], source, value
        elif (
            action != Action.SKIP
            and plan.directory.held_id(plan.account_ids[index], source) != value
        ):
            yield plan.account_ids[index], source, value


def _link(
    org: Organization, plan: Plan, kind: str, created: array[int], moment: datetime
) -> array[int]:
    links = plan.links.of(kind)

    def account(ref: int) -> int:
        return ref if ref > 0 else created[~ref]

    def pairs(new_students: bool) -> Iterator[tuple[int, int]]:
        for student, other in zip(links.students, links.others, strict=True):
            if (student < 0) is new_students:
                yield account(student), account(other)

    # A student created now has no link yet, and the plan names each of its pairs once
    # (associations._new): those go in without looking for a conflict, a third cheaper.
    # Other pairs may exist already (two rows can name one account): those are looked for.
    made = insert_links(org.pk, kind, pairs(True), moment, new_students=True)
    made.extend(insert_links(org.pk, kind, pairs(False), moment))
    return made
