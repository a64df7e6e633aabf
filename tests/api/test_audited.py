"""Every change through the API leaves exactly one audit entry, as from the API, naming
the token's maker and the token; reads leave none."""

from django.core.files.uploadedfile import SimpleUploadedFile

from roster.accounts.models import Account
from roster.audit.models import Action, AuditEntry, Door
from tests.api.conftest import Api

STUDENTS = "First Name,Last Name,Email\nAda,Lovelace,ada@example.com\nBob,Stone,bob@example\n"


def _actions() -> list[tuple[str, str]]:
    return list(AuditEntry.objects.order_by("id").values_list("action", "door"))


def test_each_api_change_is_one_entry_from_the_api(api: Api, admin: Account) -> None:
    created = api.upload("/imports", {"student": SimpleUploadedFile("kids.csv", STUDENTS.encode())})
    assert created.status_code == 201, created.content
    job = created.json()["id"]
    api.get(f"/imports/{job}")
    api.get(f"/imports/{job}/issues")
    assert _actions() == [(Action.UPLOADED, Door.API)]  # reads are not recorded

    edit = api.post(
        f"/imports/{job}/cells", {"tab": 0, "row": 3, "column": 2, "value": "bob@x.org"}
    )
    assert edit.status_code == 200, edit.content
    applied = api.post(f"/imports/{job}/apply", {"invite": False}, {"Idempotency-Key": "k1"})
    assert applied.status_code == 202, applied.content
    api.post(f"/imports/{job}/apply", {"invite": False}, {"Idempotency-Key": "k1"})  # repeat
    person = api.post(
        "/people",
        {
            "role": "instructor",
            "first_name": "Ina",
            "last_name": "Tutor",
            "email": "ina@example.com",
        },
    )
    assert person.status_code == 201, person.content
    gone = api.post(f"/people/{person.json()['id']}/deactivate")
    assert gone.status_code == 200, gone.content

    assert _actions() == [
        (Action.UPLOADED, Door.API),
        (Action.EDITED_CELL, Door.API),
        (Action.APPLIED, Door.API),
        (Action.ADDED_USER, Door.API),
        (Action.DEACTIVATED_USER, Door.API),
    ]
    entries = AuditEntry.objects.all()
    assert {entry.actor_id for entry in entries} == {admin.pk}
    assert all("API token “test”" in entry.actor_label for entry in entries)
    assert all(entry.ip == "127.0.0.1" for entry in entries)
