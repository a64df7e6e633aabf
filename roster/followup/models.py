"""Reminders to the people of an import who have not activated (docs/invitations.md).

A Reminder is one click on "Remind" (or one automatic round for one import on one day);
a ReminderItem is one person it emailed, with the Invitation that carries the email
through the outbox. The unique keys are what make a reminder exactly-once: a double
click or two concurrent requests share the click's key, two workers the round's key, and
no reminder can name one account twice.
"""

from typing import Self

from django.conf import settings
from django.db import models

from roster.orgs.models import Organization
from roster.orgs.tenant_keys import IN_SAME_ORGANIZATION, SameOrganization


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)


class Reminder(models.Model):
    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    job = models.ForeignKey("importing.ImportJob", related_name="+", **IN_SAME_ORGANIZATION)
    # "click:<nonce of the page's form>" or "auto:<job id>:<day>": one reminder per key.
    key = models.CharField(max_length=80)
    automatic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded = models.PositiveIntegerField(default=0)  # emails queued
    renewed = models.PositiveIntegerField(default=0)  # of which replaced an expired link
    parents = models.PositiveIntegerField(default=0)  # of which to a student's parent
    held = models.PositiveIntegerField(default=0)  # emailed too recently: not sent again yet

    objects = ReminderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="one_reminder_per_key"),
            models.UniqueConstraint(fields=["organization", "id"], name="reminder_in_org"),
            SameOrganization(field="job", name="reminder_job"),
            SameOrganization(field="created_by", name="reminder_created_by"),
        ]

    def __str__(self) -> str:
        return f"reminder {self.pk} of import {self.job_id}"


class ReminderItem(models.Model):
    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    reminder = models.ForeignKey(Reminder, related_name="items", **IN_SAME_ORGANIZATION)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    # No constraint in the database: invitations have no (organization, id) key to point at
    # (one more index on every import's invitations), and the account's reference, checked
    # by the database, already holds the organization.
    invitation = models.ForeignKey(
        "accounts.Invitation",
        related_name="+",
        db_index=False,
        on_delete=models.CASCADE,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reminder", "account"], name="one_reminder_per_account"
            ),
            SameOrganization(field="reminder", name="reminder_item_reminder"),
            SameOrganization(field="account", name="reminder_item_account"),
        ]
        indexes = [
            models.Index(fields=["organization", "account"], name="reminder_item_by_account")
        ]

    def __str__(self) -> str:
        return f"account {self.account_id} in reminder {self.reminder_id}"
