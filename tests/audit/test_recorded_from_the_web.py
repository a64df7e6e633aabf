"""Each thing an admin does in the portal leaves exactly one audit entry naming them, the
web door, their address and what it concerned (issue 14, audit log)."""

from pathlib import Path

from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.audit.models import Action, AuditEntry, Door
from roster.importing.jobs.fixes import cause_of
from roster.importing.models import ImportFlag, ImportJob, ImportTab
from roster.orgs.models import Organization
from tests.audit.entries import one_entry
from tests.conftest import make_account
from tests.web.test_import_tab_roles import _two_tabs, _upload
from tests.web.test_import_wizard import start

GRID = {"X-Roster-Grid": "1"}
STUDENTS = (
    "First Name,Last Name,Email,Parent Email\n"
    "Ada,Lovelace,ada@example.com,nobody@example.com\n"
    "Alan,Turing,alan@example.com,ghost@example.com\n"
    "Grace,Hopper,grace@example.com,\n"
)


def _by_admin(entry: AuditEntry, admin: Account, action: Action) -> None:
    assert (entry.action, entry.door, entry.actor_id) == (action, Door.WEB, admin.pk)
    assert entry.ip == "127.0.0.1" and "admin@northside.example" in entry.actor_label


def test_an_import_from_upload_to_apply(
    admin_client: Client, admin: Account, org: Organization
) -> None:
    jobs: list[ImportJob] = []
    uploaded = one_entry(org, lambda: jobs.append(start(admin_client, student_text=STUDENTS)))
    job = jobs[0]
    _by_admin(uploaded, admin, Action.UPLOADED)
    assert (uploaded.import_job_id, uploaded.detail) == (
        job.pk,
        {"sources": ["pasted text"], "rows": 3},
    )
    review = f"/o/northside/imports/{job.pk}/"

    def post(action: str, data: dict[str, object]) -> None:
        response = admin_client.post(f"{review}{action}/", data, headers=GRID)
        assert response.status_code in (200, 302), response.content.decode()[:500]

    edit = {"tab": 0, "row": 2, "column": 0, "value": "Adah"}
    edited = one_entry(org, lambda: post("cell", edit))
    _by_admin(edited, admin, Action.EDITED_CELL)
    assert edited.import_job_id == job.pk
    assert edited.detail == {
        "tab": "Student",
        "column": "First Name",
        "row": 2,
        "old": "Ada",
        "new": "Adah",
    }

    flag = ImportFlag.objects.filter(job=job, code="unknown_association").first()
    assert flag is not None
    group = {"tab": 0, "code": flag.code, "column": 3, "cause": cause_of(flag.message)}
    fixed = one_entry(org, lambda: post("fix", group | {"fix": "drop_link"}))
    _by_admin(fixed, admin, Action.FIXED_GROUP)
    assert (fixed.detail["rows"], fixed.detail["fix"], fixed.detail["code"]) == (
        2,
        "drop_link",
        flag.code,
    )

    replace = {"tab": 0, "column": 2, "find": "@example.com", "replace": "@school.example"}
    replaced = one_entry(org, lambda: post("replace", replace))
    _by_admin(replaced, admin, Action.REPLACED_TEXT)
    assert replaced.detail["cells"] == 3

    deleted = one_entry(org, lambda: post("delete", {"tab": 0, "rows": [4]}))
    _by_admin(deleted, admin, Action.DELETED_ROWS)
    assert deleted.detail == {"tab": "Student", "rows": 1}

    mapped = one_entry(org, lambda: post("column", {"tab": 0, "column": 3, "field": ""}))
    _by_admin(mapped, admin, Action.CHANGED_MAPPING)
    assert mapped.detail == {"tab": "Student", "column": "Parent Email", "field": ""}

    assert admin_client.post(f"{review}finish/", {"invite": "no"}).status_code == 302
    applied = one_entry(org, lambda: post("apply", {}))
    _by_admin(applied, admin, Action.APPLIED)
    assert applied.import_job_id == job.pk
    assert applied.detail == {
        "create": 2,
        "update": 0,
        "unchanged": 0,
        "skipped": 0,
        "links": 0,
        "invites": 0,
    }
    # Activity tells each one in words, linked to the import.
    page = admin_client.get("/o/northside/activity/").content.decode()
    for words in (
        "pasted text (3 rows)",
        "Student row 2, First Name: “Ada” → “Adah”",
        "“Keep the rows, drop the link that names nobody” on 2 rows flagged unknown_association",
        "“@example.com” → “@school.example” in 3 cells (Student, Email)",
        "1 row of Student",
        "Student, Parent Email → ignored",
        "2 new, 0 updated, 0 unchanged, 0 skipped; 0 links, 0 invitations",
    ):
        assert words in page
    assert page.count(f'href="/o/northside/imports/{job.pk}/result/"') == 7
    # Pressing Yes again applies nothing, and records nothing.
    before = AuditEntry.objects.count()
    admin_client.post(f"{review}apply/")
    assert AuditEntry.objects.count() == before


def test_choosing_a_tabs_role(
    admin_client: Client, admin: Account, org: Organization, tmp_path: Path
) -> None:
    job = _upload(admin_client, _two_tabs(tmp_path))
    sheet2 = ImportTab.objects.get(job=job, role="")
    data = {"tab": sheet2.position, "role": "student"}
    chosen = one_entry(org, lambda: admin_client.post(f"/o/northside/imports/{job.pk}/role/", data))
    _by_admin(chosen, admin, Action.CHOSE_ROLE)
    assert chosen.detail == {"tab": "Sheet2", "role": "student"}


def test_discarding_a_draft(admin_client: Client, admin: Account, org: Organization) -> None:
    job = start(admin_client, student_text=STUDENTS)
    discard = f"/o/northside/imports/{job.pk}/discard/"
    discarded = one_entry(org, lambda: admin_client.post(discard))
    _by_admin(discarded, admin, Action.DISCARDED)
    assert (discarded.import_job_id, discarded.detail) == (job.pk, {"rows": 3})


def test_adding_and_editing_a_user(admin_client: Client, admin: Account, org: Organization) -> None:
    values = {
        "role": "student",
        "first_name": "Ana",
        "last_name": "Silva",
        "email": "ana@example.com",
    }
    added = one_entry(org, lambda: admin_client.post("/o/northside/users/new/", values))
    ana = Account.objects.in_org(org).get(email="ana@example.com")
    _by_admin(added, admin, Action.ADDED_USER)
    assert (added.account_id, added.account_label) == (ana.pk, "Ana Silva <ana@example.com>")
    edit = f"/o/northside/users/{ana.pk}/edit/"
    edited = one_entry(org, lambda: admin_client.post(edit, values | {"last_name": "Santos"}))
    _by_admin(edited, admin, Action.EDITED_USER)
    assert edited.account_id == ana.pk
    assert edited.detail == {"role": "student", "changed": {"last_name": ["Silva", "Santos"]}}


def test_resending_to_one_and_to_many(
    admin_client: Client, admin: Account, org: Organization
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@example.com", status=Status.PENDING)
    other = make_account(org, Role.PARENT, "mum@example.com", status=Status.PENDING)
    one = one_entry(org, lambda: admin_client.post(f"/o/northside/users/{kid.pk}/resend/"))
    _by_admin(one, admin, Action.RESENT)
    assert (one.account_id, one.detail["queued"], one.detail["chosen"]) == (kid.pk, 1, 1)
    data = {"scope": "selected", "ids": [kid.pk, other.pk]}
    many = one_entry(org, lambda: admin_client.post("/o/northside/users/resend/", data))
    _by_admin(many, admin, Action.RESENT)
    assert many.account_id is None  # many people: the counts say how many
    assert (many.detail["chosen"], many.detail["queued"], many.detail["recently_sent"]) == (2, 1, 1)


def test_an_address_behind_a_trusted_proxy_is_the_clients(
    admin_client: Client, org: Organization, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    kid = make_account(org, Role.STUDENT, "kid@example.com", status=Status.PENDING)
    headers = {"X-Forwarded-For": "203.0.113.9"}
    url = f"/o/northside/users/{kid.pk}/resend/"
    entry = one_entry(org, lambda: admin_client.post(url, headers=headers))
    assert entry.ip == "203.0.113.9"
