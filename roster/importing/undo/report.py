"""An UndoPlan → what the doors show: the JSON of `roster undo --json`, its text form, and
the preview's lists (each account by its email, or username)."""

from dataclasses import dataclass
from itertools import islice
from typing import Any

from roster.importing.models import ImportJob, ImportSource
from roster.importing.undo.plan import MESSAGES, UndoPlan, login_names
from roster.importing.undo.refusals import undo_deadline
from roster.orgs.models import Organization

FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "username": "Username",
    "phone": "Phone",
}
LIST_LIMIT = 200  # items per list on the preview page; the counts say how many in all


@dataclass(frozen=True, slots=True)
class Listed:
    """What undo does, or keeps, to one account, link, field or invitation, for a page."""

    what: str
    account: str
    field: str = ""
    now: str = ""
    back: str = ""
    other: str = ""
    kind: str = ""
    reason: str = ""
    message: str = ""

    @property
    def label(self) -> str:
        """The field as the admin knows it ("First name")."""
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True, slots=True)
class Lists:
    restored: list[Listed]
    removed_accounts: list[Listed]
    removed_links: list[Listed]
    cancelled: list[Listed]
    kept: list[Listed]


def lists(plan: UndoPlan, limit: int | None = LIST_LIMIT) -> Lists:
    """The first `limit` items of each list (all with None), named in a query or two."""
    restores = list(islice(plan.restores, limit))
    removed = list(islice(plan.remove_accounts.items(), limit))
    links = [
        (kind, link) for kind, found in plan.remove_links.items() for link in islice(found, limit)
    ][:limit]
    cancelled = list(islice(plan.cancel_accounts, limit))
    kept = list(islice(plan.kept, limit))
    names = login_names(
        plan.job.organization_id,
        [
            *(each.account_id for each in restores),
            *(account_id for account_id, _ in removed),
            *(end for _, link in links for end in link[1:]),
            *cancelled,
            *(each.account_id for each in kept),
            *(each.other_id for each in kept if each.other_id),
        ],
    )

    def name(account_id: int) -> str:
        return names.get(account_id, f"account {account_id}")

    return Lists(
        restored=[
            Listed("field", name(r.account_id), r.field, now=r.now, back=r.back) for r in restores
        ],
        removed_accounts=[Listed("account", name(pk), kind=role) for pk, role in removed],
        removed_links=[
            Listed("association", name(link[1]), other=name(link[2]), kind=kind)
            for kind, link in links
        ],
        cancelled=[Listed("invitation", name(pk)) for pk in cancelled],
        kept=[
            Listed(
                k.what,
                name(k.account_id),
                k.field,
                other=name(k.other_id) if k.other_id else "",
                kind=k.kind,
                reason=k.reason.value,
                message=MESSAGES[k.reason],
            )
            for k in kept
        ],
    )


def undo_dict(plan: UndoPlan, *, dry_run: bool) -> dict[str, Any]:
    """The one JSON object `roster undo --json` prints (README, "Command line")."""
    kept = lists(plan, limit=None).kept
    return {
        "import": plan.job.pk,
        "dry_run": dry_run,
        "summary": plan.counts(),
        "kept": [
            {
                "what": item.what,
                "account": item.account,
                "field": item.field or None,
                "association": item.kind or None,
                "other": item.other or None,
                "reason": item.reason,
                "message": item.message,
            }
            for item in kept
        ],
    }


def as_text(data: dict[str, Any]) -> str:
    """A short human form of undo_dict's result."""
    summary = data["summary"]
    removed = summary["removed"]
    lines = [
        f"Import {data['import']}: "
        + ("dry run — nothing was changed:" if data["dry_run"] else "undone:"),
        f"  restored   {summary['restored']['fields']} fields of"
        f" {summary['restored']['accounts']} accounts",
        "  removed    "
        + ", ".join(f"{n} {role}s" for role, n in removed["accounts"].items())
        + f"; {removed['associations']['student_parent']} student–parent,"
        f" {removed['associations']['student_instructor']} student–instructor links",
        f"  cancelled  {summary['cancelled']['invites']} invites",
    ]
    kept = data["kept"]
    if kept:
        lines.append(f"kept ({len(kept)}):")
        for item in kept[:50]:
            what = item["field"] or item["what"]
            other = f" – {item['other']}" if item["other"] else ""
            lines.append(f"  {item['account']}{other} {what}: {item['message']}")
        if len(kept) > 50:
            lines.append(f"  … and {len(kept) - 50} more (use --json for all)")
    return "\n".join(lines)


def import_items(org: Organization, jobs: list[ImportJob]) -> list[dict[str, Any]]:
    """`roster imports --json`'s items for these imports, their files in one query."""
    files: dict[int, list[str | None]] = {}
    sources = ImportSource.objects.filter(organization=org, job__in=[job.pk for job in jobs])
    for job_id, name in sources.order_by("pk").values_list("job_id", "file_name"):
        files.setdefault(job_id, []).append(name or None)
    return [
        {
            "id": job.pk,
            "state": job.status,
            "door": job.door,
            "by": job.created_by.login_name if job.created_by else None,
            "created_at": job.created_at.isoformat(),
            "applied_at": _when(job.applied_at),
            "undone_at": _when(job.undone_at),
            "undo_until": _when(undo_deadline(job)) if job.applied_ids else None,
            "files": files.get(job.pk, []),
            "summary": job.summary or None,
        }
        for job in jobs
    ]


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None
