"""AuditEntry: one append-only row per thing an admin (or the system) did to an organization.

Append-only twice over: this module refuses save() of an existing entry and every
QuerySet update/delete, and on PostgreSQL a trigger (migration 0001) refuses UPDATE and
DELETE whatever the client. The import and accounts an entry names are kept as plain ids
(no database constraint) with a snapshot of their names: the log outlives what it names
(an undo removes accounts; an entry must neither block that nor be rewritten by it).
"""

from typing import Any, ClassVar, NoReturn, Self

from django.db import models

from roster.orgs.models import Organization


class AppendOnlyError(Exception):
    """An audit entry cannot be changed or deleted."""


class Door(models.TextChoices):
    WEB = "web", "Web"
    CLI = "cli", "Command line"
    API = "api", "API"
    SYSTEM = "system", "System (task worker)"


class Action(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded an import"
    EDITED_CELL = "edited_cell", "Edited a cell"
    DELETED_ROWS = "deleted_rows", "Deleted rows"
    FIXED_GROUP = "fixed_group", "Fixed a group of cells"
    REPLACED_TEXT = "replaced_text", "Found and replaced"
    SENT_FIX_FILE = "sent_fix_file", "Sent back a fix file"
    CHANGED_MAPPING = "changed_mapping", "Changed a column's mapping"
    FORGOT_MAPPING = "forgot_mapping", "Forgot a remembered mapping"
    CHOSE_ROLE = "chose_role", "Chose a tab's role"
    DISCARDED = "discarded", "Discarded a draft import"
    APPLIED = "applied", "Applied an import"
    UNDID = "undid", "Undid an import"
    RESENT = "resent", "Resent activation emails"
    REMINDED = "reminded", "Sent activation reminders"
    ADDED_USER = "added_user", "Added a user"
    EDITED_USER = "edited_user", "Edited a user"
    DEACTIVATED_USER = "deactivated_user", "Deactivated a user"
    CREATED_ORGANIZATION = "created_organization", "Created the organization"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    door = models.CharField(max_length=8)  # a Door
    # Null: the system (a task, the command line, where nobody logs in).
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=400, blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)  # web and API only
    # An Action; no choices= on the column, so a new action needs no migration.
    action = models.CharField(max_length=32)
    import_job_id = models.BigIntegerField(null=True, blank=True)
    account_id = models.BigIntegerField(null=True, blank=True)
    account_label = models.CharField(max_length=400, blank=True, default="")
    detail = models.JSONField(default=dict, blank=True)  # which cell, old → new, counts

    objects: ClassVar[AuditQuerySet] = AuditQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name_plural = "audit entries"
        constraints = [
            models.UniqueConstraint(fields=["organization", "id"], name="audit_entry_in_org"),
        ]
        indexes = [
            # The page: newest first within an organization, by action, by import or account.
            models.Index(fields=["organization", "-at", "-id"], name="audit_org_newest"),
            models.Index(fields=["organization", "action", "-at"], name="audit_org_action"),
            models.Index(fields=["organization", "import_job_id"], name="audit_org_import"),
            models.Index(fields=["organization", "account_id"], name="audit_org_account"),
            models.Index(fields=["organization", "actor_id"], name="audit_org_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    @property
    def action_label(self) -> str:
        return _ACTION_LABELS.get(self.action, self.action)

    @property
    def door_label(self) -> str:
        return _DOOR_LABELS.get(self.door, self.door)


# Looked up once per entry of a 100,000-entry CSV: TextChoices.values rebuilds its list.
_ACTION_LABELS: dict[str, str] = dict(Action.choices)
_DOOR_LABELS: dict[str, str] = dict(Door.choices)
