"""Undo from the import's page: the preview, the POST, refusals, copying into a new draft."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roster.accounts.models import Account, Role
from roster.audit.log import SYSTEM
from roster.importing.jobs import create_job
from roster.importing.jobs.create import NewSource
from roster.importing.models import ImportJob, ImportRow, JobStatus
from roster.orgs.models import Organization
from tests.conftest import make_account
from tests.undo.helpers import imported
from tests.undo.test_undo_core import FAMILY, people

Capture = pytest.CaptureFixture[str]


def url(name: str, job: ImportJob, slug: str = "northside") -> str:
    return reverse(f"web:{name}", kwargs={"slug": slug, "job_id": job.pk})


def test_the_preview_lists_what_undo_will_do_then_one_post_undoes(
    org: Organization, admin: Account, admin_client: Client, tmp_path: Path, capsys: Capture
) -> None:
    make_account(org, Role.STUDENT, "old@example.com", first_name="Olga")
    job = imported(
        tmp_path,
        capsys,
        FAMILY
        | {"more_students.csv": "First Name,Last Name,Email\nOlivia,Lovelace,old@example.com\n"},
        "--invite",
    )
    page = admin_client.get(url("import-result", job))
    assert url("import-undo-import", job) in page.content.decode()

    preview = admin_client.get(url("import-undo-import", job))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="count-restored">1<' in html and 'id="count-removed">4<' in html
    assert 'id="count-links">3<' in html and 'id="count-cancelled">3<' in html
    assert "old@example.com" in html and "Olivia" in html and "Olga" in html
    assert "csrfmiddlewaretoken" in html
    assert len(people(org)) == 5  # a preview changes nothing

    done = admin_client.post(url("import-undo-import", job))
    assert done.status_code == 302 and done["Location"] == url("import-result", job)
    assert people(org) == ["old@example.com"]
    assert Account.objects.get(email="old@example.com").first_name == "Olga"
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE and job.undone_by == admin
    result = admin_client.get(url("import-result", job)).content.decode()
    assert "Import " in result and "undone" in result and 'id="undone"' in result

    again = admin_client.post(url("import-undo-import", job))
    assert again.status_code == 409 and "was undone already" in again.content.decode()


def test_the_window_passed_is_refused(
    org: Organization, admin_client: Client, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    ImportJob.objects.filter(pk=job.pk).update(applied_at=timezone.now() - timedelta(days=8))
    page = admin_client.get(url("import-undo-import", job)).content.decode()
    assert "undo window has passed" in page and 'id="undo-import"' not in page
    assert 'id="undo-preview"' not in admin_client.get(url("import-result", job)).content.decode()
    assert admin_client.post(url("import-undo-import", job)).status_code == 409
    assert len(people(org)) == 4


def test_another_organizations_import_is_not_found(
    org: Organization,
    other_org: Organization,
    stranger: Account,
    tmp_path: Path,
    capsys: Capture,
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    client = Client()
    client.force_login(stranger)
    for name in ("import-undo-import", "import-copy"):
        for method in (client.get, client.post):
            assert method(url(name, job, "southside")).status_code == 404
            assert method(url(name, job)).status_code in (302, 404)  # not their portal
    assert len(people(org)) == 4


def test_an_undone_web_import_is_copied_into_a_new_draft(
    org: Organization, admin: Account, admin_client: Client
) -> None:
    text = "First Name,Last Name,Email\nAnn,Lee,ann@example.com\nBo,Wu,bo@example.com\n"
    job = create_job(org, admin, [NewSource(Role.STUDENT, text=text)], by=SYSTEM)
    admin_client.get(url("import-review", job))
    admin_client.post(url("import-finish", job), {"invite": "no"})
    admin_client.post(url("import-apply", job))
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED and len(people(org)) == 2
    assert admin_client.post(url("import-undo-import", job)).status_code == 302
    assert people(org) == []
    # It cannot be applied again: Yes does nothing.
    admin_client.post(url("import-apply", job))
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE and people(org) == []
    assert 'id="copy-import"' in admin_client.get(url("import-result", job)).content.decode()

    copied = admin_client.post(url("import-copy", job))
    draft = ImportJob.objects.latest("pk")
    assert copied.status_code == 302 and copied["Location"] == url("import-review", draft)
    assert draft.status == JobStatus.REVIEWING and draft.pk != job.pk
    assert ImportRow.objects.filter(job=draft).count() == 2
    admin_client.post(url("import-finish", draft), {"invite": "no"})
    admin_client.post(url("import-apply", draft))
    draft.refresh_from_db()
    assert draft.status == JobStatus.APPLIED and len(people(org)) == 2


def test_a_command_line_import_cannot_be_copied(
    admin_client: Client, tmp_path: Path, capsys: Capture
) -> None:
    job = imported(tmp_path, capsys, FAMILY)
    assert admin_client.post(url("import-copy", job)).status_code == 409
