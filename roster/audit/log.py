"""record(): the one writer of the audit log, called by the functions that do the work.

    by = By.web(request)                      # a door says who acts and from where …
    jobs.edit_cell(job, tab, 4, 2, "x", by=by)   # … the core passes it on:
    record(org, Action.EDITED_CELL, by=by, import_job=job, detail={...})

Called inside the writer's transaction, so an entry exists exactly when its change does.
"""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.http import HttpRequest

from roster.accounts.models import Account
from roster.accounts.throttle import client_address
from roster.audit.models import Action, AuditEntry, Door
from roster.orgs.models import Organization

if TYPE_CHECKING:  # roster.importing imports this module
    from roster.importing.models import ImportJob

_LABEL = 400


@dataclass(frozen=True, slots=True, kw_only=True)
class By:
    """Who acts (None: nobody logged in — the system, the command line), through which
    door, from which address (web and API). Built by the door, never guessed by the core;
    JSON-able (as_json/from_json) so a task can carry it."""

    door: Door
    actor_id: int | None = None
    actor_label: str = ""
    ip: str | None = None

    @classmethod
    def account(cls, account: Account | None, door: Door, ip: str | None = None) -> Self:
        if account is None:
            return cls(door=door, ip=_address(ip))
        return cls(door=door, actor_id=account.pk, actor_label=label(account), ip=_address(ip))

    @classmethod
    def web(cls, request: HttpRequest) -> Self:
        """The logged-in admin of a portal request, at the address it came from."""
        user = request.user if isinstance(request.user, Account) else None
        return cls.account(user, Door.WEB, client_address(request))

    def as_json(self) -> dict[str, Any]:
        return {
            "door": str(self.door),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "ip": self.ip,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            door=Door(data["door"]),
            actor_id=data.get("actor_id"),
            actor_label=str(data.get("actor_label") or ""),
            ip=data.get("ip"),
        )


SYSTEM = By(door=Door.SYSTEM)  # a task acting on its own (reminders on a schedule)
COMMAND_LINE = By(door=Door.CLI)


def record(
    organization: Organization | int,
    action: Action,
    *,
    by: By,
    import_job: "ImportJob | int | None" = None,
    account: Account | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. A bulk action is one entry with counts in `detail`, never one per row."""
    org_id = organization if isinstance(organization, int) else organization.pk
    job_id = import_job if import_job is None or isinstance(import_job, int) else None
    if import_job is not None and not isinstance(import_job, int):
        assert import_job.organization_id == org_id  # only its own organization's import
        job_id = import_job.pk
    assert account is None or account.organization_id == org_id
    return AuditEntry.objects.create(
        organization_id=org_id,
        action=action,
        door=by.door,
        actor_id=by.actor_id,
        actor_label=by.actor_label[:_LABEL],
        ip=by.ip,
        import_job_id=job_id,
        account_id=account.pk if account is not None else None,
        account_label=label(account)[:_LABEL] if account is not None else "",
        detail=dict(detail or {}),
    )


def clipped(text: str, limit: int = 200) -> str:
    """A cell's value as an entry keeps it: enough to recognise, not a whole pasted essay."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(account: Account) -> str:
    """ "Ada Lovelace <ada@example.com>": kept on the entry, readable after the account goes."""
    return (
        f"{account.full_name} <{account.login_name}>" if account.login_name else account.full_name
    )


def _address(ip: str | None) -> str | None:
    """A forged or garbled address is not stored (the column takes addresses only)."""
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None
