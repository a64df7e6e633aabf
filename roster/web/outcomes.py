"""The review's filters by outcome: which rows the grid lists (Show), the filter's links
with their counts, and the confirmation's per-field update counts.

Presentation only: the outcomes come from the engine's last plan (jobs/outcomes.py).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from roster.importing.fields import FIELDS_BY_NAME
from roster.importing.jobs.outcomes import COUNTS
from roster.importing.models import ImportChange, ImportJob, ImportRow, ImportTab, Outcome, Severity
from roster.importing.plan import UPDATABLE


@dataclass(frozen=True, slots=True)
class Show:
    """Which rows the grid lists: all, those that need attention, or those of one outcome
    (of updates, optionally those that change one field). In URLs: `show=attention`,
    `show=update`, `show=update:phone` …"""

    attention: bool = False
    outcome: Outcome | None = None
    field: str = ""

    @classmethod
    def of(cls, text: str) -> "Show":
        if text == "attention":
            return cls(attention=True)
        name, _, field = text.partition(":")
        outcome = _OUTCOMES.get(name)
        if outcome is None:
            return cls()
        updated = outcome == Outcome.UPDATE and field in UPDATABLE
        return cls(outcome=outcome, field=field if updated else "")

    @property
    def param(self) -> str:
        if self.attention:
            return "attention"
        if self.outcome is None:
            return ""
        name = OUTCOME_NAMES[self.outcome]
        return f"{name}:{self.field}" if self.field else name

    def rows(self, tab: ImportTab) -> QuerySet[ImportRow]:
        rows = ImportRow.objects.filter(tab=tab, deleted=False)
        if self.attention:
            return rows.filter(severity__gt=Severity.NONE)
        if self.outcome is None:
            return rows
        rows = rows.filter(outcome=self.outcome)
        if self.field:
            changed = ImportChange.objects.filter(tab=tab, field=self.field).values("row")
            rows = rows.filter(number__in=changed)
        return rows

    def count(self, tab: ImportTab) -> int:
        if self.attention:
            return tab.flagged_rows
        if self.outcome is None:
            return tab.rows
        if self.field:
            return ImportChange.objects.filter(tab=tab, field=self.field).count()
        return int(getattr(tab, COUNTS[self.outcome]))


OUTCOME_NAMES = {
    Outcome.NEW: "new",
    Outcome.UPDATE: "update",
    Outcome.UNCHANGED: "unchanged",
    Outcome.SKIPPED: "skipped",
}
_OUTCOMES = {name: outcome for outcome, name in OUTCOME_NAMES.items()}


@dataclass(frozen=True, slots=True)
class OutcomeFilter:
    """One link of the grid's outcome filter: "Update (40)"."""

    show: Show
    label: str
    count: int


def outcome_filters(tab: ImportTab) -> list[OutcomeFilter]:
    return [
        OutcomeFilter(Show(outcome=Outcome(value)), Outcome(value).label, getattr(tab, name))
        for value, name in COUNTS.items()
    ]


@dataclass(frozen=True, slots=True)
class FieldUpdates:
    """The confirmation's "Phone: 40 updates", with the rows behind it, per tab."""

    field: str
    label: str
    count: int
    tabs: list[tuple[ImportTab, int]]  # each tab holding some of them, and how many

    @property
    def show(self) -> str:
        return Show(outcome=Outcome.UPDATE, field=self.field).param


def field_updates(job: ImportJob) -> list[FieldUpdates]:
    """Per field the plan updates: how many rows change it, most first; one query."""
    tabs = {tab.pk: tab for tab in ImportTab.objects.filter(job=job)}
    counted = (
        ImportChange.objects.filter(job=job)
        .values_list("field", "tab_id")
        .annotate(count=Count("id"))
    )
    per_field: dict[str, list[tuple[ImportTab, int]]] = defaultdict(list)
    for name, tab_id, count in counted:
        per_field[name].append((tabs[tab_id], count))
    found = [
        FieldUpdates(
            name,
            FIELDS_BY_NAME[name].label,
            sum(count for _, count in parts),
            sorted(parts, key=lambda part: part[0].position),
        )
        for name, parts in per_field.items()
    ]
    return sorted(found, key=lambda each: (-each.count, UPDATABLE.index(each.field)))
