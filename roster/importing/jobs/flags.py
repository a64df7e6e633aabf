"""The engine's issues → stored flags, row severities and tab counts.

Two writers share the placing of issues: check_job replaces every flag of the job, and an
edit's re-check replaces the flags of the rows it affects, moving the counts by deltas.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import batched

from django.db.models import Case, Count, F, Q, QuerySet, Value, When

from roster.importing.directory import NumberList
from roster.importing.issues import Issue
from roster.importing.issues import Severity as IssueSeverity
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportTab, Severity

BATCH = 900  # ids per UPDATE … WHERE number IN (…): under SQLite's parameter limit


def flag_of(job: ImportJob, tabs: Sequence[ImportTab], issue: Issue) -> ImportFlag:
    tab = _tab_of(tabs, issue)
    column = tab.header.index(issue.column) if issue.column in tab.header else -1
    return ImportFlag(
        organization_id=job.organization_id,
        job=job,
        tab=tab,
        row=issue.row,
        column=column,
        column_label=issue.column or "",
        code=issue.code.value,
        severity=Severity.ERROR if issue.severity is IssueSeverity.ERROR else Severity.WARNING,
        message=issue.message,
    )


def _tab_of(tabs: Sequence[ImportTab], issue: Issue) -> ImportTab:
    for tab in tabs:
        if tab.sheet == issue.sheet and (tab.file_name or None) == issue.file:
            return tab
    # Rows with a role column of their own: the engine names the role's tab.
    return next((tab for tab in tabs if tab.sheet == issue.sheet), tabs[0])


def mark_rows(tab: ImportTab, flags: Iterable[ImportFlag]) -> None:
    """Set every row's severity and the tab's counts from all of the tab's flags."""
    worst: dict[int, int] = defaultdict(int)
    counts: Counter[int] = Counter()
    for flag in flags:
        counts[flag.severity] += 1
        if flag.row is not None:
            worst[flag.row] = max(worst[flag.row], flag.severity)
    ImportRow.objects.filter(tab=tab, severity__gt=0).update(severity=Severity.NONE)
    for severity in (Severity.WARNING, Severity.ERROR):
        numbers = [number for number, found in worst.items() if found == severity]
        for batch in batched(numbers, BATCH, strict=False):
            ImportRow.objects.filter(tab=tab, number__in=batch).update(severity=severity)
    ImportTab.objects.filter(pk=tab.pk).update(
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        flagged_rows=len(worst),
        rows=ImportRow.objects.filter(tab=tab, deleted=False).count(),
    )


def replace_row_flags(
    job: ImportJob, tabs: Sequence[ImportTab], rows: Sequence[ImportRow], issues: Iterable[Issue]
) -> None:
    """Replace the flags of `rows` (and their severities) with those among `issues`.

    `rows` carry their stored severity; the tabs' counts move by the difference, so the
    cost follows the rows re-checked, not the size of the job.
    """
    if not rows:
        return
    places = {(row.tab_id, row.number): row for row in rows}
    flags = [flag_of(job, tabs, issue) for issue in issues if issue.row is not None]
    flags = [flag for flag in flags if (flag.tab_id, flag.row) in places]
    stored = _flags_of(job, rows)
    counted = stored.values("tab_id", "severity").annotate(n=Count("id"))
    deltas: dict[int, Counter[str]] = defaultdict(Counter)
    for tab_id, severity, n in counted.values_list("tab_id", "severity", "n"):
        deltas[tab_id][_COUNTED[severity]] -= n
    stored.delete()
    ImportFlag.objects.bulk_create(flags)
    worst: dict[int, int] = defaultdict(int)
    for flag in flags:
        row = places[flag.tab_id, flag.row or 0]
        worst[row.pk] = max(worst[row.pk], flag.severity)
        deltas[flag.tab_id][_COUNTED[flag.severity]] += 1
    for row in rows:
        deltas[row.tab_id]["flagged_rows"] += (worst[row.pk] > 0) - (row.severity > 0)
    _set_severities(rows, worst)
    for tab_id, delta in deltas.items():
        changes = {name: F(name) + n for name, n in delta.items() if n}
        if changes:
            ImportTab.objects.filter(pk=tab_id).update(**changes)


_COUNTED: dict[int, str] = {Severity.ERROR: "errors", Severity.WARNING: "warnings"}


def _flags_of(job: ImportJob, rows: Sequence[ImportRow]) -> QuerySet[ImportFlag]:
    numbers: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        numbers[row.tab_id].append(row.number)
    where = Q()
    for tab_id, found in numbers.items():
        where |= Q(tab_id=tab_id, row__in=NumberList(found))
    return ImportFlag.objects.filter(where, job=job)


def _set_severities(rows: Sequence[ImportRow], worst: dict[int, int]) -> None:
    changed = [row for row in rows if row.severity != worst[row.pk]]
    if not changed:
        return
    by_severity: dict[int, list[int]] = defaultdict(list)
    for row in changed:
        by_severity[worst[row.pk]].append(row.pk)
    ImportRow.objects.filter(pk__in=NumberList([row.pk for row in changed])).update(
        severity=Case(
            *(
                When(pk__in=NumberList(ids), then=Value(level))
                for level, ids in by_severity.items()
            ),
            default=Value(Severity.NONE),
        )
    )
