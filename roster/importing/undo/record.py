"""What an apply keeps so that it can be undone: written in bulk, in the apply's transaction.

The ids of what it created (accounts, links, invitations) go on the job as [first, last]
runs (an INSERT's ids are mostly consecutive: a few bytes for 100,000 accounts); each
updated account's changed fields, before and after, and the links it named that existed
already go in two tables, one multi-row statement per 50,000 rows.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from roster.accounts.outbox import id_runs
from roster.audit.log import By
from roster.importing.apply import Outcome
from roster.importing.associations import KINDS
from roster.importing.models import Door, ImportJob, ImportSource, JobStatus, SourceKind
from roster.importing.pipeline import Preview, apply_import
from roster.importing.plan import Action, Plan
from roster.importing.progress import Report
from roster.importing.summary import summary_dict
from roster.importing.writes import insert_named_links, insert_updated_accounts
from roster.orgs.models import Organization


def record_apply(job: ImportJob, outcome: Outcome) -> dict[str, Any]:
    """Record what `outcome` changed for undo; returns the job's `applied_ids`."""
    plan = outcome.plan
    insert_updated_accounts(job.organization_id, job.pk, _before_images(plan))
    for kind in KINDS:
        named = plan.links.existing_of(kind)
        pairs = zip(named.students, named.others, strict=True)
        insert_named_links(job.organization_id, job.pk, kind, pairs)
    return {
        "accounts": id_runs(outcome.created_ids),
        "links": {kind: id_runs(outcome.link_ids.get(kind, ())) for kind in KINDS},
        "invitations": id_runs(outcome.invitation_ids),
    }


def _before_images(plan: Plan) -> Iterator[tuple[int, dict[str, str], dict[str, str]]]:
    for index, changes in plan.changes.items():
        if plan.actions[index] == Action.UPDATE:
            before = {change.field: change.old for change in changes}
            after = {change.field: change.new for change in changes}
            yield plan.account_ids[index], before, after


def apply_and_store(
    preview: Preview,
    *,
    org: Organization,
    invite: bool,
    files: Sequence[str | None],
    by: By,
    door: Door = Door.CLI,
    progress: Report | None = None,
) -> tuple[Outcome, ImportJob]:
    """Apply a preview made outside the review (the command line) as a stored import:
    listed in Imports and `roster imports`, and undoable. One transaction."""
    validated = preview.plan.validated
    total = len(validated.people) + len(validated.skipped)
    with transaction.atomic():
        job = ImportJob.objects.create(
            organization=org,
            door=door,
            status=JobStatus.APPLYING,
            invite=invite,
            total=total,
            notes=list(preview.notes),
        )
        ImportSource.objects.bulk_create(
            ImportSource(
                organization=org,
                job=job,
                kind=SourceKind.FILE if name else SourceKind.PASTE,
                role="",
                file_name=name or "",
            )
            for name in files
        )
        outcome = apply_import(
            preview, org=org, invite=invite, by=by, import_job=job.pk, progress=progress
        )
        summary = summary_dict(outcome.plan, invitations=outcome.invitations, links=outcome.links)
        applied_ids = record_apply(job, outcome)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.APPLIED,
            summary=summary,
            applied_at=timezone.now(),
            applied_ids=applied_ids,
            progress=total,
        )
    job.refresh_from_db()
    return outcome, job
