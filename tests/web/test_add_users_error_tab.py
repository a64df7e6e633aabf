"""An upload or paste error keeps the admin on the tab they used, with their text in it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from roster.importing.models import ImportJob

ONLY_HEADER = "First Name\tLast Name\tEmail\tStudent\n"  # pasted without its rows


def shown_tab(html: str) -> str:
    [role] = re.findall(r'role="tab" id="tab-(\w+)"[^>]*aria-selected="true"', html)
    assert re.search(rf'id="panel-{role}"[^>]*class="panel" >', html), "its panel is shown"
    return str(role)


@pytest.mark.parametrize("on_screen", ["parent", "student", ""])
def test_an_error_in_pasted_parents_shows_the_parent_tab_with_its_text(
    admin_client: Client, on_screen: str
) -> None:
    fields = {"parent_text": ONLY_HEADER, "shown_tab": on_screen}
    response = admin_client.post("/o/northside/users/add-multiple/", fields)
    assert response.status_code == 400 and ImportJob.objects.count() == 0
    html = response.content.decode()
    assert shown_tab(html) == "parent"  # the tab given something, wherever the admin was
    assert "First Name\tLast Name\tEmail\tStudent" in html  # still in its box


def test_with_two_tabs_given_the_tab_on_screen_stays(admin_client: Client) -> None:
    fields = {
        "student_text": "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n",
        "instructor_file": SimpleUploadedFile("teachers.csv", b"First Name,Last Name,Email\n"),
        "shown_tab": "instructor",
    }
    response = admin_client.post("/o/northside/users/add-multiple/", fields)
    assert response.status_code == 400
    assert shown_tab(response.content.decode()) == "instructor"


def test_nothing_given_stays_on_the_tab_on_screen_and_a_first_visit_shows_student(
    admin_client: Client,
) -> None:
    empty = admin_client.post("/o/northside/users/add-multiple/", {"shown_tab": "instructor"})
    assert shown_tab(empty.content.decode()) == "instructor"
    first = admin_client.get("/o/northside/users/add-multiple/")
    assert shown_tab(first.content.decode()) == "student"
