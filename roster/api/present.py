"""Stored imports and accounts → the API's JSON (schemas.py), read as the review reads them."""

from typing import Any

from django.db.models import QuerySet

from roster.accounts.links import linked_accounts
from roster.accounts.models import Account
from roster.importing.jobs.mappings import mapping_choices
from roster.importing.jobs.tables import column_map
from roster.importing.models import ImportFlag, ImportJob, ImportTab, JobStatus, Severity


def import_out(job: ImportJob) -> dict[str, Any]:
    tabs = list(ImportTab.objects.filter(job=job))
    applied = job.status == JobStatus.APPLIED
    summary = job.summary if applied else (job.preview if job.checked else None)
    return {
        "id": job.pk,
        "status": job.status,
        "invite": job.invite,
        "created_at": job.created_at,
        "total": job.total,
        "progress": job.progress,
        "checked": job.checked,
        "flags_current": job.flags_current,
        "error": job.error,
        "notes": [str(note) for note in job.notes],
        "tabs": [_tab_out(tab) for tab in tabs],
        "summary": summary or None,
    }


def _tab_out(tab: ImportTab) -> dict[str, Any]:
    columns = column_map(tab)
    return {
        "position": tab.position,
        "file": tab.file_name or None,
        "sheet": tab.sheet,
        "role": tab.role or None,
        "rows": tab.rows,
        "errors": tab.errors,
        "warnings": tab.warnings,
        "mapping": [
            {"column": index, "header": header, "field": columns.fields[index]}
            for index, header in enumerate(columns.header)
        ],
        "fields": [name for name, _label in mapping_choices(tab)],
    }


def progress_out(job: ImportJob) -> dict[str, Any]:
    return {
        "status": job.status,
        "progress": job.progress,
        "total": job.total,
        "checked": job.checked,
        "flags_current": job.flags_current,
    }


def flags_of(job: ImportJob) -> QuerySet[ImportFlag]:
    return (
        ImportFlag.objects.filter(organization_id=job.organization_id, job=job)
        .select_related("tab")
        .order_by("tab__position", "row", "column", "id")
    )


def issue_out(flag: ImportFlag) -> dict[str, Any]:
    """One flag as `roster import --json` prints an issue, with its tab's position."""
    return {
        "code": flag.code,
        "severity": "error" if flag.severity == Severity.ERROR else "warning",
        "file": flag.tab.file_name or None,
        "sheet": flag.tab.sheet,
        "row": flag.row,
        "column": flag.column_label or None,
        "message": flag.message,
        "tab": flag.tab.position,
    }


def person_out(account: Account, *, links: bool = False) -> dict[str, Any]:
    """An account as `roster users --json` gives it, with its id; links when asked."""
    out: dict[str, Any] = {"id": account.pk, **account.listed()}
    if links:
        linked = linked_accounts(account)
        for key in account.link_keys:
            out[key] = sorted(person.login_name for person in getattr(linked, key))
    return out
