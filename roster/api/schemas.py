"""What the API sends and takes, as pydantic schemas (the OpenAPI document is made of them)."""

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

RoleName = Literal["student", "instructor", "parent"]


class CountsOut(Schema):
    student: int
    instructor: int
    parent: int


class AssociationsOut(Schema):
    student_parent: int
    student_instructor: int


class SummaryOut(Schema):
    """PRODUCT.md's summary object, as `roster import --json` prints it."""

    create: CountsOut
    update: CountsOut
    unchanged: CountsOut
    skipped: CountsOut
    associations: AssociationsOut
    invites: int


class ColumnOut(Schema):
    column: int
    header: str
    field: str | None  # None: ignored, or no field matched


class TabOut(Schema):
    position: int
    file: str | None
    sheet: str
    role: str | None  # None until the admin says whom the table lists
    rows: int
    errors: int
    warnings: int
    mapping: list[ColumnOut]
    fields: list[str]  # what its columns may be mapped to


class ImportOut(Schema):
    id: int
    status: str
    invite: bool | None
    created_at: datetime
    total: int
    progress: int
    checked: bool  # the summary describes the import as it is now
    flags_current: bool  # the issues describe it as it is now
    error: str
    notes: list[str]
    tabs: list[TabOut]
    summary: SummaryOut | None  # what applying would do, or what it did once applied


class ProgressOut(Schema):
    status: str
    progress: int
    total: int
    checked: bool
    flags_current: bool


class IssueOut(Schema):
    code: str
    severity: Literal["error", "warning"]
    file: str | None
    sheet: str
    row: int | None
    column: str | None
    message: str
    tab: int | None  # null: an issue on a bundle's link file (enrollments.csv…), no tab


class IssuePage(Schema):
    count: int
    page: int
    pages: int
    items: list[IssueOut]


class ResultOut(Schema):
    """The applied import: `roster import --json`'s object."""

    summary: SummaryOut
    issues: list[IssueOut]


class TextSource(Schema):
    role: RoleName | None = None
    text: str = Field(min_length=1)


class TextImportIn(Schema):
    tables: list[TextSource] = Field(min_length=1, max_length=20)


class TabChange(Schema):
    tab: int = Field(ge=0, le=10_000)


class CellIn(TabChange):
    row: int = Field(ge=0)
    column: int = Field(ge=0)
    value: str


class MappingIn(TabChange):
    column: int = Field(ge=0)
    field: str | None  # None (or ""): ignore the column


class RoleIn(TabChange):
    role: RoleName


class DeleteRowsIn(TabChange):
    rows: list[int] = Field(min_length=1, max_length=100_000)


class FixIn(TabChange):
    """One group of flags fixed at once, as the review's "Fix all" offers it."""

    code: str
    column: int = -1
    cause: str = ""
    fix: str
    source: int = -1


class ReplaceIn(TabChange):
    column: int = Field(ge=0)
    find: str = Field(min_length=1)
    replace: str
    whole: bool = False


class FixGroupOut(Schema):
    """A group of flags the review's side list offers to fix at once (POST …/fixes)."""

    tab: int
    code: str
    column: int
    cause: str
    count: int
    heading: str
    fixes: list[str]


class ApplyIn(Schema):
    invite: bool  # "Auto-invite new users upon close?"


class PersonIn(Schema):
    role: RoleName
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    username: str = ""
    phone: str = ""
    parent_emails: list[str] = []
    instructor_emails: list[str] = []
    students: list[str] = []


class PersonPatch(Schema):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    username: str | None = None
    phone: str | None = None
    parent_emails: list[str] | None = None
    instructor_emails: list[str] | None = None
    students: list[str] | None = None


class PersonOut(Schema):
    id: int
    role: str
    status: str
    first_name: str
    last_name: str
    email: str | None
    username: str | None
    phone: str | None
    parents: list[str] | None = None
    instructors: list[str] | None = None
    students: list[str] | None = None


class PeoplePage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class ResendIn(Schema):
    ids: list[int] = Field(min_length=1, max_length=10_000)


class ResendOut(Schema):
    queued: int
    already_active: int
    recently_sent: int
    no_email: int


class ImportListItem(Schema):
    """One import as `roster imports --json` lists it."""

    id: int
    state: str
    door: str
    by: str | None
    created_at: str
    applied_at: str | None
    undone_at: str | None
    undo_until: str | None
    files: list[str | None]
    summary: dict[str, Any] | None


class ImportListPage(Schema):
    items: list[ImportListItem]
    next_cursor: str | None


class UndoIn(Schema):
    dry_run: bool = False


class UndoKept(Schema):
    what: str
    account: str
    field: str | None
    association: str | None
    other: str | None
    reason: str
    message: str


class UndoOut(Schema):
    """`roster undo --json`'s object."""

    import_: int = Field(alias="import")
    dry_run: bool
    summary: dict[str, Any]
    kept: list[UndoKept]
