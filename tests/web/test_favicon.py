"""Every page links Roster's icon; /favicon.ico, asked for by some browsers, leads to it."""

from django.templatetags.static import static
from django.test import Client

from roster.orgs.models import Organization


def test_every_page_links_the_icon_and_favicon_ico_redirects_to_it(org: Organization) -> None:
    icon = static("web/favicon.svg")
    page = Client().get("/o/northside/login/")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in page.content.decode()
    answer = Client().get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (301, icon)
