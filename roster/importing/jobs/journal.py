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

from django.db import transaction
from django.db.models import F

from roster.importing.jobs.recheck import recheck_changed
from roster.importing.jobs.revision import EditError, bump_revision
from roster.importing.models import ImportJob, ImportRow, ImportStep, ImportTab
from roster.importing.writes import update_import_rows


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row a step touches: where it is, and its state before and after."""

    row_id: int
    tab_id: int
    number: int
    cells: list[str]
    lossy: list[int]
    deleted: bool
    new_cells: list[str]
    new_lossy: list[int]
    new_deleted: bool

    def stored(self) -> list[object]:
        return [
            self.row_id,
            self.tab_id,
            self.number,
            self.cells,
            self.lossy,
            self.deleted,
            self.new_cells,
            self.new_lossy,
            self.new_deleted,
        ]

    def reversed(self) -> "RowChange":
        return RowChange(
            self.row_id,
            self.tab_id,
            self.number,
            self.new_cells,
            self.new_lossy,
            self.new_deleted,
            self.cells,
            self.lossy,
            self.deleted,
        )


def _from_stored(entry: list[object]) -> RowChange:
    return RowChange(*entry)  # type: ignore[arg-type]


def change_rows(
    job: ImportJob, label: str, changes: Sequence[RowChange], *, flags_were_current: bool
) -> None:
    """Write `changes`, record them as one step, and bring the flags up to date."""
    _write(job, changes, flags_were_current=flags_were_current)
    record(job, label, rows=[change.stored() for change in changes])


def record(
    job: ImportJob,
    label: str,
    *,
    rows: list[list[object]] | None = None,
    choices: dict[str, list[dict[str, str]]] | None = None,
) -> None:
    """Keep a step for undo; the steps undone before it can no longer be redone."""
    ImportStep.objects.filter(job=job, undone=True).delete()
    ImportStep.objects.create(
        organization_id=job.organization_id,
        job=job,
        label=label[:200],
        rows=rows or [],
        choices=choices or {},
    )


def _write(job: ImportJob, changes: Sequence[RowChange], *, flags_were_current: bool) -> None:
    """The rows' new state, the row counts, and (if they were current) the flags."""
    update_import_rows(
        job.organization_id,
        (
            (change.row_id, change.new_cells, change.new_lossy, change.new_deleted)
            for change in changes
        ),
    )
    kept: dict[int, int] = defaultdict(int)
    columns: dict[int, set[int]] = defaultdict(set)
    for change in changes:
        kept[change.tab_id] += change.deleted - change.new_deleted
        columns[change.tab_id].update(_changed_columns(change.cells, change.new_cells))
    for tab_id, delta in kept.items():
        if delta:
            ImportTab.objects.filter(pk=tab_id).update(rows=F("rows") + delta)
    moved = sum(kept.values())
    if moved:
        ImportJob.objects.filter(pk=job.pk).update(total=F("total") + moved)
        job.total += moved
    if flags_were_current and changes:

        def rows() -> list[ImportRow]:
            return [
                ImportRow(
                    pk=change.row_id,
                    tab_id=change.tab_id,
                    number=change.number,
                    cells=change.new_cells,
                    lossy=change.new_lossy,
                    deleted=change.new_deleted,
                )
                for change in changes
            ]

        moved_any = _any_moved(changes)
        recheck_changed(job, rows, len(changes), columns, kept_changed=moved_any)


def _any_moved(changes: Sequence[RowChange]) -> bool:
    return any(change.deleted != change.new_deleted for change in changes)


def _changed_columns(before: list[str], after: list[str]) -> set[int]:
    width = max(len(before), len(after))
    padded = before + [""] * (width - len(before)), after + [""] * (width - len(after))
    return {index for index in range(width) if padded[0][index] != padded[1][index]}


@dataclass(frozen=True, slots=True)
class Steps:
    """What Undo and Redo would do now, for their buttons (None: nothing to undo/redo)."""

    undo: str | None
    redo: str | None


def next_steps(job: ImportJob) -> Steps:
    steps = ImportStep.objects.filter(job=job)
    undo = steps.filter(undone=False).order_by("-id").values_list("label", flat=True).first()
    redo = steps.filter(undone=True).order_by("id").values_list("label", flat=True).first()
    return Steps(undo, redo)


@transaction.atomic
def undo(job: ImportJob) -> str:
    """Undo the latest step not undone; returns its label."""
    flags_were_current = bump_revision(job)
    step = ImportStep.objects.filter(job=job, undone=False).order_by("-id").first()
    if step is None:
        raise EditError("There is nothing to undo.")
    _replay(job, step, backwards=True, flags_were_current=flags_were_current)
    ImportStep.objects.filter(pk=step.pk).update(undone=True)
    return step.label


@transaction.atomic
def redo(job: ImportJob) -> str:
    """Make again the step undone last; returns its label."""
    flags_were_current = bump_revision(job)
    step = ImportStep.objects.filter(job=job, undone=True).order_by("id").first()
    if step is None:
        raise EditError("There is nothing to redo.")
    _replay(job, step, backwards=False, flags_were_current=flags_were_current)
    ImportStep.objects.filter(pk=step.pk).update(undone=False)
    return step.label


def _replay(job: ImportJob, step: ImportStep, *, backwards: bool, flags_were_current: bool) -> None:
    changes = [_from_stored(entry) for entry in step.rows]
    if backwards:
        changes = [change.reversed() for change in changes]
    for tab_id, (before, after) in step.choices.items():
        ImportTab.objects.filter(pk=int(tab_id), job=job).update(
            choices=before if backwards else after
        )
    # A mapping change leaves the flags for a full check, undone or redone alike.
    _write(job, changes, flags_were_current=flags_were_current and not step.choices)
