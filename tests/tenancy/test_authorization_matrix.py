"""Who may open what: every URL × owner, admin, student, instructor, parent, anonymous ×
their own organization's objects and another's (issue 11).

The URLs come from the resolver, so a new one fails `test_every_url_has_an_expected_answer`
until its row is written here. Another organization's data is "not found" (404) whatever the
role, never "forbidden": a stranger learns nothing, not even that it exists.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from roster.accounts.models import Account, Role, Status, StudentParent
from roster.api.models import Scope
from roster.api.tokens import create_token
from roster.importing.models import ImportJob, JobStatus
from roster.mail.models import OutboxMessage
from roster.orgs.models import Organization
from tests.conftest import make_account

ROLES = ["owner", "admin", "student", "instructor", "parent", "anonymous"]
ADMINS = {"owner", "admin"}

# What an organization's owner or admin gets from a GET on their own objects (a job under
# review, a username-only student, an outbox message). POST-only actions answer 405.
ADMIN_PAGES = {
    "users": 200,
    "user-create": 200,
    "template": 200,
    "user-detail": 200,
    "user-edit": 200,
    "resend-many": 405,
    "resend-one": 405,
    "add-users": 200,
    "imports": 200,
    "import-review": 200,
    "import-discard": 200,  # the confirmation; the discard itself is a POST
    "import-cell": 405,
    "import-column": 405,
    "import-role": 405,
    "import-forget": 405,
    "import-delete": 405,
    "import-fix": 405,
    "import-replace": 405,
    "import-replace-count": 404,  # it names no tab of the (empty) job
    "import-undo": 405,
    "import-redo": 405,
    "import-invite": 405,
    "import-finish": 405,
    "import-fix-download": 200,
    "import-fix-upload": 405,
    "import-confirm": 302,  # not checked yet: back to the review
    "import-apply": 405,
    "import-progress": 200,
    "import-result": 302,  # not applied: back to the review
    "import-undo-import": 200,  # the preview (here: why a draft cannot be undone); POST undoes
    "import-copy": 405,
    "import-remind": 405,
    "import-report-xlsx": 200,
    "import-report-csv": 200,
    "activity": 200,
    "activity-csv": 200,
    "outbox": 200,
    "outbox-message": 200,
    "api-tokens": 200,
    "api-token-revoke": 405,
    "org-settings": 200,
}
# Pages for any member of the organization: GET answer per role.
MEMBER_PAGES = {
    "dashboard": dict.fromkeys(ROLES[:5], 200),
    "my-students": {**dict.fromkeys(ROLES[:5], 302), "parent": 200},  # a parent's page
    "student-password": {**dict.fromkeys(ROLES[:5], 404), "parent": 200},  # their student's
}
# Reachable by anyone: GET answer (logout is POST-only; the token is not a real one).
PUBLIC_PAGES = {"home": 200, "login": 200, "logout": 405, "activate": 404, "favicon": 301}


def _web_patterns() -> list[tuple[str, Any]]:
    """(name, pattern) for every named URL of the portal, found by walking the resolver."""
    found: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "web":
                found.append((entry.name or "", entry.pattern))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_url_has_an_expected_answer(db: None) -> None:
    names = [name for name, _ in _web_patterns()]
    assert "" not in names  # a URL without a name could not be checked here
    assert set(names) == set(ADMIN_PAGES) | set(MEMBER_PAGES) | set(PUBLIC_PAGES)


def test_everything_outside_the_portal_is_djangos_admin_site_or_the_api(db: None) -> None:
    """The API's operations have their own matrix: test_api_authorization_matrix.py."""
    top = get_resolver().url_patterns
    outside = [str(p.pattern) for p in top if getattr(p, "namespace", None) != "web"]
    assert outside == ["admin/", "api/"]


@dataclass
class Ids:
    account_id: int
    message_id: int
    job_id: int
    token_id: int
    token: str = "not-a-real-token"


def _objects(org: Organization, parent: Account | None) -> Ids:
    kid = make_account(org, Role.STUDENT, username=f"kid.{org.slug}", status=Status.PENDING)
    if parent is not None:
        StudentParent.objects.create(organization=org, student=kid, parent=parent)
    message = OutboxMessage.objects.create(
        organization=org, subject="Hi", from_email="x@e.org", to="y@e.org", body="b", raw=""
    )
    job = ImportJob.objects.create(organization=org, status=JobStatus.REVIEWING)
    token, _secret = create_token(org, kid, "sync", [Scope.READ])
    return Ids(kid.pk, message.pk, job.pk, token.pk)


def _url(name: str, pattern: Any, slug: str, ids: Ids) -> str:
    wanted = set(pattern.regex.groupindex)
    values = {"slug": slug} | {k: getattr(ids, k) for k in wanted - {"slug"}}
    return reverse(f"web:{name}", kwargs={k: v for k, v in values.items() if k in wanted})


def _is_login_redirect(response: Any, slug: str) -> bool:
    return response.status_code == 302 and str(response["Location"]).startswith(f"/o/{slug}/login/")


@pytest.fixture
def world(org: Organization, other_org: Organization) -> dict[str, Any]:
    people = {
        role: make_account(org, Role(role), f"{role}@northside.example", status=Status.ACTIVE)
        for role in ROLES[:5]
    }
    theirs_parent = make_account(other_org, Role.PARENT, "p@southside.example")
    return {
        "people": people,
        "ours": _objects(org, people["parent"]),
        "theirs": _objects(other_org, theirs_parent),
    }


def _expected_own(name: str, role: str) -> int | str:
    """The answer to `role`'s GET of `name` on its own organization's objects."""
    if name in PUBLIC_PAGES:
        return PUBLIC_PAGES[name]
    if role == "anonymous":
        return "login"
    if name in MEMBER_PAGES:
        return MEMBER_PAGES[name][role]
    return ADMIN_PAGES[name] if role in ADMINS else 404


@pytest.mark.parametrize("role", ROLES)
def test_the_authorization_matrix(world: dict[str, Any], role: str) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    wrong: list[str] = []

    def check(method: str, url: str, expected: int | str, slug: str) -> None:
        response = getattr(client, method)(url)
        ok = (
            _is_login_redirect(response, slug)
            if expected == "login"
            else response.status_code == expected
        )
        if not ok:
            wrong.append(f"{method.upper()} {url}: {response.status_code}, expected {expected}")

    for name, pattern in _web_patterns():
        own = _expected_own(name, role)
        gated = name not in PUBLIC_PAGES
        # Our portal, our objects.
        check("get", _url(name, pattern, "northside", world["ours"]), own, "northside")
        if own in (404, "login"):  # refused: a POST changes nothing either
            check("post", _url(name, pattern, "northside", world["ours"]), own, "northside")
        # Our portal, another organization's ids: never found.
        if gated and set(pattern.regex.groupindex) - {"slug"}:
            denied = "login" if role == "anonymous" else 404
            for method in ("get", "post"):
                url = _url(name, pattern, "northside", world["theirs"])
                check(method, url, denied, "northside")
        # Another organization's portal and objects: never found (anonymous: its login page).
        if gated:
            denied = "login" if role == "anonymous" else 404
            for method in ("get", "post"):
                url = _url(name, pattern, "southside", world["theirs"])
                check(method, url, denied, "southside")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_no_member_of_an_organization_enters_djangos_admin_site(
    world: dict[str, Any], role: str
) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    for url in (
        "/admin/",
        "/admin/accounts/account/",
        f"/admin/accounts/account/{world['ours'].account_id}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
