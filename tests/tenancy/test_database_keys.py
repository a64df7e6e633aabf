"""The database refuses an import's row that points into another organization's import."""

from typing import Any

from django.db import connection

from roster.accounts.models import Role
from roster.importing.models import (
    ImportJob,
    ImportKey,
    ImportRow,
    ImportSource,
    ImportTab,
    KeyUse,
    SourceKind,
)
from roster.orgs.models import Organization
from tests.conftest import make_account, refused_by_database


def _import(org: Organization) -> dict[str, Any]:
    job = ImportJob.objects.create(organization=org)
    source = ImportSource.objects.create(
        organization=org, job=job, kind=SourceKind.PASTE, role=Role.STUDENT
    )
    tab = ImportTab.objects.create(
        organization=org, job=job, source=source, position=0, role=Role.STUDENT
    )
    row = ImportRow.objects.create(organization=org, job=job, tab=tab, number=2)
    return {"job": job, "source": source, "tab": tab, "row": row}


def test_an_imports_rows_stay_in_its_organization(
    org: Organization, other_org: Organization
) -> None:
    ours, theirs = _import(org), _import(other_org)
    refused_by_database(
        ImportTab, organization=org, job=theirs["job"], source=ours["source"], position=1
    )
    refused_by_database(
        ImportTab, organization=org, job=ours["job"], source=theirs["source"], position=1
    )
    refused_by_database(ImportRow, organization=org, job=ours["job"], tab=theirs["tab"], number=3)
    refused_by_database(ImportRow, organization=org, job=theirs["job"], tab=ours["tab"], number=3)
    refused_by_database(
        ImportKey, organization=org, job=ours["job"], row=theirs["row"], use=KeyUse.OWN
    )
    stranger = make_account(other_org, Role.ADMIN, "boss@their.example.com")
    refused_by_database(ImportJob, organization=org, created_by=stranger)


def test_an_import_within_its_organization_is_kept(org: Organization) -> None:
    ours = _import(org)
    ImportKey.objects.create(
        organization=org, job=ours["job"], row=ours["row"], use=KeyUse.OWN, key="a@b.org"
    )
    ImportJob.objects.create(organization=org, created_by=make_account(org, Role.ADMIN, "x@y.org"))
    connection.check_constraints()
