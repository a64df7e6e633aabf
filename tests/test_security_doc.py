"""docs/security.md names real tests: each `file::test` (or `::test`, same file as the last
one named) must exist, so the threat model cannot silently point at a renamed test."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _named_tests() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "security.md").read_text()
    named, current = [], ""
    for token in re.findall(r"`([^`]*::[^`]*)`", text):
        path, _, test = token.partition("::")
        current = path or current
        named.append((current, test))
    return named


def test_every_test_the_threat_model_names_exists() -> None:
    named = _named_tests()
    assert len(named) > 40
    missing = []
    for path, test in named:
        source = ROOT / path
        if not source.exists() or not re.search(rf"def {re.escape(test)}\(", source.read_text()):
            missing.append(f"{path}::{test}")
    assert not missing
