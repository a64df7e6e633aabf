"""After an edit: the flags of the rows it can affect, brought up to date at once.

edit_cell and delete_rows call these in their transaction, once the job's revision is
bumped (which locks the job's row) and only when the stored flags described the job
just before the change. The engine itself re-checks the affected rows, with the rows
their flags depend on (jobs/affected.py), so the stored flags are exactly those a full
check would store. So are the outcomes of those rows (jobs/outcomes.py): a row's outcome
changes only with its own cells or its flags. A change whose effects reach further than LIMIT rows, or that
changes the role of a row, is checked in full instead: at once for a job small enough
to check inside a request, otherwise later (the flags stay stale: `flags_current`).
"""

from collections.abc import Callable, Collection, Mapping, Sequence

from roster.importing.directory import NumberList
from roster.importing.headers import ROLE
from roster.importing.jobs.affected import KeyGraph, TooMany, affected, context
from roster.importing.jobs.check import check_job, checks_at_once
from roster.importing.jobs.flags import replace_row_flags
from roster.importing.jobs.keys import RowKeys, Uses, replace_uses, stored_uses
from roster.importing.jobs.outcomes import replace_row_outcomes
from roster.importing.jobs.tables import (
    column_map,
    decided,
    job_tabs,
    plan_rows,
    validate_rows,
)
from roster.importing.models import ImportJob, ImportRow, ImportTab

LIMIT = 2000  # rows one partial re-check may involve; beyond, the full check is as quick


def recheck_cell(job: ImportJob, tab: ImportTab, row: ImportRow, column: int) -> None:
    """Re-check after `row`'s cell in `column` was changed."""
    fields = column_map(tab).fields
    field = fields[column] if column < len(fields) else None
    if field is None:
        _flags_describe(job)  # no rule reads a column that maps to no field
    elif field == ROLE:
        _check_all(job)  # the row may move to another role: too much changes
    else:
        recheck_rows(job, [row])


def recheck_changed(
    job: ImportJob,
    rows: Callable[[], Sequence[ImportRow]],
    count: int,
    columns: Mapping[int, Collection[int]],
    *,
    kept_changed: bool = False,
) -> None:
    """Re-check after `count` rows changed at once (a group fix, find & replace, an undo).

    `columns` holds, per tab id touched, the columns whose cells changed; `kept_changed`
    says that some rows were deleted or restored. `rows` gives them as changed, made
    only when a partial re-check is worth it (not for 100,000 rows).
    """
    tabs = {tab.pk: tab for tab in ImportTab.objects.filter(job=job)}
    fields = {
        (tab_id, column): column_map(tabs[tab_id]).fields[column]
        for tab_id, found in columns.items()
        for column in found
        if column < len(tabs[tab_id].header)
    }
    if ROLE in fields.values() or not all(decided(tabs[tab_id]) for tab_id in columns):
        _check_all(job)  # rows may move to another role (or have none): too much changes
    elif not kept_changed and all(field is None for field in fields.values()):
        _flags_describe(job)  # no rule reads a column that maps to no field
    elif count > LIMIT:
        _check_all(job)
    else:
        recheck_rows(job, rows())


def recheck_rows(job: ImportJob, rows: Sequence[ImportRow]) -> None:
    """Re-check after `rows` were changed or deleted (or restored)."""
    if len(rows) > LIMIT:
        _check_all(job)  # their effects reach further still: a partial check is no quicker
    elif not rows or _recheck_some(job, job_tabs(job), rows):
        _flags_describe(job)
    else:
        _check_all(job)


def _recheck_some(job: ImportJob, tabs: Sequence[ImportTab], rows: Sequence[ImportRow]) -> bool:
    """Re-flag the rows the change can affect; False when they are too many."""
    changed = {row.pk for row in rows}
    before = stored_uses(changed)
    kept = [row for row in rows if not row.deleted]
    now = RowKeys(tabs, kept)
    validate_rows(job, tabs, kept, seen=now)
    # A deleted row holds no key any more.
    after: dict[int, Uses] = {row_id: [] for row_id in changed} | now.found
    replace_uses(job, after)
    graph = KeyGraph(job, LIMIT)
    graph.uses.update(after)
    try:
        rechecked = affected(graph, changed, before)
        needed = context(graph, rechecked)
    except TooMany:
        return False
    stored = ImportRow.objects.filter(pk__in=NumberList(needed)).only(
        "tab_id", "number", "cells", "lossy", "severity", "deleted", "outcome"
    )
    seen = list(stored)
    plan = plan_rows(job, tabs, [row for row in seen if not row.deleted])
    rows = [row for row in seen if row.pk in rechecked]
    replace_row_flags(job, tabs, rows, plan.issues)
    replace_row_outcomes(job, tabs, rows, plan)
    return True


def _flags_describe(job: ImportJob) -> None:
    """The stored flags (and keys) now describe the job's current revision."""
    ImportJob.objects.filter(pk=job.pk).update(flagged_revision=job.revision)
    job.flagged_revision = job.revision


def _check_all(job: ImportJob) -> None:
    if checks_at_once(job):
        check_job(job)
    # Otherwise the flags stay stale (job.flags_current is False) until the full check
    # that the caller runs in a task, as after a change of column mapping.
