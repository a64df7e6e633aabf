"""axe-core (bundled by axe-playwright-python) run in the page: no serious violation allowed."""

from typing import Any

from axe_playwright_python.base import AXE_SCRIPT  # type: ignore[import-untyped]

SERIOUS = {"serious", "critical"}


def serious_violations(page: Any) -> list[str]:
    """axe's serious and critical findings on the page as it is now, one line each."""
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]
