"""A group fix, find & replace and their undo cost the same queries at 10 and 10,000 rows.

The big job is built with bulk inserts (rows, and the flags a check would store), not
checked, so the test stays fast; the flags are marked current, so each step re-checks.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.jobs import journal, recheck
from roster.importing.models import ImportFlag, ImportJob, ImportTab, Severity
from roster.importing.writes import insert_import_rows
from roster.orgs.models import Organization

HEADER = "First Name,Last Name,Email,Parent Email\n"
PARENT = 3


def students_naming_nobody(
    org: Organization, admin: Account, n: int
) -> tuple[ImportJob, ImportTab]:
    """n students whose Parent Email names nobody, each flagged unknown_association."""
    first = "S,Lee,s2@example.com, Nobody@Example.com \n"
    job = jobs.create_job(
        org, admin, [jobs.NewSource(Role.STUDENT, text=HEADER + first)], by=SYSTEM
    )
    tab = ImportTab.objects.get(job=job)
    rows: list[tuple[int, list[str], list[int]]] = [
        (number, ["S", "Lee", f"s{number}@example.com", " Nobody@Example.com "], [])
        for number in range(2, n + 2)
    ]
    insert_import_rows(org.pk, job.pk, tab.pk, rows[1:])
    message = "No one … “nobody@example.com” is named in the Parent Email column."
    ImportFlag.objects.bulk_create(
        (
            ImportFlag(
                organization=org,
                job=job,
                tab=tab,
                row=number,
                column=PARENT,
                column_label="Parent Email",
                code="unknown_association",
                severity=Severity.ERROR,
                message=message,
            )
            for number, _, _ in rows
        ),
        batch_size=2000,
    )
    ImportTab.objects.filter(pk=tab.pk).update(rows=n)
    ImportJob.objects.filter(pk=job.pk).update(total=n, flagged_revision=job.revision)
    job.refresh_from_db()
    return job, tab


def test_group_fix_find_replace_and_undo_cost_the_same_queries_at_10_and_10000_rows(
    org: Organization, admin: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The steps' own reads and writes; their re-check is measured below (a partial one
    for a few rows, or the full check the job is left for, beyond recheck.LIMIT)."""
    rechecked: list[int] = []

    def counted(job: ImportJob, rows: object, count: int, *args: object, **kw: object) -> None:
        rechecked.append(count)
        recheck._flags_describe(job)  # as if re-checked: the next step re-checks too

    monkeypatch.setattr(journal, "recheck_changed", counted)
    counts = []
    for n in (10, 10_000):
        job, tab = students_naming_nobody(org, admin, n)
        group = jobs.Group("unknown_association", PARENT)
        with CaptureQueriesContext(connection) as fixed:
            assert jobs.fix_group(job, tab, group, "trim", by=SYSTEM) == n
        job.refresh_from_db()
        with CaptureQueriesContext(connection) as replaced:
            assert (
                jobs.find_replace(job, tab, PARENT, "Nobody@", "pat@", whole=False, by=SYSTEM) == n
            )
        with CaptureQueriesContext(connection) as undone:
            jobs.undo(job)
        counts.append((len(fixed), len(replaced), len(undone)))
        assert rechecked == [n, n, n]
        rechecked.clear()
    assert counts[0] == counts[1], counts


def test_a_group_fix_and_its_recheck_cost_the_same_whatever_the_size_of_the_job(
    org: Organization, admin: Account
) -> None:
    counts = []
    for n in (10, 10_000):
        job, tab = students_naming_nobody(org, admin, n)
        ImportFlag.objects.filter(tab=tab, row__gt=11).update(code="other")  # a group of 10
        group = jobs.Group("unknown_association", PARENT)
        with CaptureQueriesContext(connection) as fixed:
            assert jobs.fix_group(job, tab, group, "trim", by=SYSTEM) == 10
        job.refresh_from_db()
        assert job.flags_current, "re-checked in part, at once"
        with CaptureQueriesContext(connection) as undone:
            jobs.undo(job)
        counts.append((len(fixed), len(undone)))
    assert counts[0] == counts[1], counts
