from typing import Self

from django.core.validators import RegexValidator
from django.db import models

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$"


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def by_slug_or_none(self, slug: str) -> "Organization | None":
        return self.filter(slug=slug).first()

    def active(self) -> Self:
        return self.filter(is_active=True)


class Organization(models.Model):
    """One licensee's platform. Every tenant row in Roster points at exactly one."""

    slug = models.SlugField(
        max_length=50,
        unique=True,
        validators=[RegexValidator(SLUG_PATTERN, "Use lowercase letters, digits and dashes.")],
        help_text="The portal lives at /o/<slug>/.",
    )
    name = models.CharField(max_length=200)
    default_region = models.CharField(
        max_length=2,
        default="US",
        help_text="Two-letter country code used to read phone numbers written without +country.",
    )
    undo_window_days = models.PositiveSmallIntegerField(
        default=7,
        help_text="Days after an import is applied during which an admin can undo it.",
    )
    is_active = models.BooleanField(default=True)
    # Automatic reminders to people who have not activated (roster/followup/automatic.py):
    # off unless the owner or an admin turns them on in the organization's settings.
    auto_remind = models.BooleanField(default=False)
    remind_after_days = models.PositiveSmallIntegerField(default=3)
    remind_at_most = models.PositiveSmallIntegerField(default=2)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
