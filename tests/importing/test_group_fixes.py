"""Fixes of many rows at once: a group of flags, find & replace; flags equal a full check's."""

import pytest

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.jobs.fixes import cause_of, fixes_for
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportStep, ImportTab
from roster.orgs.models import Organization
from tests.importing.flag_state import assert_as_full_check
from tests.importing.test_recheck import paste

# Rows 2-4 name a parent nobody is; row 3 also names the real one; row 5 has an email
# with a space inside; row 6 has no email and no username.
STUDENTS = (
    "Al,Lee,al@example.com,,nobody@example.com,,\n"
    "Bo,Lee,bo@example.com,,nobody@example.com; pat@example.com,,\n"
    "Cy,Lee,cy@example.com,,ghost@example.com,,\n"
    'Di,Lee,"di @example.com",,,,\n'
    "Ed,Lee,,,,,Ed@Example.com\n"
)
PARENTS = "Pat,Lee,pat@example.com,\n"


def job_and_tab(org: Organization, admin: Account) -> tuple[ImportJob, ImportTab]:
    job = paste(org, admin, STUDENTS, PARENTS)
    return job, ImportTab.objects.get(job=job, role=Role.STUDENT)


def cells(tab: ImportTab, column: str) -> dict[int, str]:
    index = tab.header.index(column)
    rows = ImportRow.objects.filter(tab=tab, deleted=False).order_by("number")
    return {number: row[index] for number, row in rows.values_list("number", "cells")}


def group(tab: ImportTab, code: str) -> jobs.Group:
    """The group of the first flag of `code` on the tab."""
    flag = ImportFlag.objects.filter(tab=tab, code=code).order_by("row").first()
    assert flag is not None
    return jobs.Group(code, flag.column, cause_of(flag.message))


def test_dropping_the_links_that_name_nobody_keeps_the_rows_and_their_other_links(
    org: Organization, admin: Account
) -> None:
    job, tab = job_and_tab(org, admin)
    unknown = group(tab, "unknown_association")
    assert "drop_link" in fixes_for(tab, unknown)
    assert jobs.fix_group(job, tab, unknown, "drop_link", by=SYSTEM) == 3
    assert cells(tab, "Parent Email") == {2: "", 3: "pat@example.com", 4: "", 5: "", 6: ""}
    assert not ImportFlag.objects.filter(job=job, code="unknown_association").exists()
    assert_as_full_check(job)
    assert ImportStep.objects.get(job=job).label == "drop unknown links in 3 “Parent Email” cells"


def test_trim_and_lower_case_change_only_the_groups_cells(
    org: Organization, admin: Account
) -> None:
    job, tab = job_and_tab(org, admin)
    jobs.edit_cell(
        job, tab, 2, 2, " AL@example.com ", by=SYSTEM
    )  # valid: no flag, not in any group
    jobs.edit_cell(job, tab, 3, 2, " Bo @Example.com ", by=SYSTEM)  # invalid for the cause of row 5
    invalid = group(tab, "invalid_email")
    assert jobs.fix_group(job, tab, invalid, "lower", by=SYSTEM) == 1  # row 5 is lower case already
    assert_as_full_check(job)
    assert jobs.fix_group(job, tab, invalid, "trim", by=SYSTEM) == 1
    assert cells(tab, "Email") == {
        2: " AL@example.com ",
        3: "bo @example.com",
        4: "cy@example.com",
        5: "di @example.com",
        6: "",
    }
    assert_as_full_check(job)
    with pytest.raises(jobs.EditError, match="No cell would change"):
        jobs.fix_group(job, tab, invalid, "trim", by=SYSTEM)


def test_fill_from_another_column_and_delete_rows(org: Organization, admin: Account) -> None:
    job, tab = job_and_tab(org, admin)
    missing = group(tab, "missing_required")
    assert fixes_for(tab, missing)[0] == "fill"
    with pytest.raises(jobs.EditError, match="column to fill"):
        jobs.fix_group(job, tab, missing, "fill", by=SYSTEM)
    assert (
        jobs.fix_group(job, tab, missing, "fill", source=tab.header.index("Notes"), by=SYSTEM) == 1
    )
    assert cells(tab, "Email")[6] == "Ed@Example.com"
    assert_as_full_check(job)
    invalid = group(tab, "invalid_email")
    assert jobs.fix_group(job, tab, invalid, "delete", by=SYSTEM) == 1
    assert 5 not in cells(tab, "Email")
    assert_as_full_check(job)


def test_ignoring_the_column_is_a_mapping_change(org: Organization, admin: Account) -> None:
    job, tab = job_and_tab(org, admin)
    jobs.fix_group(job, tab, group(tab, "unknown_association"), "ignore", by=SYSTEM)
    tab.refresh_from_db()
    assert tab.choices == {str(tab.header.index("Parent Email")): ""}
    assert not job.flags_current  # as after any mapping change: a full check follows


def test_a_group_read_from_stale_flags_is_refused(org: Organization, admin: Account) -> None:
    job, tab = job_and_tab(org, admin)
    unknown = group(tab, "unknown_association")
    jobs.choose_column(job, tab, tab.header.index("Notes"), "phone", by=SYSTEM)
    with pytest.raises(jobs.EditError, match="being checked"):
        jobs.fix_group(job, tab, unknown, "drop_link", by=SYSTEM)


def test_find_and_replace_counts_then_changes(org: Organization, admin: Account) -> None:
    job, tab = job_and_tab(org, admin)
    parents = tab.header.index("Parent Email")
    count = jobs.count_replacements(tab, parents, "nobody@", "pat@", whole=False)
    assert count == 2
    assert ImportStep.objects.filter(job=job).count() == 0, "a preview changes nothing"
    assert jobs.find_replace(job, tab, parents, "nobody@", "pat@", whole=False, by=SYSTEM) == 2
    assert cells(tab, "Parent Email")[3] == "pat@example.com; pat@example.com"
    assert_as_full_check(job)
    # Whole cell: only cells equal to the text; "" fills the empty ones.
    assert jobs.count_replacements(tab, parents, "pat@example.com", "x", whole=True) == 1
    assert jobs.find_replace(job, tab, parents, "", "pat@example.com", whole=True, by=SYSTEM) == 2
    assert cells(tab, "Parent Email")[5] == "pat@example.com"
    assert_as_full_check(job)
    with pytest.raises(jobs.EditError, match="No cell would change"):
        jobs.find_replace(job, tab, parents, "zzz", "y", whole=False, by=SYSTEM)
    with pytest.raises(jobs.EditError, match="Type the text"):
        jobs.count_replacements(tab, parents, "", "y", whole=False)


def test_find_reads_only_rows_holding_the_text_yet_misses_none(
    org: Organization, admin: Account
) -> None:
    job, tab = job_and_tab(org, admin)
    notes = tab.header.index("Notes")
    jobs.edit_cell(job, tab, 2, notes, 'Zoë said "50%_off" \\ ok', by=SYSTEM)
    count = jobs.count_replacements
    assert count(tab, notes, "%_", "x", whole=False) == 1  # LIKE's wildcards, as text
    assert count(tab, notes, "%", "x", whole=False) == 1
    assert count(tab, notes, '"50', "x", whole=False) == 1  # escaped in JSON: read in full
    assert count(tab, notes, "Zoë", "x", whole=False) == 1  # not ASCII: read in full
    assert count(tab, notes, "ZOË", "x", whole=False) == 0  # exact text, case and all
    assert count(tab, notes, "zo", "x", whole=False) == 0
    assert count(tab, notes, "Ed@Example.com", "x", whole=True) == 1
    assert count(tab, notes, "Ed@Example", "x", whole=True) == 0
