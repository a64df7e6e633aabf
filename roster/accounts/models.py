from datetime import datetime
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import connection, models
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower

# Re-exported: the rest of the code takes them from here (roles.py says why they moved).
from roster.accounts.roles import ORG_ADMIN_ROLES as ORG_ADMIN_ROLES
from roster.accounts.roles import PEOPLE_ROLES as PEOPLE_ROLES
from roster.accounts.roles import Role as Role
from roster.accounts.roles import Status as Status
from roster.accounts.search_index import matching_ids
from roster.orgs.models import Organization
from roster.orgs.tenant_keys import IN_SAME_ORGANIZATION, SameOrganization


class AccountQuerySet(models.QuerySet["Account"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)

    def people(self) -> Self:
        return self.filter(role__in=PEOPLE_ROLES)

    def search(self, text: str, org: Organization) -> Self:
        """People of `org` whose name, email or username contain every word of `text`, in
        any case: on PostgreSQL by the search entries' trigram index (search_index.py)."""
        words = text.split()
        if not words:
            return self
        if any("\x00" in word for word in words):
            return self.none()  # no account holds a NUL (PostgreSQL refuses one in text)
        if connection.vendor == "postgresql":
            sql, params = matching_ids(org.pk, words)
            return self.filter(organization=org, pk__in=RawSQL(sql, params))
        query = Q(organization=org)
        for word in words:
            query &= Q(search_text__icontains=word)
        return self.filter(query)


class AccountManager(BaseUserManager["Account"]):
    def get_queryset(self) -> AccountQuerySet:
        return AccountQuerySet(self.model, using=self._db)

    def in_org(self, org: Organization) -> AccountQuerySet:
        return self.get_queryset().in_org(org)

    def create_superuser(self, email: str, password: str | None, **extra: Any) -> "Account":
        """Platform staff for Django's admin (createsuperuser); they belong to no organization."""
        from roster.importing.fields import check_email  # the field catalogue imports Role

        checked = check_email(email.strip())  # stored canonical, as the login looks it up
        account = self.model(
            email=checked.value,
            role=Role.OPERATOR,
            status=Status.ACTIVE,
            is_staff=True,
            is_superuser=True,
            **extra,
        )
        account.set_password(password)
        account.save(using=self._db)
        return account


class Account(AbstractBaseUser, PermissionsMixin):
    """A person in one organization: owner, admin, student, instructor or parent.

    Identity is the email, unique per organization ignoring case; a student may have a
    username instead. The same email in two organizations is two unrelated accounts.
    """

    # No index of its own: the (organization, id) key and every other index of the table
    # start with the organization, and each index costs every inserted account.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accounts",
        db_index=False,
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    email = models.CharField(max_length=254, blank=True, default="")
    username = models.CharField(max_length=64, blank=True, default="")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=32, blank=True, default="")
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # The import that created the account (None: by hand, the command line, the owner),
    # so that each import can be followed to activated accounts (roster/followup/).
    created_by_import = models.ForeignKey(
        "importing.ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the index below starts with the organization
    )
    # What User Management's search looks in, kept by the database itself so that one
    # trigram index (PostgreSQL: on SearchEntry's copy, migration 0010) serves the search.
    search_text = models.GeneratedField(
        expression=Concat(
            "first_name", Value(" "), "last_name", Value(" "), "email", Value(" "), "username"
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects: ClassVar[AccountManager] = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                F("organization"),
                Lower("email"),
                condition=~Q(email=""),
                name="account_email_unique_in_org",
                violation_error_message="An account with this email already exists.",
            ),
            models.UniqueConstraint(
                F("organization"),
                Lower("username"),
                condition=~Q(username=""),
                name="account_username_unique_in_org",
                violation_error_message="An account with this username already exists.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(organization__isnull=True),
                name="operator_email_unique",
            ),
            # Lets future association tables reference (organization, id) when the
            # schema is distributed by organization (docs/architecture.md).
            models.UniqueConstraint(fields=["organization", "id"], name="account_org_id"),
            models.CheckConstraint(
                condition=(Q(organization__isnull=True) & Q(role=Role.OPERATOR))
                | (Q(organization__isnull=False) & ~Q(role=Role.OPERATOR)),
                name="account_operator_has_no_org",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | (Q(role=Role.STUDENT) & ~Q(username="")),
                name="account_has_email_or_student_username",
            ),
            models.CheckConstraint(
                condition=Q(username="") | Q(role=Role.STUDENT),
                name="account_username_only_for_students",
            ),
            SameOrganization(field="created_by_import", name="account_created_by_import"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="account_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="account_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "last_name", "first_name", "id"]),
            models.Index(fields=["organization", "role", "status"]),
            models.Index(
                fields=["organization", "created_by_import", "status"], name="account_by_import"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.login_name}>"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Only active accounts can log in (PRODUCT.md, account status)."""
        return self.status == Status.ACTIVE

    @property
    def login_name(self) -> str:
        return self.email or self.username

    def listed(self) -> dict[str, Any]:
        """Its fields as `roster users --json` and the API give them (PRODUCT.md)."""
        return {
            "role": self.role,
            "status": self.status,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email or None,
            "username": self.username or None,
            "phone": self.phone or None,
        }

    @property
    def link_keys(self) -> tuple[str, ...]:
        """The lists of linked accounts it is given: a student's parents and instructors,
        anyone else's students."""
        return ("parents", "instructors") if self.role == Role.STUDENT else ("students",)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_org_admin(self) -> bool:
        return self.role in ORG_ADMIN_ROLES

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name


# The links and invitations reference accounts by (organization, id): SameOrganization
# replaces the single-column foreign keys, and implies the organization's own (the
# account's organization exists). The link tables' unique keys start with the
# organization, so it needs no index of its own there.
class StudentParent(models.Model):
    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    student = models.ForeignKey(Account, related_name="parent_links", **IN_SAME_ORGANIZATION)
    parent = models.ForeignKey(
        Account, related_name="student_links_as_parent", **IN_SAME_ORGANIZATION
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student", "parent"], name="one_parent_link_per_pair"
            ),
            SameOrganization(field="student", name="parent_link_student"),
            SameOrganization(field="parent", name="parent_link_parent"),
        ]

    def __str__(self) -> str:
        return f"student {self.student_id} ↔ parent {self.parent_id}"


class StudentInstructor(models.Model):
    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    student = models.ForeignKey(Account, related_name="instructor_links", **IN_SAME_ORGANIZATION)
    instructor = models.ForeignKey(
        Account, related_name="student_links_as_instructor", **IN_SAME_ORGANIZATION
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "student", "instructor"],
                name="one_instructor_link_per_pair",
            ),
            SameOrganization(field="student", name="instructor_link_student"),
            SameOrganization(field="instructor", name="instructor_link_instructor"),
        ]

    def __str__(self) -> str:
        return f"student {self.student_id} ↔ instructor {self.instructor_id}"


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Never sent and never will be: replaced by a newer one, or no longer needed.
    CANCELLED = "cancelled", "Cancelled"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)

    def due(self, now: datetime) -> Self:
        """Queued and not waiting for a back-off: a worker may take them now."""
        return self.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            status=InvitationStatus.QUEUED,
        )


class Invitation(models.Model):
    """The intent to send one activation email, stored with the change that caused it.

    A worker claims it with a conditional UPDATE (queued → sending), so retries and extra
    workers never send it twice (roster/accounts/delivery.py).
    """

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    account = models.ForeignKey(Account, related_name="invitations", **IN_SAME_ORGANIZATION)
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "account"],
                condition=Q(status__in=["queued", "sending"]),
                name="one_pending_invitation_per_account",
            ),
            SameOrganization(field="account", name="invitation_account"),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"invitation {self.pk} for account {self.account_id} ({self.status})"


class ExternalId(models.Model):
    """A person's id in a school system's export (OneRoster's sourcedId, …), per organization.

    Imports of a bundle match its rows to accounts by these first (docs/import-rules.md,
    "Links by id"), so next year's export updates the same people even when an email
    changed. One id per system names one account, and an account has one id per system.
    """

    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    account = models.ForeignKey(Account, related_name="external_ids", **IN_SAME_ORGANIZATION)
    source = models.CharField(max_length=32)  # the school system: "oneroster", "canvas", …
    value = models.CharField(max_length=255)  # the id, as the export writes it
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source", "value"], name="one_account_per_external_id"
            ),
            models.UniqueConstraint(
                fields=["organization", "source", "account"],
                name="one_external_id_per_account_and_source",
            ),
            SameOrganization(field="account", name="external_id_account"),
        ]

    def __str__(self) -> str:
        return f"{self.source} id {self.value} of account {self.account_id}"


class SearchEntry(models.Model):
    """What User Management's search looks in for one account (search_index.py).

    On PostgreSQL, triggers write it when the account is inserted or renamed (a big
    import's accounts get theirs from a task after its commit), and a trigram index on
    `text` serves the search; on SQLite it stays empty and the search reads the accounts.
    """

    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    account = models.ForeignKey(Account, related_name="+", db_index=False, **IN_SAME_ORGANIZATION)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "account"], name="one_search_entry_per_account"
            ),
            SameOrganization(field="account", name="search_entry_account"),
        ]

    def __str__(self) -> str:
        return f"search entry of account {self.account_id}"


class SearchBacklog(models.Model):
    """A range of account ids a big import created without their search entries, until a
    task has written them (search_index.py; PostgreSQL only)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organization", "first_id"])]

    def __str__(self) -> str:
        return f"accounts {self.first_id}–{self.last_id} waiting for search entries"
