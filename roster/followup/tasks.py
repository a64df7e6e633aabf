"""Background doors for reminders: ids in, one core call inside."""

from typing import Any

from django.tasks import task

from roster.audit.log import By
from roster.followup.automatic import remind_due
from roster.followup.remind import remind_import
from roster.importing.models import ImportJob
from roster.orgs.models import Organization


@task()
def remind_due_people(organization_id: int) -> int:
    return remind_due(organization_id)


@task()
def remind_in_background(organization_id: int, job_id: int, key: str, by: dict[str, Any]) -> int:
    """A click on Remind for more people than a request should wait for (same key: once);
    `by`: the admin who clicked (By.as_json), for the audit log."""
    org = Organization.objects.get(pk=organization_id)
    job = ImportJob.objects.in_org(org).get(pk=job_id)
    return remind_import(org, job, key=key, by=By.from_json(by)).reminded
