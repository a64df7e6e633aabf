"""The organization's settings page: automatic reminders, off by default, set by the
owner or an admin of that organization only."""

from django.test import Client

from roster.accounts.models import Role, Status
from roster.orgs.models import Organization
from tests.conftest import make_account


def test_automatic_reminders_are_off_by_default_and_the_owner_turns_them_on(
    org: Organization, other_org: Organization
) -> None:
    assert not org.auto_remind
    owner = make_account(org, Role.OWNER, "owner@northside.example", status=Status.ACTIVE)
    client = Client()
    client.force_login(owner)
    page = client.get("/o/northside/settings/").content.decode()
    assert (
        'name="auto_remind"' in page and "checked" not in page.split('name="auto_remind"')[1][:40]
    )
    saved = client.post(
        "/o/northside/settings/",
        {
            "auto_remind": "on",
            "remind_after_days": "5",
            "remind_at_most": "3",
            "undo_window_days": "14",
        },
    )
    assert saved.status_code == 302
    org.refresh_from_db()
    assert (org.auto_remind, org.remind_after_days, org.remind_at_most) == (True, 5, 3)
    assert org.undo_window_days == 14
    other_org.refresh_from_db()
    assert not other_org.auto_remind


def test_out_of_range_values_are_refused(org: Organization, admin_client: Client) -> None:
    response = admin_client.post(
        "/o/northside/settings/",
        {
            "auto_remind": "on",
            "remind_after_days": "0",
            "remind_at_most": "99",
            "undo_window_days": "365",
        },
    )
    assert response.status_code == 200
    errors = set(response.context["form"].errors)
    assert errors == {"remind_after_days", "remind_at_most", "undo_window_days"}
    org.refresh_from_db()
    assert not org.auto_remind


def test_a_student_cannot_see_the_settings(org: Organization) -> None:
    student = make_account(org, Role.STUDENT, "s@northside.example", status=Status.ACTIVE)
    client = Client()
    client.force_login(student)
    assert client.get("/o/northside/settings/").status_code == 404
    assert client.post("/o/northside/settings/", {"auto_remind": "on"}).status_code == 404
