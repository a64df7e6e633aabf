"""The README's `make run` really starts Roster with a demo organization one can log in to."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[1]


def _settings_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SMTP_HOST")}
    return env | extra


def _settings_value(expression: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_settings_env(DJANGO_SETTINGS_MODULE="config.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    started = _settings_value("settings.DEBUG", DEBUG="0", ALLOWED_HOSTS="roster.example.org")
    assert started.returncode != 0
    assert "SECRET_KEY must be set" in started.stderr


def test_smtp_host_switches_the_mailer_to_smtp() -> None:
    smtp = _settings_value("settings.MAILERS['default']['BACKEND']", SMTP_HOST="mail.example.org")
    assert smtp.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    outbox = _settings_value("settings.MAILERS['default']['BACKEND']")
    assert outbox.stdout.strip() == "roster.mail.backends.OutboxBackend"


def _wait_for_login(process: subprocess.Popen[str]) -> tuple[str, str]:
    printed = ""
    deadline = time.monotonic() + 120
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        printed += line
        found = re.search(r"(http://\S+/login/)\s+email:\s+(\S+)\s+password:\s+(\S+)", printed)
        if found:
            return found.group(1), found.group(3)
    raise AssertionError(f"no demo login printed:\n{printed}")


def _log_in(login_url: str, email: str, password: str) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    for _ in range(100):  # the web server starts a moment after the login is printed
        try:
            page = opener.open(login_url, timeout=5).read().decode()
            break
        except OSError:
            time.sleep(0.2)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    form = {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
    request = urllib.request.Request(login_url, data=urlencode(form).encode(), method="POST")
    request.add_header("Referer", login_url)
    opener.open(request, timeout=10)
    return str(opener.open(login_url.replace("login/", "users/"), timeout=10).read().decode())


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").exists(), reason="make setup first")
def test_make_run_starts_roster_with_a_demo_login(tmp_path: Path) -> None:
    port = str(_free_port())
    env = _settings_env(ROSTER_VAR_DIR=str(tmp_path), PORT=port)
    process = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so the web server and the worker stop with it
    )
    try:
        login_url, password = _wait_for_login(process)
        assert login_url == f"http://127.0.0.1:{port}/o/demo/login/"
        page = _log_in(login_url, "owner@demo.example.com", password)
        assert "User Management" in page
        assert (tmp_path / "roster.sqlite3").exists()  # the embedded default
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
