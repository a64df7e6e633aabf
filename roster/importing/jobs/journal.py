"""Undo and redo of review steps, kept with the import (ImportStep) for any browser.

Every step that changes rows goes through `change_rows`: it writes the rows' new state in
bulk (one statement per 50,000 rows), keeps the tabs' and job's row counts, records the
step with each touched row's state before and after, and re-checks the rows it touched.
A mapping change records the tab's column choices instead (its flags wait for a full
check, as any mapping change's). A new step drops the steps undone (the redo stack).

Undo writes a step's "before" states back, redo its "after" states: the rows, and so
(once re-checked) the flags, are exactly what they were.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import F, QuerySet

from roster.importing.jobs.recheck import recheck_changed
from roster.importing.jobs.revision import EditError, bump_revision
from roster.importing.models import ImportJob, ImportRow, ImportStep, ImportTab
from roster.importing.writes import update_import_rows


class RowChange(NamedTuple):
    """One row a step touches: where it is, and its state before and after. Stored as a
    JSON array in ImportStep.rows (a tuple: 100,000 of them are made in a blink)."""

    row_id: int
    tab_id: int
    number: int
    cells: list[str]
    lossy: list[int]
    deleted: bool
    new_cells: list[str]
    new_lossy: list[int]
    new_deleted: bool


type Columns = dict[str, list[int]]  # tab id → the columns whose cells a step changed
_BEFORE, _AFTER = slice(3, 6), slice(6, 9)  # a stored row's (cells, lossy, deleted)


def change_rows(
    job: ImportJob,
    label: str,
    changes: Sequence[RowChange],
    columns: Columns,
    *,
    flags_were_current: bool,
) -> None:
    """Write `changes` (cells changed in `columns`), record them as one step, and bring
    the flags up to date."""
    moved = any(change.deleted != change.new_deleted for change in changes)
    _write(job, changes, _AFTER, columns, moved, flags_were_current=flags_were_current)
    record(job, label, rows=changes, columns=columns, moved=moved)


def record(
    job: ImportJob,
    label: str,
    *,
    rows: Sequence[Sequence[object]] = (),
    columns: Columns | None = None,
    moved: bool = False,
    choices: dict[str, list[dict[str, str]]] | None = None,
) -> None:
    """Keep a step for undo; the steps undone before it can no longer be redone."""
    ImportStep.objects.filter(job=job, undone=True).delete()
    ImportStep.objects.create(
        organization_id=job.organization_id,
        job=job,
        label=label[:200],
        rows=list(rows),
        columns=columns or {},
        moved=moved,
        choices=choices or {},
    )


def _write(
    job: ImportJob,
    changes: Sequence[Sequence[Any]],
    state: slice,
    columns: Columns,
    moved: bool,
    *,
    flags_were_current: bool,
) -> None:
    """Set each row to its `state` (before or after), the row counts, and (if they were
    current) the flags."""
    update_import_rows(job.organization_id, ((change[0], *change[state]) for change in changes))
    if moved:
        _count_rows(job, changes, state)
    if flags_were_current and changes:

        def rows() -> list[ImportRow]:
            return [
                ImportRow(
                    pk=change[0],
                    tab_id=change[1],
                    number=change[2],
                    cells=change[state][0],
                    lossy=change[state][1],
                    deleted=change[state][2],
                )
                for change in changes
            ]

        touched = {int(tab_id): found for tab_id, found in columns.items()}
        for change in changes:
            touched.setdefault(change[1], [])
        recheck_changed(job, rows, len(changes), touched, kept_changed=moved)


def _count_rows(job: ImportJob, changes: Sequence[Sequence[Any]], state: slice) -> None:
    """Rows deleted or restored: the tabs' and the job's counts of kept rows."""
    kept: dict[int, int] = defaultdict(int)
    was = _BEFORE if state == _AFTER else _AFTER
    for change in changes:
        kept[change[1]] += bool(change[was][2]) - bool(change[state][2])
    for tab_id, delta in kept.items():
        if delta:
            ImportTab.objects.filter(pk=tab_id).update(rows=F("rows") + delta)
    moved = sum(kept.values())
    if moved:
        ImportJob.objects.filter(pk=job.pk).update(total=F("total") + moved)
        job.total += moved


@dataclass(frozen=True, slots=True)
class Steps:
    """What Undo and Redo would do now, for their buttons (None: nothing to undo/redo)."""

    undo: str | None
    redo: str | None


def _next(job: ImportJob, *, undone: bool) -> QuerySet[ImportStep]:
    """The step Undo (the latest not undone) or Redo (the earliest undone) would replay."""
    steps = ImportStep.objects.filter(job=job, undone=undone)
    return steps.order_by("id" if undone else "-id")


def next_steps(job: ImportJob) -> Steps:
    labels = [
        _next(job, undone=undone).values_list("label", flat=True).first()
        for undone in (False, True)
    ]
    return Steps(*labels)


@transaction.atomic
def undo(job: ImportJob) -> str:
    """Undo the latest step not undone; returns its label."""
    return _step(job, backwards=True)


@transaction.atomic
def redo(job: ImportJob) -> str:
    """Make again the step undone last; returns its label."""
    return _step(job, backwards=False)


def _step(job: ImportJob, *, backwards: bool) -> str:
    flags_were_current = bump_revision(job)
    step = _next(job, undone=not backwards).first()
    if step is None:
        raise EditError(f"There is nothing to {'undo' if backwards else 'redo'}.")
    _replay(job, step, backwards=backwards, flags_were_current=flags_were_current)
    ImportStep.objects.filter(pk=step.pk).update(undone=backwards)
    return step.label


def _replay(job: ImportJob, step: ImportStep, *, backwards: bool, flags_were_current: bool) -> None:
    for tab_id, (before, after) in step.choices.items():
        ImportTab.objects.filter(pk=int(tab_id), job=job).update(
            choices=before if backwards else after
        )
    # A mapping change leaves the flags for a full check, undone or redone alike.
    _write(
        job,
        step.rows,
        _BEFORE if backwards else _AFTER,
        step.columns,
        step.moved,
        flags_were_current=flags_were_current and not step.choices,
    )
