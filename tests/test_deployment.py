"""Deployment settings: `check --deploy` is clean with the documented production environment,
every environment variable is documented, and every page's Content-Security-Policy holds."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

from roster.orgs.models import Organization

ROOT = Path(__file__).resolve().parents[1]


def _production_environment() -> dict[str, str]:
    operations = (ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"## Security settings.*?```env\n(.*?)```", operations, flags=re.S)
    assert block is not None
    pairs = dict(line.split("=", 1) for line in block[1].splitlines() if "=" in line)
    pairs["SECRET_KEY"] = secrets.token_urlsafe(50)
    return pairs


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DEBUG", "DJANGO_ALLOW_ASYNC"))
    }
    env |= _production_environment() | {"ROSTER_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_every_environment_variable_is_in_the_readmes_configuration_table() -> None:
    settings = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_0-9]+)"', settings))
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert {"SECURE_HSTS_SECONDS", "REQUEST_MAX_BODY_MB", "LOGIN_FAILURE_LIMIT"} <= names
    assert not {name for name in names if f"`{name}`" not in table}


def test_pages_carry_a_strict_content_security_policy(org: Organization) -> None:
    policy = Client().get("/o/northside/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_no_page_template_has_inline_script_or_style() -> None:
    """The policy forbids them: such a page would silently lose its behaviour or looks."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|<style|\son[a-z]+=", flags=re.I)
    templates = [*(ROOT / "roster").rglob("templates/**/*.html")]
    assert len(templates) > 10
    offenders = [str(t) for t in templates if inline.search(t.read_text())]
    assert not offenders
