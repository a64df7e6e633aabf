"""Fixes of many rows at once: a group of flags (one code in one column), or find & replace.

A group is every row flagged with one issue code in one column of a tab, for one cause
("37 Parent Email cells name nobody"; invalid emails with a space apart from those without
an @). Each fix reads the group's rows in one query, changes them in
memory, and writes them through the journal (jobs/journal.py): one statement however
many rows, one undoable step, and a re-check of the rows it touched (or a full check,
for more rows than a partial one is worth), so the flags equal a full check's.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from roster.audit.log import By, clipped, record
from roster.audit.models import Action
from roster.importing.directory import NumberList
from roster.importing.fields import identity_key, link_values
from roster.importing.issues import IssueCode
from roster.importing.jobs import journal
from roster.importing.jobs.edit import (
    column_name,
    map_column,
    remove_rows,
    require_role,
    typed_cell,
    where,
)
from roster.importing.jobs.journal import RowChange
from roster.importing.jobs.revision import EditError, bump_revision
from roster.importing.jobs.tables import column_map
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportTab
from roster.importing.people import LINK_FIELDS
from roster.importing.sources.cells import cell_text
from roster.importing.upload_limits import upload_limits

# Each fix: the words of its button, and of its step ("Undo: trim 412 Email cells").
GROUP_FIXES = {
    "trim": "Trim spaces",
    "lower": "Lower-case",
    "drop_link": "Keep the rows, drop the link that names nobody",
    "fill": "Fill from another column",
    "ignore": "Ignore this column",
    "delete": "Delete these rows",
}
_LINK_CODES = {IssueCode.UNKNOWN_ASSOCIATION, IssueCode.ASSOCIATION_ROLE_MISMATCH}
_KEY_FIELDS = {"email", "username", *LINK_FIELDS}
_NAMED = re.compile(r"“([^”]*)”")  # the value an issue's message names
_PLAIN = re.compile(r"[ !#-\[\]-~]+")  # printable ASCII but for " and \ (JSON escapes them)


@dataclass(frozen=True, slots=True)
class Group:
    """The rows of a tab flagged with `code` in `column` (-1: on no column of the tab),
    for one cause: their messages, the values they quote left out ("" for any cause)."""

    code: str
    column: int
    cause: str = ""


def cause_of(message: str) -> str:
    """What a flag's message says is wrong, without the value it quotes: "“ann@x” is named
    in the Parent Email column." and "“bo@x” is named …" have one cause."""
    return _NAMED.sub("“…”", message)


def fixes_for(tab: ImportTab, group: Group) -> list[str]:
    """The fixes that make sense for a group, in the order its buttons are shown."""
    if group.column < 0:
        return ["delete"]
    fields = column_map(tab).fields
    field = fields[group.column] if group.column < len(fields) else None
    found = []
    if group.code == IssueCode.MISSING_REQUIRED:
        found.append("fill")
    else:
        found.append("trim")
        if field in _KEY_FIELDS:
            found.append("lower")
    if group.code in _LINK_CODES:
        found.append("drop_link")
    return [*found, "ignore", "delete"]


@transaction.atomic
def fix_group(
    job: ImportJob,
    tab: ImportTab,
    group: Group,
    fix: str,
    *,
    by: By,
    source: int | None = None,
) -> int:
    """Apply `fix` to every row of the group; returns how many rows it changed.

    `source` is the column a "fill" copies from. One audit entry, however many rows.
    """
    changed = _fix_group(job, tab, group, fix, source)
    column = group.column if group.column >= 0 else None
    detail = {**where(tab, column), "code": group.code, "fix": fix, "rows": changed}
    if fix == "fill":
        detail["from"] = column_name(tab, source or 0)
    record(job.organization_id, Action.FIXED_GROUP, by=by, import_job=job, detail=detail)
    return changed


def _fix_group(job: ImportJob, tab: ImportTab, group: Group, fix: str, source: int | None) -> int:
    if fix not in fixes_for(tab, group):
        raise EditError("This fix does not apply to these flags.")
    if fix == "ignore":
        map_column(job, tab, group.column, None)
        return 0
    flagged = _flagged(job, tab, group)
    if fix == "delete":
        return remove_rows(job, tab, list(flagged))
    change = _cell_change(fix, flagged, source, len(tab.header))
    label = {"trim": "trim", "lower": "lower-case", "drop_link": "drop unknown links"}.get(
        fix, f"fill from “{column_name(tab, source or 0)}”"
    )
    return _change_column(job, tab, group.column, list(flagged), change, label)


def _flagged(job: ImportJob, tab: ImportTab, group: Group) -> dict[int, list[str]]:
    """The group's row numbers, each with its flags' messages. The flags must be current:
    a group read from older ones would not be the group the admin saw."""
    job.refresh_from_db(fields=["revision", "flagged_revision"])
    require_role(tab)
    if not job.flags_current:
        raise EditError("The flags are being checked again; try this fix in a moment.")
    found: dict[int, list[str]] = defaultdict(list)
    stored = ImportFlag.objects.filter(tab=tab, code=group.code, column=group.column)
    for number, message in stored.exclude(row=None).values_list("row", "message"):
        if number is not None and (not group.cause or cause_of(message) == group.cause):
            found[number].append(message)
    if not found:
        raise EditError("No row is flagged that way any more.")
    return found


# (row number, the cell's text, the row's cells) → the cell's new text
type CellChange = Callable[[int, str, list[str]], str]


def _cell_change(
    fix: str, flagged: dict[int, list[str]], source: int | None, width: int
) -> CellChange:
    if fix == "trim":
        return lambda number, cell, cells: cell.strip()
    if fix == "lower":
        return lambda number, cell, cells: cell.lower()
    if fix == "drop_link":
        return lambda number, cell, cells: _without(cell, flagged[number])
    if source is None or not 0 <= source < width:
        raise EditError("Choose the column to fill these cells from.")
    return lambda number, cell, cells: cell or _cell(cells, source).strip()


def _cell(cells: list[str], column: int) -> str:
    return cells[column] if 0 <= column < len(cells) else ""


def _without(cell: str, messages: Iterable[str]) -> str:
    """The association cell without the people its flags name (nobody, or the wrong role)."""
    named = {identity_key(value) for message in messages for value in _NAMED.findall(message)}
    kept = [value for value in link_values(cell) if identity_key(value) not in named]
    return "; ".join(kept)


def _change_column(
    job: ImportJob,
    tab: ImportTab,
    column: int,
    numbers: list[int] | None,
    change: CellChange,
    label: str,
    *,
    containing: str = "",
) -> int:
    """Change one column of the tab's rows (`numbers`, or all), as one undoable step."""
    flags_were_current = bump_revision(job)
    changes = _changes(tab, column, numbers, change, containing)
    if not changes:
        raise EditError("No cell would change.")
    noun = f"{len(changes):,} “{column_name(tab, column)}” cell{'s' if len(changes) != 1 else ''}"
    columns = {str(tab.pk): [column]}
    label = f"{label} in {noun}"
    journal.change_rows(job, label, changes, columns, flags_were_current=flags_were_current)
    return len(changes)


def _changes(
    tab: ImportTab,
    column: int,
    numbers: list[int] | None,
    change: CellChange,
    containing: str = "",
) -> list[RowChange]:
    """The rows `change` changes; `containing`: text every such row's cells hold."""
    rows = ImportRow.objects.filter(tab=tab, deleted=False)
    if numbers is not None:
        rows = rows.filter(number__in=NumberList(numbers))
    if _PLAIN.fullmatch(containing):
        # Decoding 100,000 rows' cells in Python takes seconds; the database skips the rows
        # without the text first. Plain ASCII is written as itself in a row's JSON text
        # (on either database), so no row holding it is skipped; the rest is checked here.
        rows = rows.annotate(text=Cast("cells", TextField())).filter(text__contains=containing)
    width = len(tab.header)
    found = []
    for pk, number, cells, lossy in rows.values_list("pk", "number", "cells", "lossy"):
        cell = _cell(cells, column)
        new = change(number, cell, cells)
        if new == cell:
            continue
        padded = list(cells) + [""] * (width - len(cells))
        padded[column] = new
        kept_lossy = [index for index in lossy if index != column]
        found.append(RowChange(pk, tab.pk, number, cells, lossy, False, padded, kept_lossy, False))
    return found


def _replacement(find: str, replace: str, *, whole: bool) -> CellChange:
    if whole:
        return lambda number, cell, cells: replace if cell == find else cell
    if not find:
        raise EditError("Type the text to find (or tick “Whole cell” to fill empty cells).")
    return lambda number, cell, cells: cell.replace(find, replace)


def _held_to_cell_rules(change: CellChange) -> CellChange:
    """A replacement within cells may make one longer than a cell may be: refused. Its
    pieces are held to the rules already (stored cells, and the typed replacement)."""
    limit = upload_limits().max_cell_chars

    def checked(number: int, cell: str, cells: list[str]) -> str:
        new = change(number, cell, cells)
        if new == cell:
            return cell
        if len(new) > limit:
            raise EditError(
                f"A cell may hold at most {limit:,} characters; row {number} would hold"
                f" {len(new):,}."
            )
        return new if new.isascii() else cell_text(new)

    return checked


def _replace_column(tab: ImportTab, column: int) -> None:
    if not 0 <= column < len(tab.header):
        raise EditError("There is no such column.")


def count_replacements(tab: ImportTab, column: int, find: str, replace: str, *, whole: bool) -> int:
    """How many cells find & replace would change (nothing is written)."""
    _replace_column(tab, column)
    change = _replacement(find, typed_cell(replace), whole=whole)
    return len(_changes(tab, column, None, change, find))


@transaction.atomic
def find_replace(
    job: ImportJob, tab: ImportTab, column: int, find: str, replace: str, *, whole: bool, by: By
) -> int:
    """Replace `find` with `replace` in one column of the tab: within cells, or a whole
    cell equal to `find`. Returns how many cells changed."""
    _replace_column(tab, column)
    require_role(tab)
    replace = typed_cell(replace)
    change = _replacement(find, replace, whole=whole)
    if not whole:
        change = _held_to_cell_rules(change)
    label = f"replace “{find}” with “{replace}”" if find else f"fill with “{replace}”"
    changed = _change_column(job, tab, column, None, change, label, containing=find)
    detail = {
        **where(tab, column),
        "find": clipped(find),
        "replace": clipped(replace),
        "whole": whole,
        "cells": changed,
    }
    record(job.organization_id, Action.REPLACED_TEXT, by=by, import_job=job, detail=detail)
    return changed
