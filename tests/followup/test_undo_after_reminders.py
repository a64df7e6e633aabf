"""An import whose people were reminded can still be undone: the reminders' lines and
invitations go with the accounts undo removes, and the reminder is one audit entry."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from roster.accounts.models import Account, Invitation
from roster.audit.models import Action, AuditEntry
from roster.followup.models import ReminderItem
from roster.importing.models import JobStatus
from roster.orgs.models import Organization
from tests.followup.helpers import activate, applied_import, press_remind, remind_key, result_page


def test_undo_removes_reminded_people_who_never_activated(
    org: Organization, admin_client: Client
) -> None:
    job = applied_import(admin_client)
    activate(Account.objects.get(email="ann@example.com"))
    a_day_later = time_machine.travel(timezone.now() + timedelta(days=1), tick=True)
    a_day_later.start()  # past the resend cool-down, within the undo window
    pressed = press_remind(admin_client, job, remind_key(result_page(admin_client, job)))
    assert pressed.status_code == 302
    reminded = set(ReminderItem.objects.values_list("account__email", flat=True))
    assert "bob@example.com" in reminded and "ann@example.com" not in reminded
    [entry] = AuditEntry.objects.filter(action=Action.REMINDED)
    assert (entry.import_job_id, entry.door, entry.detail["reminded"]) == (
        job.pk,
        "web",
        len(reminded),
    )

    undone = admin_client.post(f"/o/northside/imports/{job.pk}/undo-import/")
    assert undone.status_code == 302, undone.content.decode()[:2000]
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE
    # Ann activated: kept. Everyone else the import created is gone, with their reminders.
    assert list(
        Account.objects.in_org(org).exclude(role="admin").values_list("email", flat=True)
    ) == ["ann@example.com"]
    assert not ReminderItem.objects.exclude(account__email="ann@example.com").exists()
    assert not Invitation.objects.exclude(account__email="ann@example.com").exists()
    a_day_later.stop()
