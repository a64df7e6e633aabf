"""Browser tests drive Debian's Chromium (never a browser Playwright downloads itself)."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def save_screenshot(page: Any, name: str) -> None:
    """Refresh a README screenshot: `make screenshots` sets ROSTER_SCREENSHOTS=1.

    Ordinary test runs leave docs/ alone, so a test run never dirties the work tree.
    """
    if os.environ.get("ROSTER_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / name, full_page=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a missing install step: fail loudly, never skip.
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; .ci/run must install it.")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page: Any) -> Iterator[Any]:
    """Every browser test's page, failing the test if the Content-Security-Policy blocked
    anything (Chromium reports each violation on the console)."""
    violations: list[str] = []

    def watch(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    yield page
    assert not violations, violations
