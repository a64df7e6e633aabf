"""OneRoster 1.2's roles.csv: each user's one role, for a bundle whose users.csv has none.

A user may have several roles (one per school, or a teacher who is also a parent):
Roster gives an account one role, so the first `primary` row wins, else the user's first
row. Rows marked `tobedeleted` are not read. A userSourcedId that names no one in
users.csv is `unknown_association` on its cell, and a role OneRoster does not define is
`missing_required` on its cell: both are bundle issues (roles.csv holds no people).
"""

from collections.abc import Collection
from pathlib import PurePath

from roster.accounts.models import Role
from roster.importing.bundles.bundle import BundleFile, unknown_id
from roster.importing.issues import Issue, IssueCode
from roster.importing.validate import describe

# Roles (users.csv in 1.1, roles.csv in 1.2): those Roster imports, and OneRoster's others,
# left out with a note.
ROLES = {
    "student": Role.STUDENT,
    "teacher": Role.INSTRUCTOR,
    "parent": Role.PARENT,
    "guardian": Role.PARENT,
    "relative": Role.PARENT,
}
OTHER_ROLES = frozenset(
    {
        "administrator",
        "aide",
        "proctor",
        "counselor",
        "principal",
        "districtadministrator",
        "siteadministrator",
        "systemadministrator",
    }
)


def roles_of(
    file: BundleFile | None, people: Collection[str], issues: list[Issue]
) -> dict[str, str]:
    """Each user's sourcedId → their role as roles.csv writes it (OneRoster's words)."""
    if file is None:
        return {}
    first: dict[str, str] = {}
    primary: dict[str, str] = {}
    for row in file.rows:
        if file.cell(row, "status").lower() == "tobedeleted":
            continue
        user, text = file.cell(row, "userSourcedId"), file.cell(row, "role")
        if user not in people:
            issues.append(unknown_id(file, row, "userSourcedId", user, "sourcedId", "users.csv"))
        elif text.lower() not in ROLES and text.lower() not in OTHER_ROLES:
            detail = (
                f"“{text}” is not a OneRoster role (student, teacher, parent, guardian…)."
                if text
                else "this row has no role."
            )
            issues.append(
                Issue(
                    code=IssueCode.MISSING_REQUIRED,
                    message=describe(IssueCode.MISSING_REQUIRED, detail),
                    file=file.name,
                    sheet=PurePath(file.name).stem,
                    row=row.number,
                    column=file.label("role"),
                )
            )
        else:
            first.setdefault(user, text)
            if file.cell(row, "roleType").lower() == "primary":
                primary.setdefault(user, text)
    return first | primary
