"""The review grid as the page shows it: one page of a tab's rows with their flags and
what each will do.

Presentation only: the flags and outcomes come from the engine's last check (ImportFlag,
ImportRow.outcome, ImportChange rows); nothing here decides what is wrong with a cell.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Max

from roster.importing.fields import FIELDS_BY_NAME
from roster.importing.issues import IssueCode
from roster.importing.jobs.tables import column_map
from roster.importing.models import ImportChange, ImportFlag, ImportTab, Outcome, Severity
from roster.web.outcomes import OUTCOME_NAMES, Show

PAGE_SIZE = 100
GROUP_ENTRIES = 8  # cells listed under each issue code in the side list
NAME_FIELDS = frozenset({"first_name", "last_name"})


@dataclass(slots=True)
class Cell:
    column: int
    value: str
    flags: list[ImportFlag] = field(default_factory=list)
    pinned: bool = False  # a name column at the grid's left (see _leading_names)

    @property
    def severity(self) -> int:
        return max((flag.severity for flag in self.flags), default=Severity.NONE)

    @property
    def reason(self) -> str:
        return " ".join(flag.message for flag in self.flags)


@dataclass(frozen=True, slots=True)
class RowChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(slots=True)
class GridRow:
    number: int
    cells: list[Cell]
    flags: list[ImportFlag]  # of the whole row, on no column of the tab
    severity: int
    outcome: int | None = None  # None until the row is planned
    changes: list[RowChange] = field(default_factory=list)
    skip_codes: list[str] = field(default_factory=list)  # the errors that keep it out

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label if self.outcome is not None else ""

    @property
    def outcome_name(self) -> str:
        return OUTCOME_NAMES[Outcome(self.outcome)] if self.outcome is not None else "pending"

    @property
    def explanation(self) -> str:
        """What the row will do, in words: shown on hover, focus and expansion."""
        if self.outcome == Outcome.UPDATE:
            return "Updates " + "; ".join(
                f"{change.label}: {change.old or '(empty)'} → {change.new}"
                for change in self.changes
            )
        if self.outcome == Outcome.SKIPPED:
            reasons = [f"{IssueCode(code).description} ({code})" for code in self.skip_codes]
            return "Skipped: " + (" ".join(reasons) or "an error keeps it out.")
        if self.outcome == Outcome.NEW:
            return "A new user will be added."
        if self.outcome == Outcome.UNCHANGED:
            return "Already in Roster as it is: nothing changes."
        return "Not checked yet."


@dataclass(frozen=True, slots=True)
class Head:
    column: int
    text: str
    field: str  # "" when the column is ignored
    flags: list[ImportFlag]
    sample: str = ""  # the column's first value on this page, shown under its menu
    pinned: bool = False  # a name column at the left: it stays in view as the grid scrolls


@dataclass(frozen=True, slots=True)
class GridPage:
    tab: ImportTab
    heads: list[Head]
    rows: list[GridRow]
    number: int
    pages: int
    show: Show
    count: int  # rows the filter shows, on every page

    @property
    def field_label(self) -> str:
        field = FIELDS_BY_NAME.get(self.show.field)
        return field.label if field else self.show.field

    @property
    def first_row(self) -> int | None:
        return self.rows[0].number if self.rows else None


@dataclass(frozen=True, slots=True)
class IssueGroup:
    code: str
    severity: int
    count: int
    description: str
    entries: list[ImportFlag]

    @property
    def heading(self) -> str:
        return IssueCode(self.code).heading


def page_of_row(tab: ImportTab, number: int, show: Show) -> int:
    """The page of the grid on which row `number` is shown."""
    before = show.rows(tab).filter(number__lt=number).count()
    return before // PAGE_SIZE + 1


def grid_page(tab: ImportTab, *, page: int, show: Show) -> GridPage:
    count = show.count(tab)
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    stored = list(
        show.rows(tab)
        .order_by("number")
        .values_list("number", "cells", "severity", "outcome")[start : start + PAGE_SIZE]
    )
    numbers = [number for number, *_ in stored]
    by_place: dict[tuple[int, int], list[ImportFlag]] = defaultdict(list)
    errors: dict[int, list[str]] = defaultdict(list)
    changes: dict[int, list[RowChange]] = defaultdict(list)
    if numbers:
        for flag in ImportFlag.objects.filter(tab=tab, row__in=numbers).order_by("-severity"):
            by_place[flag.row or 0, flag.column].append(flag)
            if flag.severity == Severity.ERROR and flag.code not in errors[flag.row or 0]:
                errors[flag.row or 0].append(flag.code)
        found = ImportChange.objects.filter(tab=tab, row__in=numbers).order_by("id")
        for change in found:
            label = FIELDS_BY_NAME[change.field].label
            changes[change.row].append(RowChange(change.field, label, change.old, change.new))
    tab_flags = list(ImportFlag.objects.filter(tab=tab, row=None).order_by("id"))
    tab_errors = list(dict.fromkeys(f.code for f in tab_flags if f.severity == Severity.ERROR))
    fields = column_map(tab).fields
    pinned = _leading_names(fields)
    width = len(tab.header)
    rows = [
        GridRow(
            number=number,
            cells=[
                Cell(
                    column,
                    cells[column] if column < len(cells) else "",
                    by_place[number, column],
                    pinned=column < pinned,
                )
                for column in range(width)
            ],
            flags=by_place[number, -1],
            severity=severity,
            outcome=outcome,
            changes=changes[number],
            skip_codes=errors[number] or tab_errors,
        )
        for number, cells, severity, outcome in stored
    ]
    heads = [
        Head(
            column=index,
            text=text,
            field=fields[index] or "",
            flags=[flag for flag in tab_flags if flag.column == index],
            sample=next((value for row in rows if (value := row.cells[index].value)), ""),
            pinned=index < pinned,
        )
        for index, text in enumerate(tab.header)
    ]
    return GridPage(tab, heads, rows, page, pages, show, count)


def _leading_names(fields: Sequence[str | None]) -> int:
    """How many name columns the grid starts with: they stay in view as it scrolls sideways."""
    count = 0
    while count < len(fields) and fields[count] in NAME_FIELDS:
        count += 1
    return count


def tab_issues(tab: ImportTab) -> list[ImportFlag]:
    """Errors of the whole tab (a required field no column holds), shown above the grid."""
    tab_errors = ImportFlag.objects.filter(tab=tab, row=None, severity=Severity.ERROR)
    return list(tab_errors.order_by("id"))


def issue_groups(tab: ImportTab) -> list[IssueGroup]:
    """The side list: every flag of the tab grouped by issue code, worst first, a few places
    each. Tab-level flags (a required field no column holds, a column used twice, one that
    will be ignored) are listed too, first, so the list counts what the tab's counts count."""
    counted = (
        ImportFlag.objects.filter(tab=tab)
        .values("code")
        .annotate(count=Count("id"), severity=Max("severity"))
        .order_by("-severity", "code")
    )
    groups = []
    for group in counted:
        entries = list(
            ImportFlag.objects.filter(tab=tab, code=group["code"]).order_by(
                F("row").asc(nulls_first=True), "column", "id"
            )[:GROUP_ENTRIES]
        )
        code = IssueCode(group["code"])
        groups.append(
            IssueGroup(code.value, group["severity"], group["count"], code.description, entries)
        )
    return groups
