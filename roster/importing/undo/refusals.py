"""When an import cannot be undone, and the one-line reason (web page and command line)."""

from datetime import datetime, timedelta
from enum import StrEnum

from roster.importing.models import ImportJob, JobStatus


class Refusal(StrEnum):
    UNKNOWN_IMPORT = "unknown_import"
    NOT_APPLIED = "not_applied"
    ALREADY_UNDONE = "already_undone"
    UNDO_WINDOW_PASSED = "undo_window_passed"
    NOT_RECORDED = "not_recorded"


class UndoRefused(Exception):
    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def undo_deadline(job: ImportJob) -> datetime | None:
    """Until when the job can be undone (the organization's window after it was applied)."""
    if job.applied_at is None:
        return None
    return job.applied_at + timedelta(days=job.organization.undo_window_days)


def refusal(job: ImportJob, now: datetime) -> UndoRefused | None:
    """Why `job` cannot be undone now, or None when it can."""
    if job.status == JobStatus.UNDONE:
        when = f" on {job.undone_at:%d %b %Y %H:%M} UTC" if job.undone_at else ""
        return UndoRefused(Refusal.ALREADY_UNDONE, f"import {job.pk} was undone already{when}.")
    if job.status != JobStatus.APPLIED:
        return UndoRefused(
            Refusal.NOT_APPLIED,
            f"import {job.pk} is {job.get_status_display().lower()}: "
            "only an applied import can be undone.",
        )
    deadline = undo_deadline(job)
    if deadline is not None and now > deadline:
        days = job.organization.undo_window_days
        return UndoRefused(
            Refusal.UNDO_WINDOW_PASSED,
            f"import {job.pk} was applied more than {days} day{'s' if days != 1 else ''} ago; "
            "the organization's undo window has passed.",
        )
    if not job.applied_ids:
        return UndoRefused(
            Refusal.NOT_RECORDED,
            f"import {job.pk} was applied before Roster recorded what imports change, "
            "so it cannot be undone.",
        )
    return None
