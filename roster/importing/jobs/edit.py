"""The admin's review: edit a cell, delete rows, map a column, answer the invite question.

Each change is saved at once and bumps the job's revision, so the preview summary is out
of date until the next check_job. A cell edit or a deletion also brings the stored flags
up to date in the same transaction, when they were current before it (jobs/recheck.py);
a change of column mapping leaves them stale for a full check.
"""

from collections.abc import Collection

from django.db import transaction
from django.db.models import F

from roster.accounts.models import PEOPLE_ROLES, Role
from roster.importing.directory import NumberList
from roster.importing.jobs.mappings import forget_recalled, recall_into, remember_choice
from roster.importing.jobs.recheck import recheck_cell, recheck_rows
from roster.importing.jobs.tables import decided
from roster.importing.mapping_memory import field_choices
from roster.importing.models import ImportJob, ImportRow, ImportTab, JobStatus
from roster.importing.people import ROLE_TAB
from roster.importing.sources.cells import cell_text
from roster.importing.upload_limits import upload_limits


class EditError(Exception):
    """A change the job cannot take (it is applied already, or the cell does not exist)."""


_EDITABLE = [JobStatus.UPLOADED, JobStatus.REVIEWING]


def _bump(job: ImportJob) -> bool:
    """Count one change; refuses once the job is being applied.

    The UPDATE locks the job's row until the transaction ends, so changes (and the end
    of a full check) happen one after the other. Returns whether the stored flags
    described the job just before this change.
    """
    changed = ImportJob.objects.filter(pk=job.pk, status__in=_EDITABLE).update(
        revision=F("revision") + 1
    )
    if not changed:
        raise EditError(_no_longer_changes(job))
    job.refresh_from_db(fields=["revision", "flagged_revision", "checked_revision", "status"])
    return job.flagged_revision == job.revision - 1


def _no_longer_changes(job: ImportJob) -> str:
    status = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    if status == JobStatus.DISCARDED:
        return "This import was discarded; it can no longer change or be applied."
    return "This import is being applied or was applied; it can no longer change."


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


def _role_known(tab: ImportTab) -> None:
    if not decided(tab):
        raise EditError("Choose whom this tab lists (students, instructors or parents) first.")


@transaction.atomic
def edit_cell(job: ImportJob, tab: ImportTab, number: int, column: int, value: str) -> ImportRow:
    value = typed_cell(value)
    _role_known(tab)
    flags_were_current = _bump(job)
    row = ImportRow.objects.filter(tab=tab, number=number, deleted=False).first()
    if row is None or not 0 <= column < max(len(row.cells), len(tab.header)):
        raise EditError("There is no such cell.")
    cells = list(row.cells) + [""] * (len(tab.header) - len(row.cells))
    cells[column] = value
    row.cells = cells
    row.lossy = [index for index in row.lossy if index != column]
    row.save(update_fields=["cells", "lossy"])
    if flags_were_current:
        recheck_cell(job, tab, row, column)
    return row


@transaction.atomic
def delete_rows(job: ImportJob, tab: ImportTab, numbers: Collection[int]) -> int:
    _role_known(tab)
    flags_were_current = _bump(job)
    rows = list(
        ImportRow.objects.filter(tab=tab, number__in=NumberList(list(numbers)), deleted=False)
    )
    ImportRow.objects.filter(pk__in=NumberList([row.pk for row in rows])).update(deleted=True)
    ImportTab.objects.filter(pk=tab.pk).update(rows=F("rows") - len(rows))
    ImportJob.objects.filter(pk=job.pk).update(total=F("total") - len(rows))
    job.total -= len(rows)
    if flags_were_current:
        for row in rows:
            row.deleted = True
        recheck_rows(job, rows)
    return len(rows)


def mapping_choices(tab: ImportTab) -> list[tuple[str, str]]:
    """The fields a column of this tab may be mapped to: (name, label)."""
    return field_choices(tab.role)  # a role column: any role's


@transaction.atomic
def choose_column(job: ImportJob, tab: ImportTab, column: int, field: str | None) -> None:
    """Map `column` to `field`, or ignore it (None)."""
    _role_known(tab)
    if not 0 <= column < len(tab.header):
        raise EditError("There is no such column.")
    if field is not None and field not in dict(mapping_choices(tab)):
        raise EditError("There is no such field.")
    _bump(job)
    choices = dict(tab.choices)
    choices[str(column)] = field or ""
    tab.choices = choices
    remember_choice(tab, column, field)
    tab.save(update_fields=["choices", "recalled"])


@transaction.atomic
def forget_mapping(job: ImportJob, tab: ImportTab, column: int) -> None:
    """Forget a column mapped as last time: the organization forgets that header's
    mapping, and the column is mapped by the first guess again (flags stale, as after
    any mapping)."""
    _role_known(tab)
    _bump(job)
    if not forget_recalled(tab, column):
        raise EditError("This column was not mapped from memory.")
    tab.save(update_fields=["choices", "recalled"])


@transaction.atomic
def choose_role(job: ImportJob, tab: ImportTab, role: Role) -> None:
    """The admin's answer for a tab whose role intake.decide could not tell.

    The flags are stale afterwards (as after a column mapping) until the next full check.
    """
    if role not in PEOPLE_ROLES:
        raise EditError("Choose students, instructors or parents.")
    if decided(tab):
        raise EditError("This tab's role is known already.")
    _bump(job)
    tab.role = role
    tab.sheet = tab.sheet or ROLE_TAB[role]  # a single table is named by its role
    recall_into(tab)
    tab.save(update_fields=["role", "sheet", "choices", "recalled"])


def answer_invite(job: ImportJob, *, invite: bool) -> None:
    """The answer to "Auto-invite new users upon close?"."""
    if not ImportJob.objects.filter(pk=job.pk, status__in=_EDITABLE).update(invite=invite):
        raise EditError(_no_longer_changes(job))
    job.invite = invite
