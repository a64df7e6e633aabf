"""A stored job → the engine's inputs: its tabs as tables, with the admin's column choices."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from roster.accounts.models import Role
from roster.importing.apply import Outcome
from roster.importing.directory import Directory
from roster.importing.headers import ColumnMap
from roster.importing.intake import columns_for, needs_role
from roster.importing.models import ImportJob, ImportRow, ImportTab
from roster.importing.pipeline import Preview, apply_import
from roster.importing.plan import Plan, plan_import
from roster.importing.progress import Report
from roster.importing.sources import Row, Table
from roster.importing.validate import (
    Progress,
    Seen,
    TableInput,
    Validated,
    validate_import,
)

CHUNK = 5000


def column_map(tab: ImportTab) -> ColumnMap:
    """The engine's mapping of the tab's header, with the admin's choices applied."""
    return _column_map(tuple(tab.header), tab.role, tuple(sorted(tab.choices.items())))


def tab_role(tab: ImportTab) -> Role | None:
    """The tab's role (with a role column: of rows whose cell is blank); None if none yet."""
    return Role(tab.role) if tab.role else None


def decided(tab: ImportTab) -> bool:
    """The tab has a role or a role column: the engine can read it (intake.needs_role)."""
    return not needs_role(column_map(tab), tab_role(tab))


def undecided_tabs(job: ImportJob) -> list[ImportTab]:
    """Tabs whose role the admin must choose before the import can be checked and applied."""
    return [tab for tab in ImportTab.objects.filter(job=job) if not decided(tab)]


# Reading headers costs about a millisecond a tab, and an edit's re-check maps every tab
# of the job; a tab's mapping changes only when the admin maps a column.
@lru_cache(maxsize=512)
def _column_map(
    header: tuple[str, ...], role: str, choices: tuple[tuple[str, str], ...]
) -> ColumnMap:
    columns = columns_for(header, Role(role) if role else None)
    for column, field in choices:
        columns = columns.with_choice(int(column), field or None)
    return columns


def table_inputs(
    tabs: Sequence[ImportTab], rows_of: Callable[[ImportTab], Iterable[Row]]
) -> list[TableInput]:
    """Every tab of a job, in order, with the rows `rows_of` gives for it."""
    return [
        TableInput(
            table=Table(tab.sheet, tuple(tab.header), tab.header_row, iter(rows_of(tab))),
            columns=column_map(tab),
            role=tab_role(tab),
            file=tab.file_name or None,
            sheet=tab.sheet,
        )
        for tab in tabs
    ]


def job_tabs(job: ImportJob) -> list[ImportTab]:
    """The tabs the engine reads, in import order: a flag's source index is a position in
    this list. A tab still waiting for its role is left out until the admin chooses it."""
    return [tab for tab in ImportTab.objects.filter(job=job).order_by("position") if decided(tab)]


def _stored_rows(tab: ImportTab) -> Iterator[Row]:
    stored = (
        ImportRow.objects.filter(tab=tab, deleted=False)
        .order_by("number")
        .values_list("number", "cells", "lossy")
    )
    for number, cells, lossy in stored.iterator(chunk_size=CHUNK):
        yield Row(number, tuple(cells), frozenset(lossy))


def preview_tables(
    job: ImportJob, progress: Progress | None = None, seen: Seen | None = None
) -> Preview:
    """The engine's preview of the job's rows as they are now (nothing is written).

    The same three steps as pipeline.preview_import; which tables hold whom was decided
    when the job was created (intake.decide), and each tab keeps its role and choices.
    """
    tables = tuple(table_inputs(job_tabs(job), _stored_rows))
    validated = validate_import(
        tables, region=job.organization.default_region, progress=progress, seen=seen
    )
    return Preview(plan=_plan(job, validated), tables=tables)


def validate_rows(
    job: ImportJob, tabs: Sequence[ImportTab], rows: Iterable[ImportRow], seen: Seen | None = None
) -> Validated:
    """Validation of some of the job's rows, as if the import held only those.

    Every tab is passed, even without rows, so sources keep their indexes and issues
    name files as they do for the whole import.
    """
    by_tab: dict[int, list[Row]] = {tab.pk: [] for tab in tabs}
    for row in sorted(rows, key=lambda row: row.number):
        by_tab[row.tab_id].append(Row(row.number, tuple(row.cells), frozenset(row.lossy)))
    tables = table_inputs(tabs, lambda tab: by_tab[tab.pk])
    return validate_import(tables, region=job.organization.default_region, seen=seen)


def plan_rows(job: ImportJob, tabs: Sequence[ImportTab], rows: Iterable[ImportRow]) -> Plan:
    """The engine's plan of some of the job's rows (see validate_rows)."""
    return _plan(job, validate_rows(job, tabs, rows))


def _plan(job: ImportJob, validated: Validated) -> Plan:
    directory = Directory.load(job.organization, validated.identity_keys())
    return plan_import(validated, directory)


def apply_preview(job: ImportJob, preview: Preview, progress: Report | None = None) -> Outcome:
    assert job.invite is not None
    return apply_import(
        preview, org=job.organization, invite=job.invite, progress=progress, job_id=job.pk
    )
