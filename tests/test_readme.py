"""The README's two set-up commands are the ones the project really has."""

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _code_lines() -> list[str]:
    blocks = re.findall(r"```\n(.*?)```", README, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z-]+):", makefile, flags=re.M))


def test_the_readme_gives_exactly_the_run_and_test_commands() -> None:
    make_commands = [line for line in _code_lines() if line.startswith("make ")]
    assert make_commands == ["make run", "make test"]
    assert {"run", "test"} <= _make_targets()


def test_ci_runs_the_readmes_test_command_on_both_databases() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M)
    assert re.search(r'^DATABASE_URL="postgres://[^"]+" make test$', ci, flags=re.M)


def test_the_readme_documents_every_command_line_option() -> None:
    from roster.cli.main import build_parser

    options = _options(build_parser())
    assert {"--org", "--json", "--dry-run", "--owner-email"} <= options
    missing = {option for option in options if option not in README}
    assert not missing


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        found |= {o for o in action.option_strings if o.startswith("--") and o != "--help"}
        if getattr(action, "choices", None) and isinstance(action.choices, dict):
            for sub in action.choices.values():
                found |= _options(sub)
    return found
