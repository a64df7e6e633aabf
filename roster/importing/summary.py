"""Plan / Outcome → the summary PRODUCT.md gives, as a dict (CLI, API, dialog) or text."""

from typing import Any

from roster.accounts.models import Role
from roster.importing.associations import KINDS
from roster.importing.issues import Issue, IssueCode
from roster.importing.people import IMPORTED_ROLES
from roster.importing.plan import Action, Plan

_COUNTED = {
    "create": Action.CREATE,
    "update": Action.UPDATE,
    "unchanged": Action.UNCHANGED,
    "skipped": Action.SKIP,
}


def summary_dict(
    plan: Plan, *, invitations: int, links: dict[str, int] | None = None
) -> dict[str, Any]:
    """The `summary` object: rows per action and role, new links, invitations.

    `links` are the links made when applied; by default, the plan's new links.
    """
    counts = plan.counts()
    summary: dict[str, Any] = {
        name: {role.value: counts[action, role] for role in IMPORTED_ROLES}
        for name, action in _COUNTED.items()
    }
    made = links if links is not None else {kind: len(plan.links.of(kind)) for kind in KINDS}
    summary["associations"] = {kind: made[kind] for kind in KINDS}
    summary["invites"] = invitations
    return summary


def totals(summary: dict[str, Any]) -> dict[str, int]:
    """A summary's counts over all roles (an audit entry's detail)."""
    flat = {name: sum(summary[name].values()) for name in _COUNTED}
    return flat | {"links": sum(summary["associations"].values()), "invites": summary["invites"]}


def issue_dict(issue: Issue) -> dict[str, Any]:
    return {
        "code": issue.code.value,
        "severity": issue.severity.value,
        "file": issue.file,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "message": issue.message,
    }


def issue_of(data: dict[str, Any]) -> Issue:
    """issue_dict's inverse (a stored bundle issue, ImportJob.bundle_issues)."""
    return Issue(
        code=IssueCode(data["code"]),
        message=data["message"],
        file=data["file"],
        sheet=data["sheet"],
        row=data["row"],
        column=data["column"],
    )


def import_dict(
    plan: Plan, *, invitations: int, links: dict[str, int] | None = None
) -> dict[str, Any]:
    """The one JSON object `roster import --json` prints."""
    return {
        "summary": summary_dict(plan, invitations=invitations, links=links),
        "issues": [issue_dict(issue) for issue in plan.issues],
    }


def as_text(data: dict[str, Any], *, applied: bool) -> str:
    """A short human form of import_dict's result."""
    summary = data["summary"]
    lines = ["Applied:" if applied else "Dry run — nothing was changed:"]
    for name in ("create", "update", "unchanged", "skipped"):
        per_role = ", ".join(f"{summary[name][role.value]} {role.value}s" for role in _ROLES)
        lines.append(f"  {name:<10} {per_role}")
    links = summary["associations"]
    lines.append(
        f"  links      {links['student_parent']} student–parent,"
        f" {links['student_instructor']} student–instructor"
    )
    lines.append(f"  invites    {summary['invites']}")
    issues = data["issues"]
    if issues:
        lines.append(f"{len(issues)} issue(s):")
        for issue in issues[:50]:
            where = " ".join(
                str(part)
                for part in (issue["file"], issue["sheet"], issue["row"] and f"row {issue['row']}")
                if part
            )
            column = f" [{issue['column']}]" if issue["column"] else ""
            lines.append(f"  {issue['severity']:<7} {where}{column}: {issue['message']}")
        if len(issues) > 50:
            lines.append(f"  … and {len(issues) - 50} more (use --json for all)")
    return "\n".join(lines)


_ROLES: tuple[Role, ...] = IMPORTED_ROLES
