"""The review grid as the page shows it: one page of a tab's rows with their flags.

Presentation only: the flags come from the engine's last check (ImportFlag rows); nothing
here decides what is wrong with a cell.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet

from roster.importing.issues import IssueCode
from roster.importing.jobs.tables import column_map
from roster.importing.models import ImportFlag, ImportRow, ImportTab, Severity

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


@dataclass(slots=True)
class GridRow:
    number: int
    cells: list[Cell]
    flags: list[ImportFlag]  # of the whole row, on no column of the tab
    severity: int


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
    attention: bool  # only the rows that need attention

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


def _rows(tab: ImportTab, attention: bool) -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(tab=tab, deleted=False)
    return rows.filter(severity__gt=Severity.NONE) if attention else rows


def row_count(tab: ImportTab, attention: bool) -> int:
    return tab.flagged_rows if attention else tab.rows


def page_count(tab: ImportTab, attention: bool) -> int:
    return max(1, -(-row_count(tab, attention) // PAGE_SIZE))


def page_of_row(tab: ImportTab, number: int, attention: bool) -> int:
    """The page of the grid on which row `number` is shown."""
    before = _rows(tab, attention).filter(number__lt=number).count()
    return before // PAGE_SIZE + 1


def grid_page(tab: ImportTab, *, page: int, attention: bool) -> GridPage:
    pages = page_count(tab, attention)
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    stored = list(
        _rows(tab, attention)
        .order_by("number")
        .values_list("number", "cells", "severity")[start : start + PAGE_SIZE]
    )
    numbers = [number for number, _, _ in stored]
    by_place: dict[tuple[int, int], list[ImportFlag]] = defaultdict(list)
    if numbers:
        for flag in ImportFlag.objects.filter(tab=tab, row__in=numbers).order_by("-severity"):
            by_place[flag.row or 0, flag.column].append(flag)
    tab_flags = list(ImportFlag.objects.filter(tab=tab, row=None).order_by("id"))
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
        )
        for number, cells, severity in stored
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
    return GridPage(tab, heads, rows, page, pages, attention)


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
    """The side list: the tab's flags grouped by issue code, worst first, a few cells each."""
    counted = (
        ImportFlag.objects.filter(tab=tab)
        .exclude(row=None)
        .values("code")
        .annotate(count=Count("id"), severity=Max("severity"))
        .order_by("-severity", "code")
    )
    groups = []
    for group in counted:
        entries = list(
            ImportFlag.objects.filter(tab=tab, code=group["code"])
            .exclude(row=None)
            .order_by("row", "column")[:GROUP_ENTRIES]
        )
        code = IssueCode(group["code"])
        groups.append(
            IssueGroup(code.value, group["severity"], group["count"], code.description, entries)
        )
    return groups
