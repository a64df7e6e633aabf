"""Password guessing is throttled per (organization, login) and per address (issue 11, 6)."""

from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client

from roster.accounts.models import Account, Role, Status
from roster.orgs.models import Organization
from tests.conftest import PASSWORD, make_account

LIMIT = 10  # LOGIN_FAILURE_LIMIT's default


def _post(slug: str, login: str, password: str, address: str = "203.0.113.5", **extra: Any) -> Any:
    return Client(REMOTE_ADDR=address, **extra).post(
        f"/o/{slug}/login/", {"login": login, "password": password}
    )


def _fail(times: int, slug: str, login: str, address: str = "203.0.113.5", **extra: Any) -> None:
    for _ in range(times):
        assert _post(slug, login, "wrong guess", address, **extra).status_code in (200, 429)


def test_the_right_password_after_ten_wrong_ones_is_refused_with_a_clear_message(
    admin: Account,
) -> None:
    _fail(LIMIT - 1, "northside", admin.email)
    response = _post("northside", admin.email, "wrong guess")
    assert response.status_code == 429
    response = _post("northside", admin.email, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed attempts" in page and "Try again in 15 minutes" in page
    assert 'value="admin@northside.example"' in page  # the login typed is kept
    assert "_auth_user_id" not in response.client.session


def test_nine_wrong_passwords_then_the_right_one_logs_in(admin: Account) -> None:
    _fail(LIMIT - 1, "northside", admin.email)
    assert _post("northside", admin.email, PASSWORD).status_code == 302


def test_one_account_is_locked_whatever_the_address_the_guesses_come_from(admin: Account) -> None:
    for n in range(LIMIT):
        _fail(1, "northside", admin.email, address=f"198.51.100.{n}")
    assert _post("northside", " ADMIN@northside.example", PASSWORD, "192.0.2.1").status_code == 429


def test_one_address_is_locked_whatever_the_accounts_it_guesses(admin: Account) -> None:
    for n in range(LIMIT):
        _fail(1, "northside", f"nobody{n}@example.com")
    assert _post("northside", admin.email, PASSWORD).status_code == 429
    assert _post("northside", admin.email, PASSWORD, address="192.0.2.1").status_code == 302


def test_the_same_email_in_another_organization_is_not_locked(
    org: Organization, other_org: Organization
) -> None:
    make_account(org, Role.PARENT, "pat@example.com", status=Status.ACTIVE)
    make_account(other_org, Role.PARENT, "pat@example.com", status=Status.ACTIVE)
    for n in range(LIMIT):
        _fail(1, "northside", "pat@example.com", address=f"198.51.100.{n}")
    assert _post("northside", "pat@example.com", PASSWORD, "192.0.2.1").status_code == 429
    assert _post("southside", "pat@example.com", PASSWORD, "192.0.2.1").status_code == 302


def test_the_lock_ends_after_the_cool_off(admin: Account) -> None:
    _fail(LIMIT, "northside", admin.email)
    assert _post("northside", admin.email, PASSWORD).status_code == 429
    earlier = AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert _post("northside", admin.email, PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lock(admin: Account) -> None:
    for n in range(LIMIT):
        _fail(1, "northside", f"nobody{n}@example.com", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert _post("northside", admin.email, PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(
    admin: Account, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.1.1.1"
    for n in range(LIMIT):
        forged_then_real = f"192.0.2.{n}, 203.0.113.77"
        _fail(
            1, "northside", f"nobody{n}@example.com", proxy, HTTP_X_FORWARDED_FOR=forged_then_real
        )
    via = {"HTTP_X_FORWARDED_FOR": "203.0.113.77"}
    assert _post("northside", admin.email, PASSWORD, proxy, **via).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.78"}
    assert _post("northside", admin.email, PASSWORD, proxy, **other).status_code == 302


def test_the_platform_admin_login_is_throttled_too(db: None) -> None:
    operator = Account.objects.create_superuser(
        email="ops@example.com", password=PASSWORD, first_name="O", last_name="P"
    )
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": operator.email, "password": "wrong"})
    response = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content


def test_code_without_a_request_is_not_throttled(admin: Account, org: Organization) -> None:
    _fail(LIMIT, "northside", admin.email)
    assert authenticate(username=admin.email, password=PASSWORD, organization=org) == admin
