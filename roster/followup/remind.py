"""Remind the people of an import who have not activated: one click, or the task worker.

A reminder is a new activation email through the Invitation outbox, exactly like a
resend: a new link, and the old one stops working ("a newer welcome email"), so a link
that expired is renewed by the same email. It is never sent to an active or deactivated
account, and the resend cool-down holds back anyone emailed a moment ago.

Exactly once: `remind_import` takes the organization's lock, then looks for its key
(`Reminder.key`, unique per organization). A double click or two concurrent requests
carry the same key (the page's form), two workers the same automatic round's key: the
second finds the first's reminder and sends nothing. `ReminderItem`'s unique key holds
one email per person per reminder.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import batched

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from roster.accounts.delivery import record_invitations
from roster.accounts.models import Account, Invitation, InvitationStatus
from roster.accounts.resend import holding_back
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.followup import people
from roster.followup.models import Reminder, ReminderItem
from roster.importing.models import ImportJob
from roster.orgs.locks import lock_accounts_of
from roster.orgs.models import Organization

CHUNK = 5000  # ids per look-up


@dataclass(frozen=True, slots=True)
class Due:
    """The automatic policy: remind after `after` without an email, at most `at_most` times."""

    after: timedelta
    at_most: int


@dataclass(frozen=True, slots=True)
class Reminded:
    reminded: int  # emails queued
    renewed: int  # of which replace a link that had expired
    parents: int  # of which to a parent, for their username-only students
    held: int  # emailed a moment ago, or one on its way: not sent again yet
    repeated: bool  # this reminder's key was used already: nothing more was sent


NOTHING = Reminded(reminded=0, renewed=0, parents=0, held=0, repeated=False)


@transaction.atomic
def remind_import(
    org: Organization,
    job: ImportJob,
    *,
    key: str,
    by: By,
    due: Due | None = None,
) -> Reminded:
    """Queue one reminder for each person of `job` who has not activated (see the module).

    With `due` (the task worker), only those last emailed at least `due.after` ago and
    automatically reminded fewer than `due.at_most` times; an automatic round that finds
    nobody due writes nothing.
    """
    lock_accounts_of(org)  # first, like every writer of invitations
    done = Reminder.objects.in_org(org).filter(key=key).first()
    if done is not None:
        return _result(done, repeated=True)
    now = timezone.now()
    candidates = people.to_remind(org, job)
    if due is not None:
        candidates = candidates.filter(_due(due, now))
    held = Exists(
        Invitation.objects.filter(
            holding_back(), organization_id=OuterRef("organization_id"), account_id=OuterRef("pk")
        )
    )
    rows = list(candidates.annotate(held=held).values_list("pk", "held"))
    chosen = [pk for pk, is_held in rows if not is_held]
    if due is not None and not chosen:
        return NOTHING
    renewing = people.with_expired_links(org, candidates, now)
    parents = set(people.parents_to_remind(org, job).values_list("pk", flat=True))
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                organization=org,
                job=job,
                key=key,
                automatic=due is not None,
                created_by_id=by.actor_id,
            )
    except IntegrityError:  # SQLite has no row lock: the same key, committed meanwhile
        return _result(Reminder.objects.in_org(org).get(key=key), repeated=True)
    accounts = Account.objects.in_org(org).only("id", "email", "status")
    reminded: set[int] = set()
    # In chunks: record_invitations looks its accounts up by a list of ids.
    for chunk in batched(chosen, CHUNK, strict=False):
        queued = record_invitations(org, accounts.filter(pk__in=chunk), replace_queued=True)
        reminded |= _record_items(org, reminder, queued)
    reminder.reminded = len(reminded)
    reminder.renewed = len(renewing & reminded)
    reminder.parents = len(parents & reminded)
    reminder.held = len(rows) - len(reminded)
    reminder.save(update_fields=["reminded", "renewed", "parents", "held"])
    detail = {"reminded": reminder.reminded, "renewed": reminder.renewed}
    detail |= {"parents": reminder.parents, "held": reminder.held, "automatic": due is not None}
    record(org, Action.REMINDED, by=by, import_job=job.pk, detail=detail)
    return _result(reminder, repeated=False)


def _due(due: Due, now: datetime) -> Q:
    """Emailed before, nothing since `due.after` ago, reminded automatically < at_most."""
    recent = Invitation.objects.filter(
        organization_id=OuterRef("organization_id"),
        account_id=OuterRef("pk"),
        created_at__gt=now - due.after,
    ).exclude(status=InvitationStatus.CANCELLED)
    automatic = (
        ReminderItem.objects.filter(
            organization_id=OuterRef("organization_id"),
            account_id=OuterRef("pk"),
            reminder__automatic=True,
        )
        .values("account_id")
        .annotate(count=Count("pk"))
        .filter(count__gte=due.at_most)
    )
    return Q(people.emailed()) & ~Q(Exists(recent)) & ~Q(Exists(automatic))


def _record_items(org: Organization, reminder: Reminder, invitation_ids: list[int]) -> set[int]:
    """One ReminderItem per invitation queued; returns the accounts reminded."""
    pairs = Invitation.objects.filter(organization=org, pk__in=invitation_ids).values_list(
        "pk", "account_id"
    )
    items = [
        ReminderItem(organization=org, reminder=reminder, account_id=account_id, invitation_id=pk)
        for pk, account_id in pairs
    ]
    ReminderItem.objects.bulk_create(items)
    return {item.account_id for item in items}


def _result(reminder: Reminder, *, repeated: bool) -> Reminded:
    return Reminded(
        reminded=reminder.reminded,
        renewed=reminder.renewed,
        parents=reminder.parents,
        held=reminder.held,
        repeated=repeated,
    )
