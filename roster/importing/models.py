"""The stored import: what an admin uploaded or pasted, reviews, edits, and applies.

An ImportJob holds its sources (the uploaded file or pasted text), one ImportTab per
table with the admin's column choices, the rows as the admin sees and edits them, and
the flags of the last validation, so the review grid can page, filter and count without
validating again. jobs.py is the only writer. Every table carries the organization
(STYLE.md §16), and references rows of the same organization (roster/orgs/tenant_keys.py).
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from roster.accounts.models import Role
from roster.importing.mapping_memory import MappingMemory
from roster.orgs.models import Organization
from roster.orgs.tenant_keys import IN_SAME_ORGANIZATION, SameOrganization


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    REVIEWING = "reviewing", "Reviewing"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"
    # A draft the admin threw away: its rows, flags and stored files are deleted; the job
    # stays (its tabs, file names and who discarded it) so Imports can say what happened.
    DISCARDED = "discarded", "Discarded"
    # An applied import taken back (roster/importing/undo/): it cannot be applied again,
    # only copied into a new draft.
    UNDONE = "undone", "Undone"


class Door(models.TextChoices):
    """Where an import came in (Imports and `roster imports` say so)."""

    WEB = "web", "Web"
    CLI = "cli", "Command line"


class Severity(models.IntegerChoices):
    NONE = 0, "None"
    WARNING = 1, "Warning"
    ERROR = 2, "Error"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)


class ImportJob(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    invite = models.BooleanField(null=True)  # None: "Auto-invite new users upon close?" unanswered
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who last changed the job (an edit, a mapping, Finish, Yes, a discard), and when.
    touched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    touched_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # Each change bumps `revision`. A full check records the revision its summary is for
    # (`checked_revision`); the stored flags and keys say which revision they describe
    # (`flagged_revision`), which an edit re-checked at once moves on without a full check.
    revision = models.PositiveIntegerField(default=0)
    checked_revision = models.IntegerField(default=-1)
    flagged_revision = models.IntegerField(default=-1)
    # When a background check was queued and not yet finished: one at a time is enough,
    # since it checks again until it catches up with the admin's edits. A stale time
    # (a worker that died) lets the next change queue another.
    check_queued_at = models.DateTimeField(null=True, blank=True)
    preview = models.JSONField(default=dict, blank=True)  # the engine's summary of the last check
    summary = models.JSONField(default=dict, blank=True)  # the engine's summary when applied
    progress = models.PositiveIntegerField(default=0)  # rows read while applying
    # While applying: until when the apply is known alive (jobs/lease.py). Yes (or Try
    # again) starts attempt N with time to reach a worker; the worker that claims it
    # renews the lease as it goes and holds the job's row locked while it writes. Past
    # the lease the worker is presumed dead and the job is failed, to be retried; only
    # the worker of the current attempt may record an outcome.
    lease_until = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveIntegerField(default=0)
    claimed = models.BooleanField(default=False)  # a worker took the current attempt
    # Invitations an applied import recorded whose delivery may not be enqueued yet (the
    # process can die between the commit and the enqueue): [first, last] id runs.
    pending_delivery = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)  # rows kept (not deleted)
    error = models.TextField(blank=True, default="")
    notes = models.JSONField(default=list, blank=True)  # sentences about what was left out
    door = models.CharField(max_length=8, choices=Door.choices, default=Door.WEB)
    # What the apply wrote, for undo (undo/record.py): the ids of the accounts, links and
    # invitations it created, as [first, last] runs: {"accounts": …, "links": {kind: …},
    # "invitations": …}. Empty for an import applied before undo existed.
    applied_ids = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    undo_summary = models.JSONField(default=dict, blank=True)  # what undo did (undo/plan.py)
    # A bundle's issues on its link files (enrollments.csv…: intake.Intake.issues), as
    # summary.issue_dict gives them: no tab holds their rows, so they are no ImportFlag.
    # Link files are not edited in the review, so they hold until the job is discarded.
    bundle_issues = models.JSONField(default=list, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "id"], name="import_job_in_org"),
            SameOrganization(field="created_by", name="import_job_created_by"),
            SameOrganization(field="touched_by", name="import_job_touched_by"),
            SameOrganization(field="undone_by", name="import_job_undone_by"),
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="import_job_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def checked(self) -> bool:
        """The preview summary (and so the flags) describe the job as it is now."""
        return self.checked_revision == self.revision

    @property
    def flags_current(self) -> bool:
        """The stored flags describe the job as it is now (the summary may be older)."""
        return self.flagged_revision == self.revision

    @property
    def editable(self) -> bool:
        return self.status in (JobStatus.UPLOADED, JobStatus.REVIEWING)


class SourceKind(models.TextChoices):
    FILE = "file", "File"
    PASTE = "paste", "Pasted text"


def upload_path(source: "ImportSource", name: str) -> str:
    return f"imports/{source.organization_id}/{source.job_id}/{name}"


class ImportSource(models.Model):
    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    job = models.ForeignKey(ImportJob, related_name="sources", **IN_SAME_ORGANIZATION)
    kind = models.CharField(max_length=8, choices=SourceKind.choices)
    # The wizard tab it came in on; "" when the caller gave no role (jobs.NewSource).
    role = models.CharField(max_length=16, choices=Role.choices)
    file = models.FileField(upload_to=upload_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True, default="")
    text = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "id"], name="import_source_in_org"),
            SameOrganization(field="job", name="import_source_job"),
        ]

    def __str__(self) -> str:
        return self.file_name or (f"pasted {self.role} text" if self.role else "pasted text")


class ImportTab(models.Model):
    """One table of the import (a workbook tab, a CSV, a paste) and how its columns map."""

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    job = models.ForeignKey(ImportJob, related_name="tabs", **IN_SAME_ORGANIZATION)
    source = models.ForeignKey(ImportSource, related_name="tabs", **IN_SAME_ORGANIZATION)
    position = models.PositiveSmallIntegerField()
    # "" while unknown (intake.decide could not tell; the review asks), or for a table with
    # a role column and no role given for its blank cells.
    role = models.CharField(max_length=16, choices=Role.choices)
    file_name = models.CharField(max_length=255, blank=True, default="")  # "" for pasted text
    sheet = models.CharField(max_length=255)  # the name flags carry: the tab's, or the role's
    header = models.JSONField(default=list)
    header_row = models.PositiveIntegerField(default=1)
    choices = models.JSONField(default=dict, blank=True)  # column index → field, or "" to ignore
    # The choices that came from the organization's remembered mappings, not from an admin
    # of this import: [[column, field or ""], …] (the review says so, with "Forget").
    recalled = models.JSONField(default=list, blank=True)
    # A school-system bundle's table (intake.Decision): the system whose ids it carries
    # and the column holding each person's id ("" / None: no such ids).
    id_source = models.CharField(max_length=32, blank=True, default="")
    id_column = models.IntegerField(null=True, blank=True)
    # The flags the bundle found before validation, per row: {"row number": [[code,
    # column, detail, the cell's text then], …]}; each holds while its cell is unedited.
    bundle_flags = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0)  # kept (not deleted)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    flagged_rows = models.PositiveIntegerField(default=0)
    # Kept rows per outcome of the last check (ImportRow.outcome), as the grid's filter shows.
    new_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "job", "position"], name="one_tab_per_position"
            ),
            models.UniqueConstraint(fields=["organization", "id"], name="import_tab_in_org"),
            SameOrganization(field="job", name="import_tab_job"),
            SameOrganization(field="source", name="import_tab_source"),
        ]

    def __str__(self) -> str:
        return self.sheet


class Outcome(models.IntegerChoices):
    """What applying does to a row: plan.Action's values, as the engine planned it."""

    NEW = 0, "New"
    UPDATE = 1, "Update"
    UNCHANGED = 2, "Unchanged"
    SKIPPED = 3, "Skipped"


class ImportRow(models.Model):
    # The unique keys start with the organization: it needs no index of its own.
    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    job = models.ForeignKey(ImportJob, related_name="+", **IN_SAME_ORGANIZATION)
    tab = models.ForeignKey(ImportTab, related_name="+", **IN_SAME_ORGANIZATION)
    number = models.PositiveIntegerField()  # the row number the admin sees in the file
    cells = models.JSONField(default=list)
    lossy = models.JSONField(default=list, blank=True)  # the readers' Row.lossy, until edited
    deleted = models.BooleanField(default=False)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.NONE)
    # What applying does to it, from the plan of the last check; an update's fields are its
    # ImportChange rows. Born NEW, the commonest outcome of a first import, so that its
    # first check writes only the other rows; meaningful once the flags are current.
    # None for a deleted row.
    outcome = models.PositiveSmallIntegerField(
        choices=Outcome.choices, null=True, default=Outcome.NEW
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "tab", "number"], name="one_import_row_per_number"
            ),
            models.UniqueConstraint(fields=["organization", "id"], name="import_row_in_org"),
            SameOrganization(field="job", name="import_row_job"),
            SameOrganization(field="tab", name="import_row_tab"),
        ]
        indexes = [
            models.Index(fields=["tab", "deleted", "number"], name="import_row_page"),
            models.Index(
                fields=["tab", "deleted", "severity", "number"], name="import_row_flagged"
            ),
            models.Index(fields=["tab", "deleted", "outcome", "number"], name="import_row_outcome"),
        ]

    def __str__(self) -> str:
        return f"row {self.number}"


class ImportFlag(models.Model):
    """One issue the engine found, placed on a tab, a row and a column of the import."""

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    job = models.ForeignKey(ImportJob, related_name="+", **IN_SAME_ORGANIZATION)
    tab = models.ForeignKey(ImportTab, related_name="+", **IN_SAME_ORGANIZATION)
    row = models.PositiveIntegerField(null=True)  # None for a tab-level issue
    column = models.IntegerField(default=-1)  # -1 when no column of the tab holds it
    column_label = models.CharField(max_length=255, blank=True, default="")
    code = models.CharField(max_length=40)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    message = models.TextField()

    class Meta:
        constraints = [
            SameOrganization(field="job", name="import_flag_job"),
            SameOrganization(field="tab", name="import_flag_tab"),
        ]
        indexes = [
            models.Index(fields=["tab", "row"], name="import_flag_row"),
            models.Index(fields=["job", "code"], name="import_flag_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} at row {self.row}"


class ImportChange(models.Model):
    """One field an update changes in an existing account (old → new), from the last plan."""

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    job = models.ForeignKey(ImportJob, related_name="+", **IN_SAME_ORGANIZATION)
    # Its indexes start with the tab: it needs none of its own.
    tab = models.ForeignKey(ImportTab, related_name="+", db_index=False, **IN_SAME_ORGANIZATION)
    row = models.PositiveIntegerField()
    field = models.CharField(max_length=40)
    old = models.TextField()
    new = models.TextField()

    class Meta:
        constraints = [
            SameOrganization(field="job", name="import_change_job"),
            SameOrganization(field="tab", name="import_change_tab"),
        ]
        indexes = [
            models.Index(fields=["tab", "row"], name="import_change_row"),
            models.Index(fields=["tab", "field", "row"], name="import_change_field"),
        ]

    def __str__(self) -> str:
        return f"{self.field} of row {self.row}"


class KeyUse(models.IntegerChoices):
    """How a row holds an identity key: as its own, or named in one of its association cells."""

    OWN = 0, "Own email or username"
    PARENT_EMAIL = 1, "A student's parent"
    INSTRUCTOR_EMAIL = 2, "A student's instructor"
    PARENTS_STUDENT = 3, "A parent's student"
    INSTRUCTORS_STUDENT = 4, "An instructor's student"


class ImportKey(models.Model):
    """An identity key (email or username, trimmed, lower case) a row holds or names.

    Stored with the flags and describing the same revision, so that re-checking after an
    edit finds the rows the edit can affect (those sharing or naming its keys) by indexed
    look-ups instead of reading the whole import.
    """

    # No index of their own: the look-up index starts with the job, and every index slows
    # the bulk insert of a full check (hundreds of thousands of keys). Nor a constraint:
    # the row's own reference holds both (the row is in the job and the organization),
    # one check per key at commit instead of three.
    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    job = models.ForeignKey(ImportJob, related_name="+", db_index=False, **IN_SAME_ORGANIZATION)
    row = models.ForeignKey(ImportRow, related_name="+", **IN_SAME_ORGANIZATION)
    use = models.PositiveSmallIntegerField(choices=KeyUse.choices)
    key = models.TextField()

    class Meta:
        constraints = [SameOrganization(field="row", name="import_key_row")]
        indexes = [models.Index(fields=["job", "key", "use"], name="import_key_lookup")]

    def __str__(self) -> str:
        return self.key


class RememberedMappingQuerySet(models.QuerySet["RememberedMapping"]):
    def in_org(self, org: Organization) -> Self:
        return self.filter(organization=org)

    def memory_of(self, org_id: int) -> MappingMemory:
        """The organization's remembered mappings, in one query, for intake.decide."""
        rows = self.filter(organization_id=org_id).values_list("scope", "header_key", "field")
        return MappingMemory({(scope, key): field for scope, key, field in rows})


class RememberedMapping(models.Model):
    """How an admin of the organization last mapped a header (mapping_memory.py).

    Written when an admin maps a column in the review, deleted by "Forget"; read by
    every door through intake.decide.
    """

    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    # The tab's role, or "" for a table whose rows carry their own roles.
    scope = models.CharField(max_length=16, blank=True)
    header_key = models.CharField(max_length=255)  # mapping_memory.header_key
    header = models.CharField(max_length=255)  # as the admin's file spelled it last time
    field = models.CharField(max_length=40, blank=True)  # "" for "Ignore this column"
    updated_at = models.DateTimeField(auto_now=True)

    objects = RememberedMappingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scope", "header_key"], name="one_mapping_per_header"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field or 'ignored'}"


class ImportStep(models.Model):
    """One review step (a cell edit, group fix, find & replace, deletion, mapping change),
    kept so that it can be undone and redone from any browser (jobs/journal.py).

    `rows` holds, per row it touched, [id, tab id, number, cells, lossy, deleted, cells,
    lossy, deleted]: before the step, then after; `columns` the columns whose cells it
    changed (what the re-check needs to know); `choices` holds, per tab whose mapping it changed, the column
    choices before and after. The steps undone (`undone`) are the redo stack, which a new
    step drops.
    """

    organization = models.ForeignKey(Organization, related_name="+", **IN_SAME_ORGANIZATION)
    job = models.ForeignKey(ImportJob, related_name="+", **IN_SAME_ORGANIZATION)
    label = models.CharField(max_length=200)  # "trim 412 Email cells", after "Undo: "
    undone = models.BooleanField(default=False)
    rows = models.JSONField(default=list, blank=True)
    columns = models.JSONField(default=dict, blank=True)  # tab id → columns its rows changed
    moved = models.BooleanField(default=False)  # it deleted rows (undo restores them)
    choices = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "id"], name="import_step_in_org"),
            SameOrganization(field="job", name="import_step_job"),
        ]
        indexes = [models.Index(fields=["job", "undone", "id"], name="import_step_order")]

    def __str__(self) -> str:
        return self.label


class UpdatedAccount(models.Model):
    """An account an applied import updated: the fields it changed, before and after.

    Written in bulk by the apply (undo/record.py), read by undo to put back `before`
    where the account still holds `after`.
    """

    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    job = models.ForeignKey(ImportJob, related_name="+", db_index=False, **IN_SAME_ORGANIZATION)
    account_id = models.BigIntegerField()  # no foreign key: the account may be deleted since
    before = models.JSONField()  # field → value before the import
    after = models.JSONField()  # field → value the import set

    class Meta:
        constraints = [SameOrganization(field="job", name="updated_account_job")]
        indexes = [models.Index(fields=["organization", "job"], name="updated_account_job_idx")]

    def __str__(self) -> str:
        return f"account {self.account_id} updated by import {self.job_id}"


class NamedLink(models.Model):
    """A link an applied import named that existed already: undoing an earlier import
    that added it keeps it (the later import asks for it too)."""

    organization = models.ForeignKey(
        Organization, related_name="+", db_index=False, **IN_SAME_ORGANIZATION
    )
    job = models.ForeignKey(ImportJob, related_name="+", db_index=False, **IN_SAME_ORGANIZATION)
    kind = models.CharField(max_length=20)  # associations.KINDS
    student_id = models.BigIntegerField()
    other_id = models.BigIntegerField()

    class Meta:
        constraints = [SameOrganization(field="job", name="named_link_job")]
        indexes = [
            models.Index(fields=["organization", "student_id", "kind"], name="named_link_student")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.student_id}–{self.other_id} named by import {self.job_id}"
