"""An admin of one organization tries every portal page and action on another's data: 404."""

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from roster.accounts.models import Account, Role
from roster.api.models import Scope
from roster.api.tokens import create_token
from roster.importing.models import ImportJob, JobStatus
from roster.mail.models import OutboxMessage
from roster.orgs.models import Organization
from roster.web.urls import urlpatterns
from tests.conftest import make_account

# Reachable by anyone; they show or change nothing of an organization without a valid token.
PUBLIC = {"home", "login", "logout", "activate", "favicon"}


def _patterns() -> list[URLPattern]:
    return [p for p in urlpatterns if isinstance(p, URLPattern) and p.name not in PUBLIC]


def _theirs(other_org: Organization) -> dict[str, int]:
    person = make_account(other_org, Role.STUDENT, "their.kid@example.com")
    message = OutboxMessage.objects.create(
        organization=other_org,
        subject="Hi",
        from_email="x@example.com",
        to="y@example.com",
        body="secret",
        raw="",
    )
    job = ImportJob.objects.create(organization=other_org, status=JobStatus.REVIEWING)
    token, _secret = create_token(other_org, person, "their sync", [Scope.READ])
    return {
        "account_id": person.pk,
        "message_id": message.pk,
        "job_id": job.pk,
        "token_id": token.pk,
    }


def _urls(slug: str, ids: dict[str, int]) -> list[str]:
    urls = []
    for pattern in _patterns():
        wanted = set(pattern.pattern.regex.groupindex) - {"slug"}
        urls.append(
            reverse(f"web:{pattern.name}", kwargs={"slug": slug} | {k: ids[k] for k in wanted})
        )
    return urls


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organizations_pages_are_not_found(
    admin_client: Client, other_org: Organization, method: str
) -> None:
    ids = _theirs(other_org)
    for url in _urls(other_org.slug, ids):
        assert getattr(admin_client, method)(url).status_code == 404, url


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organizations_objects_are_not_found_in_our_portal(
    admin_client: Client, org: Organization, other_org: Organization, method: str
) -> None:
    ids = _theirs(other_org)
    with_ids = [p for p in _patterns() if set(p.pattern.regex.groupindex) - {"slug"}]
    assert len(with_ids) >= 3
    for pattern in with_ids:
        wanted = set(pattern.pattern.regex.groupindex) - {"slug"}
        url = reverse(
            f"web:{pattern.name}", kwargs={"slug": org.slug} | {k: ids[k] for k in wanted}
        )
        assert getattr(admin_client, method)(url).status_code == 404, url


def test_every_portal_page_is_covered(db: None) -> None:
    names = {p.name for p in _patterns()}
    assert {"dashboard", "users", "user-detail", "user-edit", "user-create", "outbox"} <= names
    assert {"add-users", "imports", "import-review", "import-cell", "import-apply"} <= names


def test_an_edit_aimed_at_another_organization_changes_nothing(
    admin_client: Client, other_org: Organization
) -> None:
    ids = _theirs(other_org)
    url = f"/o/northside/users/{ids['account_id']}/edit/"
    response = admin_client.post(url, {"first_name": "Hacked", "last_name": "X", "role": "student"})
    assert response.status_code == 404
    assert Account.objects.get(pk=ids["account_id"]).first_name == "Ada"
