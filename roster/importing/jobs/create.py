"""An uploaded file or pasted text → a stored import job with its tabs and rows."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from roster.accounts.models import Account, Role
from roster.audit.log import By, record
from roster.audit.models import Action
from roster.importing.intake import decide
from roster.importing.mapping_memory import MappingMemory
from roster.importing.models import (
    ImportJob,
    ImportSource,
    ImportTab,
    RememberedMapping,
    SourceKind,
)
from roster.importing.sources import ReadResult, Table, read_file, read_text
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

    Raises the readers' ReadError (with its sentence for the admin) when a source cannot
    be read; nothing is kept then, not even the stored file.
    """
    stored: list[ImportSource] = []
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                organization=org, created_by=admin, touched_by=admin, touched_at=timezone.now()
            )
            names: set[tuple[str, str]] = set()
            memory = RememberedMapping.objects.memory_of(org.pk)
            for new in sources:
                source = _store(job, new)
                stored.append(source)
                _read_into(job, source, _read(source), names, memory)
            job.total = sum(tab.rows for tab in ImportTab.objects.filter(job=job))
            job.save(update_fields=["total", "notes"])
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


def _read(source: ImportSource) -> ReadResult:
    limits = upload_limits()
    if source.kind == SourceKind.PASTE:
        return read_text(source.text, limits=limits)
    return read_file(source.file.path, file_name=source.file_name, limits=limits)


def _read_into(
    job: ImportJob,
    source: ImportSource,
    result: ReadResult,
    names: set[tuple[str, str]],
    memory: MappingMemory,
) -> None:
    """The tables intake.decide takes, stored as tabs; its notes on the others kept on the job.

    A tab whose role is unknown is stored without one: the review asks the admin. The
    columns mapped from the organization's memory are stored as the tab's choices.
    """
    intake = decide(result, Role(source.role) if source.role else None, memory)
    job.notes.extend(intake.notes)
    for found in intake.tables:
        sheet = _unique(found.sheet, source.file_name, names) if found.sheet else ""
        tab = ImportTab.objects.create(
            organization_id=job.organization_id,
            job=job,
            source=source,
            position=ImportTab.objects.filter(job=job).count(),
            role=found.role or "",
            file_name=source.file_name,
            sheet=sheet,
            header=list(found.table.header),
            header_row=found.table.header_row,
            choices={str(each.column): each.field for each in found.recalled},
            recalled=[[each.column, each.field] for each in found.recalled],
        )
        tab.rows = _store_rows(tab, found.table)
        tab.save(update_fields=["rows"])


def _unique(sheet: str, file_name: str, names: set[tuple[str, str]]) -> str:
    """Flags find their tab by (file, sheet), so no two tabs of one job share both."""
    candidate, number = sheet or "Sheet", 1
    while (file_name, candidate) in names:
        number += 1
        candidate = f"{sheet} ({number})"
    names.add((file_name, candidate))
    return candidate


def _store_rows(tab: ImportTab, table: Table) -> int:
    """The table's rows, padded to the header's width, in multi-row statements."""
    width = len(table.header)
    # Rows are read while they are stored; a ReadError rolls the whole job back.
    rows = (
        (row.number, [*row.cells, *[""] * (width - len(row.cells))], sorted(row.lossy))
        for row in table.rows
    )
    return insert_import_rows(tab.organization_id, tab.job_id, tab.pk, rows)
