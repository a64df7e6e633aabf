"""One row's own checks: every issue decided by the row's cells alone.

Pure: no database, no other row. Duplicates across the import are validate.py's job.
"""

from dataclasses import dataclass, field

from roster.accounts.roles import Role
from roster.importing.cells import CellChecker
from roster.importing.characters import remove_controls, removed_message
from roster.importing.columns import Columns, applies
from roster.importing.fields import FIELDS_BY_NAME, Checked, Kind, prepare
from roster.importing.headers import split_full_name
from roster.importing.issues import IssueCode
from roster.importing.people import LINK_FIELDS, pack_values
from roster.importing.sources import Row

FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True, slots=True)
class Flag:
    """An issue before it is located in a file: code, column index (-1: the row), detail."""

    code: IssueCode
    column: int
    detail: str = ""
    label: str = ""  # the column's name when it has no column of its own


@dataclass(slots=True)
class RowCheck:
    """The checks of one row, collecting flags as they are found."""

    row: Row
    role: Role
    columns: Columns
    cells: CellChecker
    flags: list[Flag] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def has_error(self) -> bool:
        return any(flag.code.severity == "error" for flag in self.flags)

    def cell(self, column: int) -> str:
        return self.row.cells[column] if 0 <= column < len(self.row.cells) else ""

    def flag(self, code: IssueCode, column: int, detail: str = "", label: str = "") -> None:
        self.flags.append(Flag(code, column, detail, label))


def check_row(check: RowCheck) -> str | None:
    """The row packed as People keeps it (people.pack_values), or None when an error keeps
    it out (the flags say why). Packed straight away: no Person is built for it."""
    _names(check)
    for name in ("email", "username", "phone"):
        if applies(name, check.role):
            _scalar(check, name)
    links = {name: _links(check, name) if applies(name, check.role) else () for name in LINK_FIELDS}
    _required(check)
    if check.has_error:
        return None
    values = check.values
    return pack_values(
        values["first_name"],
        values["last_name"],
        values.get("email", ""),
        values.get("username", ""),
        values.get("phone", ""),
        links["parent_emails"],
        links["instructor_emails"],
        links["students"],
    )


def _names(check: RowCheck) -> None:
    for name in ("first_name", "last_name"):
        if check.columns.has(name):
            _scalar(check, name)
    full = check.columns.full_name
    if full < 0 or not _split_wanted(check):
        return
    text, removed = prepare(check.cell(full), Kind.NAME)
    _removed(check, full, removed)
    if not text:
        return
    split = split_full_name(text)
    if split is None:
        check.values.setdefault("first_name", text)
        check.flag(
            IssueCode.MISSING_REQUIRED,
            full,
            f"“{text}” is a single word, so it cannot be split into a first and a last name;"
            " add the last name.",
            label="Last Name",
        )
        return
    for name, part in zip(("first_name", "last_name"), split, strict=True):
        if not check.values.get(name):
            checked = FIELDS_BY_NAME[name].check(part)
            check.values[name] = checked.value
            if checked.issue is not None:
                check.flag(checked.issue, full, checked.detail)
    check.flag(IssueCode.NAME_SPLIT_GUESS, full, f"read as “{split[0]}” “{split[1]}”.")
    _formula(check, full, text)


def _split_wanted(check: RowCheck) -> bool:
    """Whether the full-name cell stands in for this row's names: both are empty, or the one
    that is empty has no column of its own (a tab with a full name and a first name only)."""
    missing = [name for name in ("first_name", "last_name") if not check.values.get(name)]
    if len(missing) == 2:
        return not any(_flagged(check, name) for name in missing)
    return bool(missing) and not check.columns.has(missing[0])


def _scalar(check: RowCheck, name: str) -> None:
    column = check.columns.scalars[name]
    if column < 0:
        return
    raw = check.cell(column)
    if name == "email" or column in check.row.lossy:  # own emails are unique: not remembered
        _check_scalar(check, name, column, raw)
        return
    stored = check.cells.clean[name].get(raw)
    if stored is not None:  # this text raised no flag before: the same again
        if stored:
            check.values[name] = stored
        return
    flags = len(check.flags)
    _check_scalar(check, name, column, raw)
    if len(check.flags) == flags:
        check.cells.remember_clean(name, raw, check.values.get(name, ""))


def _check_scalar(check: RowCheck, name: str, column: int, raw: str) -> None:
    if name == "email":
        value, removed = prepare(raw, Kind.EMAIL)
        checked = check.cells.emails(value) if value else Checked("")
        checked = checked._replace(removed=removed) if removed else checked
    else:
        checked = check.cells(FIELDS_BY_NAME[name], raw)
    _removed(check, column, checked.removed)
    if not checked.value:
        return
    lossy = column in check.row.lossy
    if name == "phone" and lossy and checked.issue is None:
        check.flag(IssueCode.INVALID_PHONE, column, "digits may have been lost: keep it as text.")
    elif name == "username" and lossy:
        check.flag(
            IssueCode.INVALID_USERNAME, column, "digits may have been lost: keep it as text."
        )
    if checked.issue is not None:
        check.flag(checked.issue, column, checked.detail)
    if not (name == "phone" and checked.issue is None):
        _formula(check, column, remove_controls(raw)[0].strip())
    if checked.issue is None or checked.issue.severity == "warning":
        # An unreadable phone is kept as typed, on one line.
        check.values[name] = " ".join(checked.value.split()) if name == "phone" else checked.value


def _removed(check: RowCheck, column: int, removed: str) -> None:
    if removed:
        message = removed_message(removed, check.columns.label(column))
        check.flag(IssueCode.CHARACTERS_REMOVED, column, message)


def _links(check: RowCheck, name: str) -> tuple[str, ...]:
    found: list[str] = []
    clean = check.cells.clean_links[name]
    for column in check.columns.links[name]:
        cell = check.cell(column)
        values = clean.get(cell)
        if values is None or column in check.row.lossy:
            flags = len(check.flags)
            values = _link_cell(check, name, column, cell)
            if len(check.flags) == flags and column not in check.row.lossy:
                check.cells.remember_clean_links(name, cell, values)
        for value in values:
            if value not in found:
                found.append(value)
    return tuple(found)


def _link_cell(check: RowCheck, name: str, column: int, cell: str) -> tuple[str, ...]:
    """The values of one association cell that pass their checks, flagging the others."""
    found: list[str] = []
    usernames = name == "students"
    raw, removed = remove_controls(cell)
    _removed(check, column, removed)
    if not raw:
        return ()
    _formula(check, column, raw.strip())
    for value, checked in check.cells.links(raw, usernames=usernames):
        if usernames and "@" not in value and column in check.row.lossy:
            check.flag(IssueCode.INVALID_USERNAME, column, "digits may have been lost.")
        if checked.issue is not None:
            check.flag(checked.issue, column, f"“{value}”: {checked.detail}".rstrip(": "))
        elif checked.value not in found:
            found.append(checked.value)
    return tuple(found)


def _required(check: RowCheck) -> None:
    values, columns = check.values, check.columns
    for name in ("first_name", "last_name"):
        if not values.get(name) and not _flagged(check, name):
            column = columns.scalars[name] if columns.has(name) else columns.full_name
            check.flag(IssueCode.MISSING_REQUIRED, column, label=columns.field_label(name))
    email, username = values.get("email"), values.get("username")
    if email or _flagged(check, "email") or _flagged(check, "username"):
        return
    where = columns.scalars["email"] if columns.has("email") else columns.scalars["username"]
    if check.role is not Role.STUDENT:
        check.flag(IssueCode.MISSING_REQUIRED, where, label=columns.field_label("email"))
    elif not username:
        detail = "a student needs an email or a username."
        check.flag(IssueCode.MISSING_REQUIRED, where, detail, label="Email")


def _flagged(check: RowCheck, name: str) -> bool:
    """Whether the field's cell already carries an error (then it is not also missing)."""
    column = check.columns.scalars.get(name, -1)
    if name in ("first_name", "last_name") and check.columns.full_name >= 0:
        full = check.columns.full_name
        if any(f.column == full and f.code.severity == "error" for f in check.flags):
            return True
    return column >= 0 and any(
        f.column == column and f.code.severity == "error" for f in check.flags
    )


def _formula(check: RowCheck, column: int, value: str) -> None:
    if value.startswith(FORMULA_STARTS):
        check.flag(IssueCode.FORMULA_LIKE_VALUE, column, "a spreadsheet may run it as a formula.")
