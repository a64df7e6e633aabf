"""API tokens, their rate windows and the Idempotency-Keys of applies.

A token belongs to one organization and carries its scopes; only the sha256 of its secret
is stored (tokens.py). Every table carries the organization (STYLE.md §16).
"""

from typing import Self

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from roster.importing.models import ImportJob
from roster.orgs.models import Organization
from roster.orgs.tenant_keys import IN_SAME_ORGANIZATION, SameOrganization


class Scope(models.TextChoices):
    READ = "read", "Read imports and people"
    IMPORT = "import", "Create, review and apply imports"
    PEOPLE = "people", "Manage people"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)


class ApiToken(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list)  # Scope values
    # sha256 (hex) of the whole secret; the secret itself is shown once and never stored.
    secret_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)  # the secret's first characters, to tell tokens apart
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "id"], name="api_token_in_org"),
            SameOrganization(field="created_by", name="api_token_created_by"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class ApiRateWindow(models.Model):
    """A token's calls in the current minute: one row per token, counted in the database so
    that every web process shares it (rate.py)."""

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    token = models.OneToOneField(ApiToken, related_name="+", **IN_SAME_ORGANIZATION)
    started_at = models.DateTimeField()
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "id"], name="api_rate_in_org"),
            SameOrganization(field="token", name="api_rate_token"),
        ]

    def __str__(self) -> str:
        return f"{self.calls} calls since {self.started_at}"


class IdempotencyKey(models.Model):
    """An apply's Idempotency-Key: the first call stores it (unique per organization) and,
    once done, its answer; a repeat gets that answer and applies nothing."""

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    key = models.CharField(max_length=255)
    job = models.ForeignKey(ImportJob, related_name="+", **IN_SAME_ORGANIZATION)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # None: in progress
    response = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="one_idempotency_key"),
            models.UniqueConstraint(fields=["organization", "id"], name="idempotency_key_in_org"),
            SameOrganization(field="job", name="idempotency_key_job"),
        ]

    def __str__(self) -> str:
        return self.key
