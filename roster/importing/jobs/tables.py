"""A stored job → the engine's inputs: its tabs as tables, with the admin's column choices."""

from collections.abc import Iterator

from roster.accounts.models import Role
from roster.importing.apply import Outcome
from roster.importing.directory import Directory
from roster.importing.headers import ColumnMap, map_headers
from roster.importing.models import ImportJob, ImportRow, ImportTab
from roster.importing.pipeline import Preview, apply_import
from roster.importing.plan import plan_import
from roster.importing.sources import Row, Table
from roster.importing.validate import Progress, TableInput, validate_import

CHUNK = 5000


def column_map(tab: ImportTab) -> ColumnMap:
    """The engine's mapping of the tab's header, with the admin's choices applied."""
    columns = map_headers(tab.header, Role(tab.role))
    for column, field in tab.choices.items():
        columns = columns.with_choice(int(column), field or None)
    return columns


def table_inputs(job: ImportJob) -> list[TableInput]:
    return [
        TableInput(
            table=Table(tab.sheet, tuple(tab.header), tab.header_row, _rows(tab)),
            columns=column_map(tab),
            role=Role(tab.role),
            file=tab.file_name or None,
            sheet=tab.sheet,
        )
        for tab in ImportTab.objects.filter(job=job).order_by("position")
    ]


def _rows(tab: ImportTab) -> Iterator[Row]:
    stored = (
        ImportRow.objects.filter(tab=tab, deleted=False)
        .order_by("number")
        .values_list("number", "cells", "lossy")
    )
    for number, cells, lossy in stored.iterator(chunk_size=CHUNK):
        yield Row(number, tuple(cells), frozenset(lossy))


def preview_tables(job: ImportJob, progress: Progress | None = None) -> Preview:
    """The engine's preview of the job's rows as they are now (nothing is written).

    The same three steps as pipeline.preview_import, which takes readers' results and
    one role for every single table; a job already knows each tab's role and choices.
    """
    tables = tuple(table_inputs(job))
    validated = validate_import(tables, region=job.organization.default_region, progress=progress)
    directory = Directory.load(job.organization, validated.identity_keys())
    return Preview(plan=plan_import(validated, directory), tables=tables)


def apply_preview(job: ImportJob, preview: Preview) -> Outcome:
    assert job.invite is not None
    return apply_import(preview, org=job.organization, invite=job.invite)
