"""What a job stores about its flags, and what a full check from scratch would store."""

from dataclasses import dataclass

from django.db import transaction

from roster.importing import jobs
from roster.importing.models import (
    ImportChange,
    ImportFlag,
    ImportJob,
    ImportKey,
    ImportRow,
    ImportTab,
)


@dataclass(frozen=True)
class FlagState:
    flags: frozenset[tuple[int, int | None, int, str, str, int, str]]
    severities: dict[tuple[int, int], int]  # (tab position, row) → severity, deleted rows too
    tabs: dict[int, tuple[int, ...]]  # position → rows, errors, warnings, flagged, outcomes
    keys: frozenset[tuple[int, int, int, str]]
    outcomes: dict[tuple[int, int], int | None]  # (tab position, row) → outcome
    changes: frozenset[tuple[int, int, str, str, str]]


def stored_state(job: ImportJob) -> FlagState:
    flags = ImportFlag.objects.filter(job=job).values_list(
        "tab__position", "row", "column", "column_label", "code", "severity", "message"
    )
    severities = ImportRow.objects.filter(job=job).values_list(
        "tab__position", "number", "severity"
    )
    tabs = ImportTab.objects.filter(job=job).values_list(
        "position",
        "rows",
        "errors",
        "warnings",
        "flagged_rows",
        "new_rows",
        "updated_rows",
        "unchanged_rows",
        "skipped_rows",
    )
    outcomes = ImportRow.objects.filter(job=job).values_list("tab__position", "number", "outcome")
    changes = ImportChange.objects.filter(job=job).values_list(
        "tab__position", "row", "field", "old", "new"
    )
    keys = ImportKey.objects.filter(job=job).values_list(
        "row__tab__position", "row__number", "use", "key"
    )
    return FlagState(
        flags=frozenset(flags),
        severities={(position, number): severity for position, number, severity in severities},
        tabs={position: tuple(counts) for position, *counts in tabs},
        keys=frozenset(keys),
        outcomes={(position, number): outcome for position, number, outcome in outcomes},
        changes=frozenset(changes),
    )


def full_check_state(job: ImportJob) -> FlagState:
    """What check_job stores for the job as it is now, computed and then rolled back."""
    try:
        with transaction.atomic():
            # As if never checked, so that the keys are computed afresh too.
            ImportJob.objects.filter(pk=job.pk).update(flagged_revision=-1)
            assert jobs.check_job(job)
            raise _RolledBack(stored_state(job))
    except _RolledBack as rolled_back:
        job.refresh_from_db()
        return rolled_back.state
    raise AssertionError("unreachable")


class _RolledBack(Exception):
    def __init__(self, state: FlagState) -> None:
        self.state = state


def assert_as_full_check(job: ImportJob) -> None:
    job.refresh_from_db()
    assert job.flags_current
    stored = stored_state(job)
    expected = full_check_state(job)
    assert stored.flags == expected.flags, _difference(stored.flags, expected.flags)
    assert stored.severities == expected.severities
    assert stored.tabs == expected.tabs
    assert stored.keys == expected.keys
    assert stored.outcomes == expected.outcomes
    assert stored.changes == expected.changes


def _difference(stored: frozenset[object], expected: frozenset[object]) -> str:
    return f"stored only: {sorted(map(str, stored - expected))}\n" + (
        f"full check only: {sorted(map(str, expected - stored))}"
    )
