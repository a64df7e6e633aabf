"""An entry's detail as one plain sentence (the page and the CSV show the same words)."""

from collections.abc import Callable
from typing import Any

from roster.audit.models import Action, AuditEntry
from roster.importing.jobs.fixes import GROUP_FIXES

type Detail = dict[str, Any]
_COUNTED = {"create": "new", "update": "updated", "unchanged": "unchanged", "skipped": "skipped"}


def describe(entry: AuditEntry) -> str:
    detail: Detail = entry.detail or {}
    words = _WORDS.get(entry.action)
    try:
        return words(detail) if words else _generic(detail)
    except (KeyError, TypeError, ValueError):  # an older entry's shape: still shown, plainly
        return _generic(detail)


def _generic(detail: Detail) -> str:
    return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in detail.items())


def _rows(count: int, word: str = "row") -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _place(detail: Detail) -> str:
    column = detail.get("column")
    return f"{detail['tab']}, {column}" if column else str(detail["tab"])


def _edited(d: Detail) -> str:
    return f"{d['tab']} row {d['row']}, {d['column']}: “{d['old']}” → “{d['new']}”"


def _fixed(d: Detail) -> str:
    fix = GROUP_FIXES.get(d["fix"], d["fix"])
    return f"“{fix}” on {_rows(d['rows'])} flagged {d['code']} ({_place(d)})"


def _replaced(d: Detail) -> str:
    return f"“{d['find']}” → “{d['replace']}” in {_rows(d['cells'], 'cell')} ({_place(d)})"


def _counts(d: Detail) -> str:
    parts = [f"{d[key]:,} {word}" for key, word in _COUNTED.items() if key in d]
    extra = [f"{_rows(d['links'], 'link')}", f"{_rows(d['invites'], 'invitation')}"]
    return ", ".join(parts) + "; " + ", ".join(extra)


def _resent(d: Detail) -> str:
    return f"{d['queued']:,} queued of {d['chosen']:,} chosen"


def _user(d: Detail) -> str:
    changed = d.get("changed") or {}
    return "; ".join(
        f"{name.replace('_', ' ')}: “{old}” → “{new}”" for name, (old, new) in changed.items()
    )


_WORDS: dict[str, Callable[[Detail], str]] = {
    Action.UPLOADED: lambda d: f"{', '.join(d['sources'])} ({_rows(d['rows'])})",
    Action.EDITED_CELL: _edited,
    Action.DELETED_ROWS: lambda d: f"{_rows(d['rows'])} of {d['tab']}",
    Action.FIXED_GROUP: _fixed,
    Action.REPLACED_TEXT: _replaced,
    Action.SENT_FIX_FILE: lambda d: (
        f"{_rows(d['changed'])} changed, {d['unchanged']:,} as they were"
    ),
    Action.CHANGED_MAPPING: lambda d: f"{_place(d)} → {d['field'] or 'ignored'}",
    Action.FORGOT_MAPPING: _place,
    Action.CHOSE_ROLE: lambda d: f"{d['tab']}: {d['role']}s",
    Action.DISCARDED: lambda d: _rows(d["rows"]),
    Action.APPLIED: _counts,
    Action.RESENT: _resent,
    Action.ADDED_USER: lambda d: str(d["role"]),
    Action.EDITED_USER: _user,
    Action.CREATED_ORGANIZATION: lambda d: f"{d['name']} ({d['slug']})",
}
