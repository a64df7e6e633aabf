"""The Activity page and its CSV: the organization's own entries only, filtered, linked to
what they concern, and safe to open in a spreadsheet (issue 14)."""

import csv
import io
from datetime import UTC, datetime

import time_machine
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.audit.log import SYSTEM, By, record
from roster.audit.models import Action, AuditEntry, Door
from roster.importing.models import ImportJob, JobStatus
from roster.orgs.models import Organization
from tests.conftest import make_account

PAGE = "/o/northside/activity/"
CSV = "/o/northside/activity.csv"


def _csv(client: Client, query: str = "") -> list[list[str]]:
    response = client.get(f"{CSV}?{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_only_the_organizations_own_entries_are_shown_or_exported(
    admin_client: Client,
    admin: Account,
    org: Organization,
    other_org: Organization,
    stranger: Account,
) -> None:
    kid = make_account(org, Role.STUDENT, "kid@northside.example")
    record(org, Action.EDITED_USER, by=By.account(admin, Door.WEB), account=kid)
    theirs = make_account(other_org, Role.STUDENT, "secret.kid@southside.example")
    record(other_org, Action.EDITED_USER, by=By.account(stranger, Door.WEB), account=theirs)
    page = admin_client.get(PAGE).content.decode()
    assert "kid@northside.example" in page
    assert "southside" not in page and "1 entry" in page
    rows = _csv(admin_client)
    assert len(rows) == 2 and "southside" not in repr(rows)
    # Another organization's log is "not found", as every page of theirs is.
    assert admin_client.get("/o/southside/activity/").status_code == 404
    assert admin_client.get("/o/southside/activity.csv").status_code == 404


def test_members_who_are_not_admins_do_not_find_it(org: Organization) -> None:
    client = Client()
    client.force_login(
        make_account(org, Role.PARENT, "mum@northside.example", status=Status.ACTIVE)
    )
    assert client.get(PAGE).status_code == 404
    assert client.get(CSV).status_code == 404


def test_filters_by_person_action_and_dates(
    admin_client: Client, admin: Account, org: Organization
) -> None:
    ana = make_account(org, Role.STUDENT, "ana@example.com", first_name="Ana", last_name="Silva")
    bo = make_account(org, Role.PARENT, "bo@example.com", first_name="Bo", last_name="Chen")
    by = By.account(admin, Door.WEB)
    with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
        record(org, Action.ADDED_USER, by=by, account=ana)
    with time_machine.travel(datetime(2026, 3, 5, 12, tzinfo=UTC), tick=False):
        record(org, Action.EDITED_USER, by=by, account=ana)
        record(org, Action.RESENT, by=SYSTEM, account=bo)

    def shown(query: str) -> list[tuple[str, str]]:
        response = admin_client.get(f"{PAGE}?{query}")
        return [
            (row["entry"].action, row["entry"].account_label) for row in response.context["rows"]
        ]

    assert shown("") == [  # newest first
        ("resent", "Bo Chen <bo@example.com>"),
        ("edited_user", "Ana Silva <ana@example.com>"),
        ("added_user", "Ana Silva <ana@example.com>"),
    ]
    assert [a for a, _ in shown("person=silva")] == ["edited_user", "added_user"]
    assert [a for a, _ in shown("person=admin@northside")] == [
        "edited_user",
        "added_user",
    ]  # the actor
    assert [a for a, _ in shown("action=resent")] == ["resent"]
    assert [a for a, _ in shown("since=2026-03-02")] == ["resent", "edited_user"]
    assert [a for a, _ in shown("until=2026-03-01")] == ["added_user"]
    assert [a for a, _ in shown("since=2026-03-05&until=2026-03-05&person=ana")] == ["edited_user"]
    # The CSV holds what the page's filters select.
    assert [row[4] for row in _csv(admin_client, "person=silva")[1:]] == [
        "Edited a user",
        "Added a user",
    ]


def test_entries_link_to_the_import_or_account_while_they_exist(
    admin_client: Client, admin: Account, org: Organization
) -> None:
    job = ImportJob.objects.create(organization=org, status=JobStatus.APPLIED)
    kid = make_account(org, Role.STUDENT, "kid@example.com")
    by = By.account(admin, Door.WEB)
    record(org, Action.APPLIED, by=by, import_job=job, detail={"create": 1})
    record(org, Action.RESENT, by=by, account=kid)
    record(org, Action.RESENT, by=by, account=kid, detail={})
    gone = make_account(org, Role.STUDENT, "gone@example.com")
    record(org, Action.ADDED_USER, by=by, account=gone)
    gone_id = gone.pk
    gone.delete()  # an undo removes accounts; their entries stay, unlinked
    page = admin_client.get(PAGE).content.decode()
    assert f'href="/o/northside/imports/{job.pk}/result/"' in page
    assert f'href="/o/northside/users/{kid.pk}/"' in page
    assert "gone@example.com" in page and f"/users/{gone_id}/" not in page


def test_paginated_newest_first(admin_client: Client, admin: Account, org: Organization) -> None:
    by = By.account(admin, Door.WEB)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            organization=org,
            action=Action.RESENT,
            door=Door.WEB,
            actor_id=admin.pk,
            detail={"n": n},
        )
        for n in range(120)
    )
    record(org, Action.ADDED_USER, by=by)
    first = admin_client.get(PAGE)
    assert first.context["page"].paginator.num_pages == 3
    assert first.context["rows"][0]["entry"].action == Action.ADDED_USER
    last = admin_client.get(f"{PAGE}?page=3").context["rows"]
    assert [row["entry"].detail["n"] for row in last] == list(range(20, -1, -1))[:21]


def test_the_csv_is_formula_safe(admin_client: Client, admin: Account, org: Organization) -> None:
    kid = make_account(
        org, Role.STUDENT, "kid@example.com", first_name='=HYPERLINK("x")', last_name="-2+3"
    )
    by = By.account(admin, Door.WEB, "127.0.0.1")
    detail = {"tab": "@SUM(A1)", "column": "Email", "row": 2, "old": "+1 555", "new": "\tx"}
    record(org, Action.EDITED_CELL, by=by, detail=detail, account=kid)
    header, row = _csv(admin_client)
    assert header[0] == "When (UTC)"
    account, what = row[6], row[7]
    assert account.startswith("'=HYPERLINK") and what.startswith("'@SUM(A1)")
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for cell in row if cell.lstrip(" ").startswith(dangerous)]


def test_the_csv_holds_every_entry_across_its_chunks(
    admin_client: Client, admin: Account, org: Organization, monkeypatch: object
) -> None:
    monkeypatch.setattr("roster.audit.export.LINES_PER_CHUNK", 7)  # type: ignore[attr-defined]
    AuditEntry.objects.bulk_create(
        AuditEntry(organization=org, action=Action.RESENT, door=Door.WEB, detail={"n": n})
        for n in range(30)
    )
    rows = _csv(admin_client)
    assert [row[-1] for row in rows[1:]] == [f'{{"n": {n}}}' for n in range(29, -1, -1)]
