"""Apply through the API: the answer to the invite question, once per Idempotency-Key.

The same steps as the web's Finish → Yes (roster/web/views/finish.py): the invite
answered, every tab's role known, the summary current, then jobs.start_apply (a
conditional UPDATE: one apply however often it is asked) and the apply itself, at once
or in a task. The key is stored first, unique per organization: a repeat gets the first
call's answer; one that arrives while the first is still running is told so (409).
A refusal (not checked yet, a tab's role unknown) forgets the key: it may be sent again;
so does a call that never answered (its process died), after IMPORT_APPLY_LEASE_SECONDS.
"""

from typing import Annotated, Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.params.functions import Header as header
from ninja.responses import Status

from roster.api.auth import IMPORT, by_token
from roster.api.errors import ApiCode, ApiError, responses
from roster.api.imports import actor, job_of
from roster.api.models import IdempotencyKey
from roster.api.present import import_out
from roster.api.schemas import ApplyIn, ImportOut
from roster.audit.log import By
from roster.cli.output import FailureCode
from roster.importing import jobs
from roster.importing.dispatch import apply_or_enqueue, refresh_summary
from roster.importing.jobs import lease
from roster.importing.jobs.revision import no_longer_changes
from roster.importing.models import ImportJob, JobStatus

router = Router(tags=["imports"])


@router.post("/imports/{int:job_id}/apply", response=responses({202: ImportOut}, 409), auth=IMPORT)
def apply_import(
    request: HttpRequest,
    job_id: int,
    body: ApplyIn,
    idempotency_key: Annotated[str, header(alias="Idempotency-Key", min_length=1, max_length=255)],
) -> Any:
    """Apply the reviewed import. Follow it with …/progress; read it with …/result."""
    job = job_of(request, job_id)
    try:
        with transaction.atomic():
            key = IdempotencyKey.objects.create(
                organization_id=job.organization_id, key=idempotency_key, job=job
            )
    except IntegrityError:
        return _repeat(job, idempotency_key)
    try:
        answer = _apply(job, body.invite, by_token(request))
    except BaseException:
        # A refusal (not checked yet, a role missing) may pass: the key may be sent again.
        IdempotencyKey.objects.filter(pk=key.pk).delete()
        raise
    jobs.record_touch(job, actor(request))
    IdempotencyKey.objects.filter(pk=key.pk).update(status_code=202, response=answer)
    return Status(202, answer)


def _apply(job: ImportJob, invite: bool, by: By) -> dict[str, Any]:
    if job.status == JobStatus.DISCARDED:
        raise ApiError(409, ApiCode.REFUSED_CHANGE, no_longer_changes(job))
    jobs.fail_if_abandoned(job)
    if job.editable:
        try:
            jobs.answer_invite(job, invite=invite)
        except jobs.EditError as error:
            raise ApiError(409, ApiCode.REFUSED_CHANGE, str(error)) from error
        if jobs.undecided_tabs(job):
            message = "Choose the role of every tab whose role is null first (…/role)."
            raise ApiError(409, FailureCode.UNCLEAR_ROLE, message)
        refresh_summary(job)
        job.refresh_from_db()
        if not job.checked:
            message = "The import is being checked; apply again when its state says checked."
            raise ApiError(409, ApiCode.NOT_READY, message)
    if jobs.start_apply(job):
        apply_or_enqueue(job, by)
    job.refresh_from_db()
    return import_out(job)


def _repeat(job: ImportJob, key: str) -> Any:
    stored = IdempotencyKey.objects.filter(organization_id=job.organization_id, key=key).first()
    if stored is None or stored.job_id != job.pk:
        message = "This Idempotency-Key was used for another import; send a new key."
        raise ApiError(422, ApiCode.IDEMPOTENCY_KEY_REUSED, message)
    if stored.status_code is None:
        if stored.created_at < timezone.now() - lease.lease():
            # Its call ended without an answer (its process died): the next repeat applies.
            IdempotencyKey.objects.filter(pk=stored.pk, status_code=None).delete()
        message = "A call with this Idempotency-Key is still running; repeat it in a moment."
        raise ApiError(409, ApiCode.REQUEST_IN_PROGRESS, message)
    return Status(stored.status_code, stored.response)
