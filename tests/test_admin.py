from django.test import Client

from roster.accounts.models import Account
from roster.orgs.models import Organization


def test_platform_staff_manage_organizations_in_djangos_admin(org: Organization) -> None:
    operator = Account.objects.create_superuser("ops@platform.example.com", "s3cret-pass-phrase")
    client = Client()
    assert client.login(username="OPS@platform.example.com", password="s3cret-pass-phrase")
    assert client.get("/admin/orgs/organization/").status_code == 200
    assert client.get(f"/admin/orgs/organization/{org.pk}/change/").status_code == 200
    assert operator.organization is None


def test_organization_admins_cannot_use_djangos_admin(admin: Account) -> None:
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/orgs/organization/").status_code == 302  # to the staff login
