"""Helpers: run one action and get the one audit entry it left."""

from collections.abc import Callable
from typing import Any

from roster.audit.models import AuditEntry
from roster.orgs.models import Organization


def last_id() -> int:
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return newest or 0


def one_entry(org: Organization, do: Callable[[], Any]) -> AuditEntry:
    """Run `do`; it must leave exactly one new entry (in `org`), which is returned."""
    before = last_id()
    do()
    new = list(AuditEntry.objects.filter(id__gt=before).order_by("id"))
    assert len(new) == 1, [(entry.action, entry.detail) for entry in new]
    assert new[0].organization_id == org.pk
    return new[0]
