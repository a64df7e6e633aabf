"""Every change of the review counts one revision of its job, or is refused once applied."""

from django.db.models import F

from roster.importing.models import ImportJob, JobStatus


class EditError(Exception):
    """A change the job cannot take (it is applied already, or the cell does not exist)."""


EDITABLE = [JobStatus.UPLOADED, JobStatus.REVIEWING]


def bump_revision(job: ImportJob) -> bool:
    """Count one change; refuses once the job is being applied.

    The UPDATE locks the job's row until the transaction ends, so changes (and the end
    of a full check) happen one after the other. Returns whether the stored flags
    described the job just before this change.
    """
    changed = ImportJob.objects.filter(pk=job.pk, status__in=EDITABLE).update(
        revision=F("revision") + 1
    )
    if not changed:
        raise EditError(no_longer_changes(job))
    job.refresh_from_db(fields=["revision", "flagged_revision", "checked_revision", "status"])
    return job.flagged_revision == job.revision - 1


def no_longer_changes(job: ImportJob) -> str:
    """Why a change of this job is refused, in the admin's words."""
    status = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    if status == JobStatus.DISCARDED:
        return "This import was discarded; it can no longer change or be applied."
    return "This import is being applied or was applied; it can no longer change."
