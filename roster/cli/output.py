"""How a command says it could not run (PRODUCT.md: non-zero, with a one-line reason)."""

import json
import sys
from enum import StrEnum


class FailureCode(StrEnum):
    """The command line's own codes; a file that cannot be read has the readers' codes."""

    UNKNOWN_ORGANIZATION = "unknown_organization"
    INVALID_ORGANIZATION = "invalid_organization"  # org create: slug taken, bad email…
    CANNOT_OPEN_FILE = "cannot_open_file"
    UNCLEAR_ROLE = "unclear_role"
    DATABASE_ERROR = "database_error"
    # roster undo (roster/importing/undo/refusals.py): why an import cannot be undone.
    UNKNOWN_IMPORT = "unknown_import"
    NOT_APPLIED = "not_applied"
    ALREADY_UNDONE = "already_undone"
    UNDO_WINDOW_PASSED = "undo_window_passed"
    NOT_RECORDED = "not_recorded"


def fail(
    message: str,
    *,
    code: str | None = None,
    file: str | None = None,
    as_json: bool = False,
    status: int = 1,
) -> int:
    """A one-line reason on stderr and a non-zero exit status.

    With `code`, the line ends with it (`… [only_header]`) so that a script can tell
    failures apart without reading the sentence; with `as_json` (the command's --json),
    the same is also printed on stdout as {"error": {"code", "file", "message"}}.
    """
    where = f"{file}: " if file else ""
    tag = f" [{code}]" if code else ""
    # The reason is one line even when a database driver's message has several.
    line = " ".join(f"{where}{message}{tag}".split())
    print(f"roster: {line}", file=sys.stderr)
    if as_json:
        error = {"code": code, "file": file, "message": " ".join(message.split())}
        print(json.dumps({"error": error}, ensure_ascii=False))
    return status
