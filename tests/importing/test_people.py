"""People keep each row packed (people.pack), sent so by the row-check helper: a person
packed and kept comes back whole, as a Person and as a PersonView."""

from roster.accounts.models import Role
from roster.importing.people import (
    LINK_SEPARATOR,
    SPLIT_POSITIONS,
    People,
    Person,
    PersonView,
    pack,
    pack_values,
)


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
    assert people.append_packed(Role.STUDENT, 2, 41, pack(student)) == 0
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


def test_the_quick_passes_read_what_the_views_read() -> None:
    """People.split and People.without_email, which planning's link pass uses instead of
    building a PersonView a row, give what the views give."""
    people = People()
    for number, (role, email, username) in enumerate(
        [
            (Role.STUDENT, "a@example.org", ""),
            (Role.STUDENT, "", "bee"),
            (Role.PARENT, "p@example.org", ""),
            (Role.STUDENT, "c@example.org", "cee"),
            (Role.STUDENT, "", "dee"),
            (Role.INSTRUCTOR, "t@example.org", ""),
        ]
    ):
        parents = ("p@example.org",) if role is Role.STUDENT else ()
        students = ("bee", "dee") if role is not Role.STUDENT else ()
        packed = pack_values("F", "L", email, username, "", parents, (), students)
        people.append_packed(role, 0, number + 2, packed)
    views = list(people.views())
    assert [(role, values) for role, values in people.split()] == [
        (view.role, list(view[3:])) for view in views
    ]
    assert people.without_email(Role.STUDENT) == [1, 4]
    assert people.without_email(Role.PARENT) == []
    for field, position in SPLIT_POSITIONS.items():
        assert [values[position] for _, values in people.split()] == [
            LINK_SEPARATOR.join(view.links(field)) for view in views
        ]
