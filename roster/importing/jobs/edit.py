"""The admin's review: edit a cell, delete rows, map a column, answer the invite question.

Each change is saved at once and bumps the job's revision, so the preview summary is out
of date until the next check_job. A cell edit or a deletion also brings the stored flags
up to date in the same transaction, when they were current before it (jobs/recheck.py);
a change of column mapping leaves them stale for a full check.
"""

from collections.abc import Collection

from django.db import transaction

from roster.accounts.models import PEOPLE_ROLES, Role
from roster.audit.log import By, clipped, record
from roster.audit.models import Action
from roster.importing.directory import NumberList
from roster.importing.jobs import journal
from roster.importing.jobs.journal import RowChange
from roster.importing.jobs.mappings import (
    forget_recalled,
    mapping_choices,
    recall_into,
    remember_choice,
)
from roster.importing.jobs.recheck import recheck_cell, recheck_rows
from roster.importing.jobs.revision import EDITABLE, bump_revision, no_longer_changes
from roster.importing.jobs.revision import EditError as EditError  # where callers import it
from roster.importing.jobs.tables import decided
from roster.importing.models import ImportJob, ImportRow, ImportTab
from roster.importing.people import ROLE_TAB
from roster.importing.sources.cells import cell_text
from roster.importing.upload_limits import upload_limits


def typed_cell(value: str) -> str:
    """An edited cell's text held to a file's rules: the readers' cap on a cell's length
    (a longer value is refused as a file's cell would be, not stored), the same Unicode
    form; a value longer than its field's limit is stored and flagged value_too_long."""
    limit = upload_limits().max_cell_chars
    if len(value) > limit:
        raise EditError(
            f"A cell may hold at most {limit:,} characters; this value has {len(value):,}."
        )
    if "\x00" in value:
        raise EditError("A cell cannot contain a NUL character (code 0); remove it and save again.")
    return cell_text(value)


def require_role(tab: ImportTab) -> None:
    """Refuses a change of a tab whose role the admin has not chosen yet."""
    if not decided(tab):
        raise EditError("Choose whom this tab lists (students, instructors or parents) first.")


@transaction.atomic
def edit_cell(
    job: ImportJob, tab: ImportTab, number: int, column: int, value: str, *, by: By
) -> ImportRow:
    value = typed_cell(value)
    require_role(tab)
    flags_were_current = bump_revision(job)
    row = ImportRow.objects.filter(tab=tab, number=number, deleted=False).first()
    if row is None or not 0 <= column < max(len(row.cells), len(tab.header)):
        raise EditError("There is no such cell.")
    before, lossy = list(row.cells), list(row.lossy)
    cells = list(row.cells) + [""] * (len(tab.header) - len(row.cells))
    cells[column] = value
    row.cells = cells
    row.lossy = [index for index in row.lossy if index != column]
    row.save(update_fields=["cells", "lossy"])
    change = RowChange(row.pk, tab.pk, number, before, lossy, False, cells, row.lossy, False)
    label = f"edit row {number}, {column_name(tab, column)}"
    journal.record(job, label, rows=[change], columns={str(tab.pk): [column]})
    if flags_were_current:
        recheck_cell(job, tab, row, column)
    old = before[column] if column < len(before) else ""
    detail = {**where(tab, column), "row": number, "old": clipped(old), "new": clipped(value)}
    record(job.organization_id, Action.EDITED_CELL, by=by, import_job=job, detail=detail)
    return row


def where(tab: ImportTab, column: int | None = None) -> dict[str, str]:
    """The tab (and column) an audit entry names, as the review shows them."""
    named = {"tab": tab.sheet or tab.file_name}
    return named if column is None else {**named, "column": column_name(tab, column)}


def column_name(tab: ImportTab, column: int) -> str:
    text = tab.header[column] if column < len(tab.header) else ""
    return text or f"column {column + 1}"


@transaction.atomic
def delete_rows(job: ImportJob, tab: ImportTab, numbers: Collection[int], *, by: By) -> int:
    deleted = remove_rows(job, tab, numbers)
    if deleted:
        detail = {**where(tab), "rows": deleted}
        record(job.organization_id, Action.DELETED_ROWS, by=by, import_job=job, detail=detail)
    return deleted


def remove_rows(job: ImportJob, tab: ImportTab, numbers: Collection[int]) -> int:
    """delete_rows without its audit entry, for a group fix that records its own."""
    require_role(tab)
    flags_were_current = bump_revision(job)
    rows = ImportRow.objects.filter(
        tab=tab, number__in=NumberList(list(numbers)), deleted=False
    ).values_list("pk", "number", "cells", "lossy")
    changes = [
        RowChange(pk, tab.pk, number, cells, lossy, False, cells, lossy, True)
        for pk, number, cells, lossy in rows
    ]
    if changes:
        label = f"delete {_rows_word(len(changes))}"
        journal.change_rows(job, label, changes, {}, flags_were_current=flags_were_current)
    elif flags_were_current:
        recheck_rows(job, [])
    return len(changes)


def _rows_word(count: int) -> str:
    return f"{count:,} row{'s' if count != 1 else ''}"


@transaction.atomic
def choose_column(
    job: ImportJob, tab: ImportTab, column: int, field: str | None, *, by: By
) -> None:
    """Map `column` to `field`, or ignore it (None)."""
    map_column(job, tab, column, field)
    detail = {**where(tab, column), "field": field or ""}
    record(job.organization_id, Action.CHANGED_MAPPING, by=by, import_job=job, detail=detail)


def map_column(job: ImportJob, tab: ImportTab, column: int, field: str | None) -> None:
    """choose_column without its audit entry, for a group fix that records its own."""
    require_role(tab)
    if not 0 <= column < len(tab.header):
        raise EditError("There is no such column.")
    if field is not None and field not in dict(mapping_choices(tab)):
        raise EditError("There is no such field.")
    bump_revision(job)
    before = dict(tab.choices)
    choices = dict(tab.choices)
    choices[str(column)] = field or ""
    tab.choices = choices
    remember_choice(tab, column, field)
    tab.save(update_fields=["choices", "recalled"])
    name = column_name(tab, column)
    label = f"map “{name}” to {dict(mapping_choices(tab))[field]}" if field else f"ignore “{name}”"
    journal.record(job, label, choices={str(tab.pk): [before, dict(tab.choices)]})


@transaction.atomic
def forget_mapping(job: ImportJob, tab: ImportTab, column: int, *, by: By) -> None:
    """Forget a column mapped as last time: the organization forgets that header's
    mapping, and the column is mapped by the first guess again (flags stale, as after
    any mapping)."""
    require_role(tab)
    bump_revision(job)
    if not forget_recalled(tab, column):
        raise EditError("This column was not mapped from memory.")
    tab.save(update_fields=["choices", "recalled"])
    detail = where(tab, column)
    record(job.organization_id, Action.FORGOT_MAPPING, by=by, import_job=job, detail=detail)


@transaction.atomic
def choose_role(job: ImportJob, tab: ImportTab, role: Role, *, by: By) -> None:
    """The admin's answer for a tab whose role intake.decide could not tell.

    The flags are stale afterwards (as after a column mapping) until the next full check.
    """
    if role not in PEOPLE_ROLES:
        raise EditError("Choose students, instructors or parents.")
    if decided(tab):
        raise EditError("This tab's role is known already.")
    bump_revision(job)
    tab.role = role
    tab.sheet = tab.sheet or ROLE_TAB[role]  # a single table is named by its role
    recall_into(tab)
    tab.save(update_fields=["role", "sheet", "choices", "recalled"])
    detail = {**where(tab), "role": str(role)}
    record(job.organization_id, Action.CHOSE_ROLE, by=by, import_job=job, detail=detail)


def answer_invite(job: ImportJob, *, invite: bool) -> None:
    """The answer to "Auto-invite new users upon close?"."""
    if not ImportJob.objects.filter(pk=job.pk, status__in=EDITABLE).update(invite=invite):
        raise EditError(no_longer_changes(job))
    job.invite = invite
