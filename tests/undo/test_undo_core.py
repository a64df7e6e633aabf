"""Undo of an applied import (roster/importing/undo/): every kind of change an import makes."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roster.accounts.editing import save_account
from roster.accounts.models import (
    Account,
    Invitation,
    InvitationStatus,
    Role,
    Status,
    StudentInstructor,
    StudentParent,
)
from roster.audit.log import SYSTEM
from roster.audit.models import Action as AuditAction
from roster.audit.models import AuditEntry
from roster.importing.jobs import start_apply
from roster.importing.models import Door, ImportJob, JobStatus
from roster.importing.undo import Reason, UndoRefused, plan_undo, undo_import
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.undo.helpers import imported, others, students

Capture = pytest.CaptureFixture[str]
FAMILY = {
    "students.csv": students(
        "Ann,Lee,ann@example.com,,,pat@example.com,tim@example.com",
        "Dee,Wu,,dee1,,pat@example.com,",
    ),
    "parents.csv": others("Pat,Lee,pat@example.com,,"),
    "instructors.csv": others("Tim,Tutor,tim@example.com,,"),
}


def people(org: Organization) -> list[str]:
    return sorted(a.email or a.username for a in Account.objects.in_org(org).people())


def test_undo_removes_created_accounts_links_and_queued_invitations(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY, "--invite")
    assert job.door == Door.CLI and job.status == JobStatus.APPLIED
    assert StudentParent.objects.filter(organization=org).count() == 2
    assert StudentInstructor.objects.filter(organization=org).count() == 1
    queued = list(Invitation.objects.filter(organization=org).values_list("pk", flat=True))
    assert len(queued) == 3

    preview = plan_undo(job)
    counts = preview.counts()
    assert counts["removed"]["accounts"] == {"student": 2, "instructor": 1, "parent": 1}
    assert counts["removed"]["associations"] == {"student_parent": 2, "student_instructor": 1}
    assert counts["cancelled"] == {"invites": 3} and counts["kept"] == {}
    assert people(org) == ["ann@example.com", "dee1", "pat@example.com", "tim@example.com"]

    done = undo_import(job.pk, org=org, by=SYSTEM)
    assert done.counts() == counts
    assert people(org) == []
    assert not StudentParent.objects.filter(organization=org).exists()
    assert not StudentInstructor.objects.filter(organization=org).exists()
    assert not Invitation.objects.filter(organization=org).exists()  # went with the accounts
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE and job.undone_at is not None
    assert job.undo_summary == counts


def test_undo_restores_each_field_an_update_changed(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    parent = make_account(org, Role.PARENT, "pat@example.com")
    by_username = make_account(
        org, Role.STUDENT, "old@example.com", username="dee1", phone="+14155550100"
    )
    by_email = make_account(org, Role.STUDENT, "ann@example.com", username="ann1")
    before = {
        a.pk: (a.first_name, a.last_name, a.email, a.username, a.phone)
        for a in (by_username, by_email)
    }
    job = imported(
        tmp_path,
        capsys,
        {
            "students.csv": students(
                "Dora,Wolf,new@example.com,dee1,(415) 555-0199,pat@example.com,",
                "Ada,Lovelace,ann@example.com,ann2,,,",
            )
        },
    )
    by_username.refresh_from_db()
    assert (by_username.first_name, by_username.email, by_username.phone) == (
        "Dora",
        "new@example.com",
        "+14155550199",
    )
    assert Account.objects.get(pk=by_email.pk).username == "ann2"

    done = undo_import(job.pk, org=org, by=SYSTEM)
    assert done.counts()["restored"] == {"accounts": 2, "fields": 5}
    assert {r.field for r in done.restores} == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "username",
    }
    for account in Account.objects.filter(pk__in=before):
        assert (
            account.first_name,
            account.last_name,
            account.email,
            account.username,
            account.phone,
        ) == before[account.pk]
    # The link to the existing parent was the import's: removed; the parent stays.
    assert not StudentParent.objects.filter(organization=org).exists()
    assert Account.objects.filter(pk=parent.pk).exists()


def test_a_field_edited_by_hand_since_is_kept_and_listed(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    ann = make_account(org, Role.STUDENT, "ann@example.com", first_name="Ann", last_name="Lee")
    job = imported(tmp_path, capsys, {"students.csv": students("Anna,Leigh,ann@example.com,,,,")})
    ann.refresh_from_db()
    values = {"first_name": "Annie", "last_name": "Leigh", "email": "ann@example.com"}
    save_account(org, ann, values, {}, by=SYSTEM)

    done = undo_import(job.pk, org=org, by=SYSTEM)
    ann.refresh_from_db()
    assert (ann.first_name, ann.last_name) == ("Annie", "Lee")
    assert [(k.field, k.reason) for k in done.kept] == [("first_name", Reason.CHANGED_SINCE)]


def test_a_link_a_later_import_names_too_is_kept_with_its_accounts(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    first = imported(tmp_path, capsys, FAMILY)
    later = imported(
        tmp_path,
        capsys,
        {"students.csv": students("Ann,Lee,ann@example.com,,,pat@example.com,")},
    )
    assert later.summary["associations"]["student_parent"] == 0  # it existed: named only

    done = undo_import(first.pk, org=org, by=SYSTEM)
    kept = {(k.what, k.reason) for k in done.kept}
    assert ("association", Reason.IN_LATER_IMPORT) in kept
    assert ("account", Reason.LINKED_SINCE) in kept
    assert people(org) == ["ann@example.com", "pat@example.com"]
    link = StudentParent.objects.get(organization=org)
    assert (link.student.email, link.parent.email) == ("ann@example.com", "pat@example.com")


def test_a_link_made_by_hand_keeps_a_created_account(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    tutor = make_account(org, Role.INSTRUCTOR, "tutor@example.com")
    job = imported(tmp_path, capsys, {"students.csv": students("Ann,Lee,ann@example.com,,,,")})
    ann = Account.objects.get(organization=org, email="ann@example.com")
    StudentInstructor.objects.create(organization=org, student=ann, instructor=tutor)

    done = undo_import(job.pk, org=org, by=SYSTEM)
    assert [(k.account_id, k.reason) for k in done.kept] == [(ann.pk, Reason.LINKED_SINCE)]
    assert Account.objects.filter(pk=ann.pk).exists()


def test_student_instructor_links_between_existing_accounts_are_removed(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    make_account(org, Role.STUDENT, "ann@example.com")
    make_account(org, Role.INSTRUCTOR, "tim@example.com")
    job = imported(
        tmp_path,
        capsys,
        {"instructors.csv": others("Ada,Lovelace,tim@example.com,,ann@example.com")},
    )
    assert StudentInstructor.objects.filter(organization=org).count() == 1
    done = undo_import(job.pk, org=org, by=SYSTEM)
    assert done.counts()["removed"]["associations"]["student_instructor"] == 1
    assert not StudentInstructor.objects.filter(organization=org).exists()
    assert people(org) == ["ann@example.com", "tim@example.com"]


def test_invitations_sent_and_accounts_activated_are_kept(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY, "--invite")
    ann = Account.objects.get(organization=org, email="ann@example.com")
    pat = Account.objects.get(organization=org, email="pat@example.com")
    Invitation.objects.filter(account=ann).update(status=InvitationStatus.SENT)
    Account.objects.filter(pk=pat.pk).update(status=Status.ACTIVE, activated_at=timezone.now())

    done = undo_import(job.pk, org=org, by=SYSTEM)
    reasons = {(k.what, k.account_id): k.reason for k in done.kept}
    assert reasons[("invitation", ann.pk)] is Reason.ALREADY_SENT
    assert reasons[("account", pat.pk)] is Reason.ACTIVATED
    # Pat's invitation was queued: cancelled, and Pat stays (activated).
    assert Invitation.objects.get(account=pat).status == InvitationStatus.CANCELLED
    assert done.counts()["cancelled"] == {"invites": 2}  # Pat's and Tim's
    # Ann was only invited: removed, with her invitation.
    assert people(org) == ["pat@example.com"]


def test_undo_twice_is_refused_and_an_undone_import_cannot_be_applied(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    undo_import(job.pk, org=org, by=SYSTEM)
    with pytest.raises(UndoRefused) as refused:
        undo_import(job.pk, org=org, by=SYSTEM)
    assert refused.value.code == "already_undone"
    job.refresh_from_db()
    assert not start_apply(job) and job.status == JobStatus.UNDONE


def test_undo_after_the_window_is_refused_and_changes_nothing(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    org.undo_window_days = 2
    org.save()
    job = imported(tmp_path, capsys, FAMILY)
    ImportJob.objects.filter(pk=job.pk).update(applied_at=timezone.now() - timedelta(days=3))
    with pytest.raises(UndoRefused) as refused:
        undo_import(job.pk, org=org, by=SYSTEM)
    assert refused.value.code == "undo_window_passed"
    assert len(people(org)) == 4


def test_another_organizations_import_is_unknown(
    org: Organization, other_org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    with pytest.raises(UndoRefused) as refused:
        undo_import(job.pk, org=other_org, by=SYSTEM)
    assert refused.value.code == "unknown_import"
    assert len(people(org)) == 4


def _big(n: int) -> dict[str, str]:
    rows = [f"S{i},Lee,s{i}@example.com,,,p{i}@example.com,tim@example.com" for i in range(n)]
    parents = [f"P{i},Lee,p{i}@example.com,," for i in range(n)]
    return {
        "students.csv": students(*rows),
        "parents.csv": others(*parents),
        "instructors.csv": others("Tim,Tutor,tim@example.com,,"),
    }


def _undo_queries(org: Organization, tmp_path: Path, capsys: Capture, n: int) -> int:
    existing = [make_account(org, Role.STUDENT, f"u{i}@example.com") for i in range(n)]
    files = _big(n) | {
        "more_students.csv": students(*(f"New{i},Name,u{i}@example.com,,,," for i in range(n)))
    }
    folder = tmp_path / org.slug
    folder.mkdir()
    job = imported(folder, capsys, files, "--invite", org=org.slug)
    with CaptureQueriesContext(connection) as queries:
        done = undo_import(job.pk, org=org, by=SYSTEM)
    counts = done.counts()
    assert counts["removed"]["accounts"] == {"student": n, "instructor": 1, "parent": n}
    assert counts["restored"] == {"accounts": n, "fields": 2 * n}
    assert counts["cancelled"]["invites"] == 2 * n + 1
    assert all(
        a.first_name == "Ada" for a in Account.objects.filter(pk__in=[e.pk for e in existing])
    )
    return len(queries.captured_queries)


def test_undo_is_bulk_the_same_queries_for_5_rows_as_for_150(
    org: Organization, other_org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    assert _undo_queries(org, tmp_path, capsys, 5) == _undo_queries(
        other_org, tmp_path, capsys, 150
    )


def test_an_undo_is_one_audit_entry_and_a_refused_or_dry_undo_none(
    org: Organization, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)  # through `roster import`: stored, audited
    assert list(AuditEntry.objects.values_list("action", "import_job_id")) == [
        (AuditAction.APPLIED, job.pk)
    ]
    undo_import(job.pk, org=org, by=SYSTEM, dry_run=True)
    done = undo_import(job.pk, org=org, by=SYSTEM)
    with pytest.raises(UndoRefused):
        undo_import(job.pk, org=org, by=SYSTEM)
    undid = AuditEntry.objects.filter(action=AuditAction.UNDID)
    assert [(entry.import_job_id, entry.door) for entry in undid] == [(job.pk, "system")]
    assert undid[0].detail == json.loads(json.dumps(done.counts()))
