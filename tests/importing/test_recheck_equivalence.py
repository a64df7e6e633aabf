"""Re-checking after each edit stores exactly what a full check from scratch stores.

A small job with every kind of cross-row dependency (duplicates across tabs, parents and
instructors named on either side, username-only students, a tab with a role column,
accounts the organization already has), then long seeded sequences of random edits,
deletions, group fixes, find & replace, undo and redo; after each one the stored flags, row severities, tab counts and keys are
compared with those of a full check.
"""

import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roster.accounts.models import Account, Role, StudentParent
from roster.audit.log import SYSTEM
from roster.importing import jobs
from roster.importing.headers import ROLE
from roster.importing.jobs import recheck
from roster.importing.jobs.fixes import fixes_for
from roster.importing.jobs.mappings import mapping_choices
from roster.importing.jobs.tables import column_map
from roster.importing.models import ImportFlag, ImportJob, ImportRow, ImportStep, ImportTab
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.importing.flag_state import assert_as_full_check

STUDENT_HEADER = "First Name,Last Name,Email,Username,Phone,Parent Email,Instructor Email,Notes"
OTHER_HEADER = "First Name,Last Name,Email,Phone,Student"
MIXED_HEADER = "Role,First Name,Last Name,Email,Username,Parent 1 Email,Parent 2 Email"
# Few identities, so that rows keep colliding and naming each other.
STUDENT_EMAILS = [
    "ann@example.com",
    "bo@example.com",
    "cy@example.com",
    "di@example.com",
    "ANN@Example.com",
    "old.student@example.com",
]
PARENT_EMAILS = ["pat@example.com", "quinn@example.com", "old.parent@example.com"]
INSTRUCTOR_EMAILS = ["tim@example.com", "uma@example.com", "old.teacher@example.com"]
USERNAMES = ["kid1", "kid2", "kid3", "kid4", "kid5", "Kid1", "oldkid", "linkedkid", "bothkid"]
ODD = ["both@example.com", "admin@northside.example", "nobody@example.com", "bad@@example", "x!"]
# What a cell of each column mostly holds, and what it sometimes holds instead.
USUAL: dict[str, list[str]] = {
    "First Name": ["Ann"],
    "Last Name": ["Lee"],
    "Phone": ["", "415 555 0100"],
    "Role": ["student", "parent", "teacher"],
    "Notes": ["anything"],
    "Username": [*USERNAMES, "", ""],
    "Student": [*USERNAMES, *STUDENT_EMAILS[:3]],
    "Parent Email": PARENT_EMAILS,
    "Parent 1 Email": PARENT_EMAILS,
    "Parent 2 Email": PARENT_EMAILS,
    "Instructor Email": INSTRUCTOR_EMAILS,
}
EMAILS_OF = {
    Role.STUDENT: [*STUDENT_EMAILS, "", "", "", ""],
    Role.PARENT: PARENT_EMAILS,
    Role.INSTRUCTOR: INSTRUCTOR_EMAILS,
}
ANYTHING = [
    *STUDENT_EMAILS,
    *PARENT_EMAILS,
    *INSTRUCTOR_EMAILS,
    *USERNAMES,
    *ODD,
    "",
    "=Bob",
    "x" * 101,
    "call me",
    "alien",
]
LINKS = {"Student", "Parent Email", "Parent 1 Email", "Parent 2 Email", "Instructor Email"}


def existing_accounts(org: Organization) -> None:
    old_parent = make_account(org, Role.PARENT, "old.parent@example.com")
    make_account(org, Role.INSTRUCTOR, "old.teacher@example.com")
    make_account(org, Role.STUDENT, "old.student@example.com")
    make_account(org, Role.STUDENT, "", username="oldkid")
    make_account(org, Role.STUDENT, "both@example.com", username="bothkid")
    linked = make_account(org, Role.STUDENT, "", username="linkedkid")
    StudentParent.objects.create(organization=org, student=linked, parent=old_parent)


def review_job(org: Organization, admin: Account, rng: random.Random) -> ImportJob:
    """Four tabs of random rows: students, parents, instructors, and a role column."""
    mixed = random_text(MIXED_HEADER, Role.STUDENT, 5, rng)
    sources = [
        jobs.NewSource(Role.STUDENT, text=random_text(STUDENT_HEADER, Role.STUDENT, 8, rng)),
        jobs.NewSource(Role.PARENT, text=random_text(OTHER_HEADER, Role.PARENT, 5, rng)),
        jobs.NewSource(Role.INSTRUCTOR, text=random_text(OTHER_HEADER, Role.INSTRUCTOR, 3, rng)),
        jobs.NewSource(Role.STUDENT, upload=SimpleUploadedFile("mixed.csv", mixed.encode())),
    ]
    job = jobs.create_job(org, admin, sources, by=SYSTEM)
    assert jobs.check_job(job)
    return job


def random_text(header: str, role: Role, rows: int, rng: random.Random) -> str:
    names = header.split(",")
    lines = [",".join(value_for(name, role, rng) for name in names) for _ in range(rows)]
    return "\n".join([header, *lines]) + "\n"


def value_for(header: str, role: Role, rng: random.Random) -> str:
    """Mostly a usual value for the column, sometimes anything at all."""
    usual = EMAILS_OF[role] if header == "Email" else USUAL[header]
    if rng.random() < 0.15:
        usual = ANYTHING
    if header not in LINKS:
        return rng.choice(usual)
    # An association cell: none, one or two people.
    return "; ".join(rng.sample(usual, rng.choice([0, 0, 1, 1, 2])))


def one_change(job: ImportJob, rng: random.Random) -> str:
    """Edit a random cell, delete random rows, map a column, fix a group of flags, find &
    replace, undo or redo; says what it did ("role" or "mapping": checked in full)."""
    roll = rng.random()
    try:
        if roll < 0.08:
            return step_again(job, rng)
        if roll < 0.18:
            return group_fix(job, rng)
        if roll < 0.24:
            return replace_in_column(job, rng)
    except jobs.EditError:
        return "none"  # nothing to undo, no cell would change …
    return edit_or_delete(job, rng)


def step_again(job: ImportJob, rng: random.Random) -> str:
    """Undo or redo; a step that changed a mapping waits for the full check, as it did."""
    undoing = rng.random() < 0.7
    steps = ImportStep.objects.filter(job=job, undone=not undoing)
    step = steps.order_by("-id" if undoing else "id").first()
    if step is None:
        return "none"
    (jobs.undo if undoing else jobs.redo)(job)
    if step.choices:
        return full_check(job)
    return "role" if touches_role(job, step) else "undo"


def touches_role(job: ImportJob, step: ImportStep) -> bool:
    """A step whose rows changed a cell of a Role column: re-checked in full."""
    tabs = {tab.pk: column_map(tab).fields for tab in ImportTab.objects.filter(job=job)}
    for _, tab_id, _, before, _, _, after, _, _ in step.rows:
        width = max(len(before), len(after))
        before, after = before + [""] * (width - len(before)), after + [""] * (width - len(after))
        changed = [index for index in range(width) if before[index] != after[index]]
        if any(tabs[tab_id][index] == ROLE for index in changed if index < len(tabs[tab_id])):
            return True
    return False


def full_check(job: ImportJob) -> str:
    assert not job.flags_current
    assert jobs.check_job(job), "the full check a new mapping waits for"
    return "mapping"


def group_fix(job: ImportJob, rng: random.Random) -> str:
    """One of the fixes offered for a random group of flags."""
    flags = ImportFlag.objects.filter(job=job).exclude(row=None)
    found = list(flags.values_list("tab_id", "code", "column").distinct().order_by())
    if not found:
        return "none"
    tab_id, code, column = rng.choice(sorted(found))
    tab = ImportTab.objects.get(pk=tab_id)
    group = jobs.Group(code, column)
    fix = rng.choice(fixes_for(tab, group))
    role_column = column >= 0 and column_map(tab).fields[column] == ROLE
    jobs.fix_group(job, tab, group, fix, source=rng.randrange(len(tab.header)), by=SYSTEM)
    if fix == "ignore":
        return full_check(job)
    return "role" if role_column and fix != "delete" else "group"


def replace_in_column(job: ImportJob, rng: random.Random) -> str:
    """Find & replace: a whole value of the column, or a piece of one."""
    tab = rng.choice(list(ImportTab.objects.filter(job=job)))
    column = rng.randrange(len(tab.header))
    cells = list(ImportRow.objects.filter(tab=tab, deleted=False).values_list("cells", flat=True))
    values = [row[column] for row in cells if column < len(row)] or [""]
    find = rng.choice(values)
    whole = rng.random() < 0.5 or not find
    if not whole:
        start = rng.randrange(len(find))
        find = find[start : start + rng.choice([1, 3, 8])]
    replace = value_for(tab.header[column], Role(tab.role), rng)
    jobs.find_replace(job, tab, column, find, replace, whole=whole, by=SYSTEM)
    return "role" if column_map(tab).fields[column] == ROLE else "replace"


def edit_or_delete(job: ImportJob, rng: random.Random) -> str:
    tab = rng.choice(list(ImportTab.objects.filter(job=job)))
    numbers = list(
        ImportRow.objects.filter(tab=tab, deleted=False).values_list("number", flat=True)
    )
    if not numbers:
        return "none"
    if len(numbers) > 2 and rng.random() < 0.08:
        jobs.delete_rows(job, tab, rng.sample(numbers, rng.choice([1, 2])), by=SYSTEM)
        return "delete"
    if rng.random() < 0.03:
        fields = [name for name, _ in mapping_choices(tab)]
        jobs.choose_column(
            job, tab, rng.randrange(len(tab.header)), rng.choice([*fields, None]), by=SYSTEM
        )
        return full_check(job)
    # Mostly the cells that other rows depend on.
    weights = [3 if name in LINKS or name in ("Email", "Username") else 1 for name in tab.header]
    column = rng.choices(range(len(tab.header)), weights)[0]
    value = value_for(tab.header[column], Role(tab.role), rng)
    jobs.edit_cell(job, tab, rng.choice(numbers), column, value, by=SYSTEM)
    return "role" if column_map(tab).fields[column] == ROLE else "cell"


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the full checks an edit falls back to."""
    calls: list[int] = []

    def counted(job: ImportJob) -> bool:
        calls.append(job.revision)
        return jobs.check_job(job)

    monkeypatch.setattr(recheck, "check_job", counted)
    return calls


@pytest.mark.parametrize("seed", range(6))
def test_every_edit_stores_what_a_full_check_would(
    org: Organization,
    admin: Account,
    settings: Any,
    tmp_path: Any,
    full_checks: list[int],
    seed: int,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    existing_accounts(org)
    rng = random.Random(seed)
    job = review_job(org, admin, rng)
    role_edits = 0
    for _ in range(60):
        role_edits += one_change(job, rng) == "role"
        assert_as_full_check(job)
    # Only a row's role moving takes the full check; every other edit is re-checked in part.
    assert len(full_checks) == role_edits
