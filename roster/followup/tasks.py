"""Background doors for reminders: ids in, one core call inside."""

from django.tasks import task

from roster.followup.automatic import remind_due


@task()
def remind_due_people(organization_id: int) -> int:
    return remind_due(organization_id)
