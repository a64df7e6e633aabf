"""The review grid's headers: a sample value under each menu, name columns pinned at the left."""

from django.test import Client

from roster.importing.models import ImportTab
from roster.web import grid
from roster.web.outcomes import Show
from tests.web.test_import_wizard import start


def heads(client: Client, text: str) -> list[grid.Head]:
    job = start(client, student_text=text)
    return grid.grid_page(ImportTab.objects.get(job=job), page=1, show=Show()).heads


def test_each_header_shows_the_first_value_of_its_column(admin_client: Client) -> None:
    text = "First Name,Last Name,Email,Phone\nAda,Lovelace,,\nAlan,Turing,alan@example.com,\n"
    assert [head.sample for head in heads(admin_client, text)] == [
        "Ada",
        "Lovelace",
        "alan@example.com",
        "",
    ]


def test_only_name_columns_the_grid_starts_with_are_pinned(admin_client: Client) -> None:
    leading = heads(admin_client, "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\n")
    assert [head.pinned for head in leading] == [True, True, False]
    later = heads(admin_client, "Email,First Name,Last Name\nada@example.com,Ada,Lovelace\n")
    assert [head.pinned for head in later] == [False, False, False]
