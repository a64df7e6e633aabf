"""Undo and redo of every review step, kept with the import: exactly the earlier rows and flags."""

from collections.abc import Callable
from typing import Any

import pytest

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.models import ImportJob, ImportRow, ImportStep, ImportTab
from roster.orgs.models import Organization
from tests.importing.flag_state import FlagState, assert_as_full_check, stored_state
from tests.importing.test_group_fixes import STUDENTS, group
from tests.importing.test_recheck import paste

type Rows = dict[tuple[int, int], tuple[list[str], list[int], bool]]


def rows_of(job: ImportJob) -> Rows:
    found = ImportRow.objects.filter(job=job).values_list(
        "tab__position", "number", "cells", "lossy", "deleted"
    )
    return {(position, n): (cells, lossy, deleted) for position, n, cells, lossy, deleted in found}


def snapshot(job: ImportJob) -> tuple[Rows, FlagState, Any]:
    job.refresh_from_db()
    choices = list(ImportTab.objects.filter(job=job).values_list("choices", flat=True))
    return rows_of(job), stored_state(job), (choices, job.total)


def caught_up(job: ImportJob) -> None:
    """After a step that changed a mapping, the full check the review runs next."""
    job.refresh_from_db()
    if not job.flags_current:
        assert jobs.check_job(job)
    assert_as_full_check(job)


def test_undo_after_a_mix_of_steps_gives_the_rows_and_flags_before_them(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, STUDENTS, "Pat,Lee,pat@example.com,\n")
    tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
    before = snapshot(job)
    email, parents = tab.header.index("Email"), tab.header.index("Parent Email")
    steps: list[Callable[[], object]] = [
        lambda: jobs.edit_cell(job, tab, 2, email, "pat@example.com", by=SYSTEM),  # a role conflict
        lambda: jobs.fix_group(job, tab, group(tab, "unknown_association"), "drop_link", by=SYSTEM),
        lambda: jobs.find_replace(
            job, tab, parents, "", "ghost@example.com", whole=True, by=SYSTEM
        ),
        lambda: jobs.delete_rows(job, tab, [4, 5], by=SYSTEM),
        lambda: jobs.choose_column(job, tab, tab.header.index("Notes"), "phone", by=SYSTEM),
        lambda: jobs.fix_group(job, tab, group(tab, "invalid_phone"), "delete", by=SYSTEM),
    ]
    states = [before]
    for step in steps:
        step()
        caught_up(job)
        states.append(snapshot(job))
    assert ImportStep.objects.filter(job=job).count() == len(steps)
    assert jobs.next_steps(job).undo == "delete 1 row"
    for state in reversed(states[:-1]):
        jobs.undo(job)
        caught_up(job)
        assert snapshot(job) == state
    assert snapshot(job) == before
    with pytest.raises(jobs.EditError, match="nothing to undo"):
        jobs.undo(job)
    assert jobs.next_steps(job) == jobs.Steps(None, "edit row 2, Email")
    for state in states[1:]:
        jobs.redo(job)
        caught_up(job)
        assert snapshot(job) == state
    with pytest.raises(jobs.EditError, match="nothing to redo"):
        jobs.redo(job)


def test_a_new_step_after_an_undo_drops_the_redo_stack(org: Organization, admin: Account) -> None:
    job = paste(org, admin, STUDENTS)
    tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
    jobs.edit_cell(job, tab, 2, 0, "Alan", by=SYSTEM)
    jobs.edit_cell(job, tab, 3, 0, "Bob", by=SYSTEM)
    jobs.undo(job)
    assert jobs.next_steps(job) == jobs.Steps("edit row 2, First Name", "edit row 3, First Name")
    jobs.delete_rows(job, tab, [6], by=SYSTEM)
    assert jobs.next_steps(job) == jobs.Steps("delete 1 row", None)
    assert_as_full_check(job)


def test_undo_survives_a_reload_and_belongs_to_the_import(
    org: Organization, admin: Account
) -> None:
    job = paste(org, admin, STUDENTS, "Pat,Lee,pat@example.com,\n")
    tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
    jobs.edit_cell(job, tab, 2, 0, "Alan", by=SYSTEM)
    other = paste(org, admin, STUDENTS)
    assert jobs.next_steps(other) == jobs.Steps(None, None)
    again = ImportJob.objects.get(pk=job.pk)  # another request, another browser
    jobs.undo(again)
    assert rows_of(again)[0, 2][0][0] == "Al"


def test_an_applied_import_cannot_be_undone(org: Organization, admin: Account) -> None:
    job = paste(org, admin, STUDENTS)
    tab = ImportTab.objects.get(job=job, role=Role.STUDENT)
    jobs.edit_cell(job, tab, 2, 0, "Alan", by=SYSTEM)
    ImportJob.objects.filter(pk=job.pk).update(status="applied")
    with pytest.raises(jobs.EditError, match="can no longer change"):
        jobs.undo(job)
