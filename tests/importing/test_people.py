"""People keep each row packed (people.pack), sent so by the row-check helper: a person
packed and kept comes back whole, as a Person and as a PersonView."""

from roster.accounts.models import Role
from roster.importing.people import People, Person, PersonView, pack


def test_a_packed_person_comes_back_whole() -> None:
    student = Person(
        role=Role.STUDENT,
        source=2,
        number=41,
        first_name="Zoë",
        last_name="O'Neil-Ávila",
        email="zoe@example.org",
        username="zoe41",
        phone="+1 415 555 0100",
        parent_emails=("mum@example.org", "dad@example.org"),
        instructor_emails=("t@example.org",),
    )
    parent = Person(
        role=Role.PARENT,
        source=0,
        number=7,
        first_name="Ann",
        last_name="Lee",
        students=("zoe41",),
    )
    people = People()
    assert people.append(student) == 0
    assert people.append_packed(Role.PARENT, 0, 7, pack(parent)) == 1
    assert list(people) == [student, parent]
    view = PersonView.unpack(Role.STUDENT, 2, 41, pack(student))
    assert view == people.view(0)
    assert (view.email, view.phone, view.links("parent_emails")) == (
        "zoe@example.org",
        "+1 415 555 0100",
        ("mum@example.org", "dad@example.org"),
    )
    assert people.view(1).links("students") == ("zoe41",)
    assert list(people.linked()) == ["mum@example.org", "dad@example.org", "t@example.org", "zoe41"]
