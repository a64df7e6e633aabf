"""The plan's outcome per row (new, update, unchanged, skipped) → stored rows, changes, counts.

Stored with the flags and by the same two writers: check_job stores every row's outcome
from the full plan (the plan the confirmation and apply use), and an edit's re-check
those of the rows it re-flags, moving the tabs' counts by deltas. The grid then pages and
filters rows by outcome without planning again.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import batched

from django.db.models import F, Q, QuerySet

from roster.importing.directory import NumberList
from roster.importing.jobs.flags import BATCH
from roster.importing.models import ImportChange, ImportJob, ImportRow, ImportTab, Outcome
from roster.importing.plan import Plan, RowOutcome

# The tab's count of each outcome's rows.
COUNTS: dict[int, str] = {
    Outcome.NEW: "new_rows",
    Outcome.UPDATE: "updated_rows",
    Outcome.UNCHANGED: "unchanged_rows",
    Outcome.SKIPPED: "skipped_rows",
}


def store_outcomes(job: ImportJob, tabs: Sequence[ImportTab], plan: Plan) -> None:
    """Every row's outcome from the full plan of the job (`tabs` as the plan read them)."""
    by_tab: dict[int, dict[int, list[int]]] = {tab.pk: defaultdict(list) for tab in tabs}
    changes: list[ImportChange] = []
    for found in plan.outcomes():
        tab = tabs[found.source]
        by_tab[tab.pk][found.action].append(found.number)
        changes.extend(_changes_of(job, tab, found))
    ImportChange.objects.filter(job=job).delete()
    ImportChange.objects.bulk_create(changes, batch_size=2000)
    for tab in tabs:
        numbers = by_tab[tab.pk]
        _set_outcomes(tab, numbers)
        counts = {COUNTS[outcome]: len(numbers.get(outcome, ())) for outcome in COUNTS}
        ImportTab.objects.filter(pk=tab.pk).update(**counts)


def _set_outcomes(tab: ImportTab, numbers: dict[int, list[int]]) -> None:
    """One UPDATE for the commonest outcome, batches for the others; rows that already
    hold their outcome are not written again."""
    ImportRow.objects.filter(tab=tab, deleted=True).exclude(outcome=None).update(outcome=None)
    if not numbers:
        return
    commonest = max(numbers, key=lambda outcome: len(numbers[outcome]))
    rows = ImportRow.objects.filter(tab=tab, deleted=False)
    rows.filter(~Q(outcome=commonest) | Q(outcome=None)).update(outcome=commonest)
    for outcome, found in numbers.items():
        if outcome != commonest:
            for batch in batched(found, BATCH, strict=False):
                rows.filter(number__in=batch).exclude(outcome=outcome).update(outcome=outcome)


def replace_row_outcomes(
    job: ImportJob, tabs: Sequence[ImportTab], rows: Sequence[ImportRow], plan: Plan
) -> None:
    """The outcomes of `rows` (with their stored outcome) from `plan`, which planned them
    with the rows they depend on; a deleted row has none. The tabs' counts move by deltas."""
    if not rows:
        return
    places = {(row.tab_id, row.number): row for row in rows}
    planned: dict[int, RowOutcome] = {}
    for each in plan.outcomes():
        row = places.get((tabs[each.source].pk, each.number))
        if row is not None and not row.deleted:
            planned[row.pk] = each
    by_id = {tab.pk: tab for tab in tabs}
    deltas: dict[int, Counter[str]] = defaultdict(Counter)
    moved: dict[int | None, list[int]] = defaultdict(list)
    changes: list[ImportChange] = []
    for row in rows:
        found = planned.get(row.pk)
        outcome = int(found.action) if found is not None else None
        if found is not None:
            changes.extend(_changes_of(job, by_id[row.tab_id], found))
        before = row.outcome
        if outcome == before:
            continue
        if before is not None:
            deltas[row.tab_id][COUNTS[before]] -= 1
        if outcome is not None:
            deltas[row.tab_id][COUNTS[outcome]] += 1
        moved[outcome].append(row.pk)
    _changes_where(rows).delete()
    ImportChange.objects.bulk_create(changes)
    for outcome, ids in moved.items():
        ImportRow.objects.filter(pk__in=NumberList(ids)).update(outcome=outcome)
    for tab_id, delta in deltas.items():
        counted = {name: F(name) + n for name, n in delta.items() if n}
        if counted:
            ImportTab.objects.filter(pk=tab_id).update(**counted)


def _changes_of(job: ImportJob, tab: ImportTab, found: RowOutcome) -> Iterable[ImportChange]:
    for change in found.changes:
        yield ImportChange(
            organization_id=job.organization_id,
            job=job,
            tab=tab,
            row=found.number,
            field=change.field,
            old=change.old,
            new=change.new,
        )


def _changes_where(rows: Sequence[ImportRow]) -> QuerySet[ImportChange]:
    numbers: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        numbers[row.tab_id].append(row.number)
    where = Q()
    for tab_id, found in numbers.items():
        where |= Q(tab_id=tab_id, row__in=NumberList(found))
    return ImportChange.objects.filter(where)
