"""The review's round trip: its rows as a fix file, and a fixed file back into the review.

Download: every tab's rows that need attention (or all of them) with their flags
(fix_file.write_fix_file). Upload: the rows it holds replace the rows of the same number,
in one change; every other row, and every other edit, stays as it is.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import batched

from django.db import transaction

from roster.audit.log import By, record
from roster.audit.models import Action
from roster.importing.directory import NumberList
from roster.importing.fix_file import (
    EXCEL_CELL_CHARS,
    FixedRow,
    FixFileError,
    FixRow,
    FixTab,
    fixed_rows,
    sheet_names,
)
from roster.importing.jobs import journal
from roster.importing.jobs.journal import RowChange
from roster.importing.jobs.revision import bump_revision
from roster.importing.jobs.tables import decided
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportTab, Severity
from roster.importing.sources import ReadResult

BATCH = 2000
CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Replaced:
    """What an uploaded fix file did."""

    changed: int  # rows whose cells differ from the review's
    unchanged: int  # rows sent back as they were
    gone: int  # rows deleted from the review since the download: not brought back


def fix_tabs(job: ImportJob, *, attention: bool) -> list[FixTab]:
    """The job's tabs as the fix file shows them; rows stream from the database. A tab
    whose role is not chosen yet is left out: the review cannot edit it either."""
    return [
        FixTab(name, tab.header, _rows(tab, attention))
        for name, tab in _named_tabs(job).items()
        if decided(tab)
    ]


def _named_tabs(job: ImportJob) -> dict[str, ImportTab]:
    """The job's tabs by their worksheet names (the same for every download of the job)."""
    tabs = list(ImportTab.objects.filter(job=job).order_by("position"))
    names = sheet_names([tab.sheet or tab.file_name or "Pasted text" for tab in tabs])
    return dict(zip(names, tabs, strict=True))


def _rows(tab: ImportTab, attention: bool) -> Iterator[FixRow]:
    problems: dict[int | None, list[tuple[int, str]]] = defaultdict(list)
    flags = ImportFlag.objects.filter(tab=tab, row__isnull=False).order_by("row", "column", "id")
    for row, column, label, message in flags.values_list(
        "row", "column", "column_label", "message"
    ):
        problems[row].append((column, f"{label}: {message}" if label else message))
    rows = ImportRow.objects.filter(tab=tab, deleted=False)
    if attention:
        rows = rows.filter(severity__gt=Severity.NONE)
    stored = rows.order_by("number").values_list("number", "cells")
    for number, cells in stored.iterator(chunk_size=CHUNK):
        yield FixRow(number, cells, problems.get(number, ()))


@transaction.atomic
def replace_rows(job: ImportJob, result: ReadResult, *, by: By) -> Replaced:
    """The rows of an uploaded fix file replace the review's rows of the same number.

    All or nothing: fix_file.FixFileError (nothing changed) when the file is not a fix
    file of this import. Counts as one change of the job; the flags are re-checked as
    after a deletion (jobs/recheck.py).
    """
    by_name = _named_tabs(job)
    uploaded = fixed_rows(result, {name: tab.header for name, tab in by_name.items()})
    for name in uploaded:
        if not decided(by_name[name]):
            raise FixFileError(
                f"Choose whom tab “{name}” lists (students, instructors or parents) in the"
                " review first; then its rows can be replaced."
            )
    flags_were_current = bump_revision(job)
    changed: list[RowChange] = []
    columns: dict[str, set[int]] = defaultdict(set)
    sent = 0
    found = 0
    for name, rows in uploaded.items():
        sent += len(rows)
        for batch in batched(rows, BATCH, strict=False):
            stored, hits = _replace(by_name[name], batch)
            changed.extend(stored)
            found += hits
    for change in changed:
        columns[str(change.tab_id)].update(_differing(change.cells, change.new_cells))
    if changed:  # one step of the review: written, re-checked, and undone as one
        label = f"replace {len(changed):,} row{'s' if len(changed) != 1 else ''} from a fix file"
        wanted = {tab: sorted(found_columns) for tab, found_columns in columns.items()}
        journal.change_rows(job, label, changed, wanted, flags_were_current=flags_were_current)
    replaced = Replaced(changed=len(changed), unchanged=found - len(changed), gone=sent - found)
    detail = {"changed": replaced.changed, "unchanged": replaced.unchanged, "gone": replaced.gone}
    record(job.organization_id, Action.SENT_FIX_FILE, by=by, import_job=job, detail=detail)
    return replaced


def _differing(before: list[str], after: list[str]) -> set[int]:
    width = max(len(before), len(after))
    padded = [*before, *[""] * (width - len(before))], [*after, *[""] * (width - len(after))]
    return {index for index in range(width) if padded[0][index] != padded[1][index]}


def _replace(tab: ImportTab, batch: tuple[FixedRow, ...]) -> tuple[list[RowChange], int]:
    """The stored rows of `batch` whose cells change, before and after (not saved); and
    how many of the batch's rows the review still has."""
    numbers = NumberList([row.number for row in batch])
    stored = {
        row.number: row
        for row in ImportRow.objects.filter(tab=tab, number__in=numbers, deleted=False)
    }
    changed: list[RowChange] = []
    for fixed in batch:
        row = stored.get(fixed.number)
        if row is None:
            continue
        before = [*row.cells, *[""] * (len(fixed.cells) - len(row.cells))]
        cells = [_whole(sent, was) for sent, was in zip(fixed.cells, before, strict=False)]
        if cells != before:
            # A cell sent back as it was keeps what the first reading of it lost.
            kept = {
                index for index in row.lossy if index < len(cells) and cells[index] == before[index]
            }
            lossy = sorted(kept | fixed.lossy)
            changed.append(
                RowChange(
                    row.pk, tab.pk, row.number, row.cells, row.lossy, False, cells, lossy, False
                )
            )
    return changed, len(stored)


def _whole(sent: str, was: str) -> str:
    """A value longer than a spreadsheet cell went out cut (fix_file.EXCEL_CELL_CHARS); sent
    back as it went out, it is the review's whole value still."""
    return was if len(was) > EXCEL_CELL_CHARS and sent == was[:EXCEL_CELL_CHARS] else sent
