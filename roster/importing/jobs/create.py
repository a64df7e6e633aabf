"""An uploaded file or pasted text → a stored import job with its tabs and rows."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from roster.accounts.models import Account, Role
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.importing.intake import Decision, columns_for, decide_files
from roster.importing.mapping_memory import MappingMemory
from roster.importing.models import (
    ImportJob,
    ImportSource,
    ImportTab,
    RememberedMapping,
    SourceKind,
)
from roster.importing.pipeline import unique_sheet
from roster.importing.rowcheck import Flag
from roster.importing.sources import Given, ReadResult, Row, Table, read_given, read_text
from roster.importing.summary import issue_dict
from roster.importing.upload_limits import upload_limits
from roster.importing.writes import insert_import_rows
from roster.orgs.models import Organization


@dataclass(frozen=True, slots=True)
class NewSource:
    """What the admin gave on one tab of Add Multiple Users: a file or pasted text."""

    role: Role | None  # the wizard's tab; None when the caller gives no role (intake.decide)
    upload: UploadedFile[bytes] | None = None
    text: str = ""


def create_job(
    org: Organization, admin: Account, sources: Sequence[NewSource], *, by: By
) -> ImportJob:
    """Store the sources and read them into rows, all or nothing.

    The files given on one tab of the wizard (several at once, or a zip's members) are
    one intake.decide_files decision: a school system's bundle among them is read as
    one. Raises the readers' ReadError (with its sentence for the admin) when a source
    cannot be read; nothing is kept then, not even the stored file.
    """
    stored: list[ImportSource] = []
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                organization=org, created_by=admin, touched_by=admin, touched_at=timezone.now()
            )
            names: set[tuple[str, str]] = set()
            memory = RememberedMapping.objects.memory_of(org.pk)
            by_tab: dict[Role | None, list[ImportSource]] = {}
            for new in sources:
                source = _store(job, new)
                stored.append(source)
                by_tab.setdefault(new.role, []).append(source)
            for role, given in by_tab.items():
                _read_into(job, role, given, names, memory)
            job.total = sum(tab.rows for tab in ImportTab.objects.filter(job=job))
            job.save(update_fields=["total", "notes", "bundle_issues"])
            detail = {"sources": [s.file_name or "pasted text" for s in stored], "rows": job.total}
            record(org, Action.UPLOADED, by=by, import_job=job, detail=detail)
    except BaseException:
        for source in stored:
            if source.file:
                source.file.delete(save=False)
        raise
    return job


def _store(job: ImportJob, new: NewSource) -> ImportSource:
    source = ImportSource(organization_id=job.organization_id, job=job, role=new.role or "")
    if new.upload is not None:
        source.kind = SourceKind.FILE
        source.file_name = _base_name(new.upload.name or "upload")
        source.file.save(source.file_name, new.upload, save=False)
    else:
        source.kind = SourceKind.PASTE
        source.text = new.text
    source.save()
    return source


def _base_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1][:200]


def _read(source: ImportSource) -> Given:
    """The source's files: itself, or each file of a zip archive."""
    limits = upload_limits()
    if source.kind == SourceKind.PASTE:
        return Given([read_text(source.text, limits=limits)])
    return read_given(source.file.path, file_name=source.file_name, limits=limits)


def _read_into(
    job: ImportJob,
    role: Role | None,
    sources: Sequence[ImportSource],
    names: set[tuple[str, str]],
    memory: MappingMemory,
) -> None:
    """The tables intake.decide_files takes from the sources of one tab, stored as tabs; its
    notes on the others and a bundle's issues on its link files kept on the job.

    A tab whose role is unknown is stored without one: the review asks the admin. A tab's
    mapping is stored as its choices where it differs from the header's own (the columns
    mapped from the organization's memory, a bundle's mapping), with a bundle's ids and
    flags (ImportTab.id_column, bundle_flags).
    """
    read: list[tuple[ImportSource, ReadResult]] = []
    for source in sources:
        given = _read(source)
        job.notes.extend(given.notes)
        read.extend((source, result) for result in given.results)
    for index, intake in decide_files([result for _, result in read], role, memory):
        source, result = read[index]
        job.notes.extend(intake.notes)
        job.bundle_issues.extend(issue_dict(issue) for issue in intake.issues)
        for found in intake.tables:
            _store_tab(job, source, result.file or "", found, names)


def _store_tab(
    job: ImportJob,
    source: ImportSource,
    file_name: str,
    found: Decision,
    names: set[tuple[str, str]],
) -> None:
    sheet = unique_sheet(found.sheet, file_name, names)
    tab = ImportTab.objects.create(
        organization_id=job.organization_id,
        job=job,
        source=source,
        position=ImportTab.objects.filter(job=job).count(),
        role=found.role or "",
        file_name=file_name,
        sheet=sheet,
        header=list(found.table.header),
        header_row=found.table.header_row,
        choices=_choices(found),
        recalled=[[each.column, each.field] for each in found.recalled],
        id_source=found.source,
        id_column=found.id_column,
    )
    flagged: dict[int, list[list[object]]] = {}
    tab.rows = _store_rows(tab, found.table, found.flags, flagged)
    tab.bundle_flags = {str(number): flags for number, flags in flagged.items()}
    tab.save(update_fields=["rows", "bundle_flags"])


def _choices(found: Decision) -> dict[str, str]:
    """Where the decision's mapping differs from the header's own (jobs/tables.column_map)."""
    own = columns_for(found.table.header, found.role)
    chosen = found.columns
    return {
        str(column): field or ""
        for column, field in enumerate(chosen.fields)
        if field != own.fields[column] or (column in chosen.ignored) != (column in own.ignored)
    }


def _store_rows(
    tab: ImportTab,
    table: Table,
    flags: dict[int, tuple[Flag, ...]],
    flagged: dict[int, list[list[object]]],
) -> int:
    """The table's rows, padded to the header's width, in multi-row statements.

    The bundle's `flags` of each row go to `flagged` as [code, column, detail, the cell's
    text]: a flag holds while its cell is as the export gave it (jobs/tables.py).
    """
    width = len(table.header)

    def padded(row: Row) -> tuple[int, list[str], list[int]]:
        cells = [*row.cells, *[""] * (width - len(row.cells))]
        for flag in flags.get(row.number, ()):
            text = cells[flag.column] if 0 <= flag.column < len(cells) else ""
            flagged.setdefault(row.number, []).append(
                [flag.code.value, flag.column, flag.detail, text]
            )
        return row.number, cells, sorted(row.lossy)

    # Rows are read while they are stored; a ReadError rolls the whole job back.
    return insert_import_rows(tab.organization_id, tab.job_id, tab.pk, map(padded, table.rows))
