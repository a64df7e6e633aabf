"""Validated rows, stored compactly: what validate hands to plan.

A million students must fit in well under a gigabyte with everything else an import
holds, so a row is kept as one packed string plus a few machine integers, and the
`Person` value is built only while a stage looks at it.
"""

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

from roster.accounts.roles import Role

IMPORTED_ROLES: tuple[Role, ...] = (Role.STUDENT, Role.INSTRUCTOR, Role.PARENT)
ROLE_TAB = {Role.STUDENT: "Student", Role.INSTRUCTOR: "Instructor", Role.PARENT: "Parent"}
LINK_FIELDS = ("parent_emails", "instructor_emails", "students")
_SEP = "\x1f"  # between fields; validation leaves no control character in a stored value
_LINK_SEP = "\x1e"  # between the values of one association field
_NO_LINKS = _SEP * (len(LINK_FIELDS) - 1)  # the packed association fields of a person with none


@dataclass(frozen=True, slots=True)
class Source:
    """Where rows come from: one table of one file, named as the admin sees it."""

    file: str | None  # base name; None for pasted text
    sheet: str  # the workbook's tab, or "" for a single table (then the role's tab name)
    columns: dict[str, str]  # field → header text of its (first) column, for issues

    def sheet_for(self, role: Role) -> str:
        return self.sheet or ROLE_TAB[role]


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One row that passed validation: values normalised, links as written."""

    role: Role
    source: int  # index into the import's sources
    number: int  # the row as the admin sees it
    first_name: str
    last_name: str
    email: str = ""
    username: str = ""
    phone: str = ""
    parent_emails: tuple[str, ...] = ()
    instructor_emails: tuple[str, ...] = ()
    students: tuple[str, ...] = ()

    def links(self, field: str) -> tuple[str, ...]:
        links: tuple[str, ...] = getattr(self, field)
        return links


class PersonView(NamedTuple):
    """A stored person read without building a Person, for passes over every row.

    Planning looks at every row several times; a frozen Person costs several times more
    to build than this tuple, whose links stay packed until `links` is asked for.
    """

    role: Role
    source: int
    number: int
    first_name: str
    last_name: str
    email: str
    username: str
    phone: str
    parent_links: str  # packed: the parent_emails values joined by _LINK_SEP
    instructor_links: str
    student_links: str

    def links(self, field: str) -> tuple[str, ...]:
        packed: str = getattr(self, _PACKED[field])
        return tuple(packed.split(_LINK_SEP)) if packed else ()

    @classmethod
    def unpack(cls, role: Role, source: int, number: int, packed: str) -> "PersonView":
        """The view of a person packed by `pack`."""
        return cls(role, source, number, *packed.split(_SEP))


_PACKED = dict(zip(LINK_FIELDS, ("parent_links", "instructor_links", "student_links"), strict=True))
# For passes over every row (associations.py): the position of each association field in
# a person's split values (People.split), packed, and what separates its values.
_SPLIT_FROM = PersonView._fields.index("first_name")
SPLIT_POSITIONS = {
    field: PersonView._fields.index(packed) - _SPLIT_FROM for field, packed in _PACKED.items()
}
LINK_SEPARATOR = _LINK_SEP


_ROLE_CODES = {role: code for code, role in enumerate(IMPORTED_ROLES)}


def pack(person: Person) -> str:
    """A person's values as People keeps them: one string (role, source and row apart)."""
    return pack_values(
        person.first_name,
        person.last_name,
        person.email,
        person.username,
        person.phone,
        person.parent_emails,
        person.instructor_emails,
        person.students,
    )


def pack_values(
    first_name: str,
    last_name: str,
    email: str,
    username: str,
    phone: str,
    parent_emails: tuple[str, ...],
    instructor_emails: tuple[str, ...],
    students: tuple[str, ...],
) -> str:
    """A person's values packed as People keeps them, given one by one.

    The row checks give each row packed (rowcheck.check_row), in the importing process
    and in the row-check helper, which sends it so: no Person is built for a row.
    """
    return _SEP.join(
        (
            first_name,
            last_name,
            email,
            username,
            phone,
            _LINK_SEP.join(parent_emails),
            _LINK_SEP.join(instructor_emails),
            _LINK_SEP.join(students),
        )
    )


class People:
    """An append-only, compact list of Person values (about 200 bytes a row)."""

    def __init__(self) -> None:
        self._numbers = array("q")
        self._sources = array("I")
        self._roles = bytearray()
        self._packed: list[str] = []

    def append_packed(self, role: Role, source: int, number: int, packed: str) -> int:
        """Keep a person packed by `pack`; its index."""
        self._numbers.append(number)
        self._sources.append(source)
        self._roles.append(_ROLE_CODES[role])
        self._packed.append(packed)
        return len(self._packed) - 1

    def __len__(self) -> int:
        return len(self._packed)

    def __getitem__(self, index: int) -> Person:
        first, last, email, username, phone, parents, instructors, students = self._packed[
            index
        ].split(_SEP)
        return Person(
            role=IMPORTED_ROLES[self._roles[index]],
            source=self._sources[index],
            number=self._numbers[index],
            first_name=first,
            last_name=last,
            email=email,
            username=username,
            phone=phone,
            parent_emails=_links(parents),
            instructor_emails=_links(instructors),
            students=_links(students),
        )

    def __iter__(self) -> Iterator[Person]:
        return (self[index] for index in range(len(self._packed)))

    def linked(self) -> Iterator[str]:
        """Every value of every person's association fields, in order, repeats included."""
        for packed in self._packed:
            links = packed.split(_SEP, 5)[5]
            if links != _NO_LINKS:
                yield from filter(None, links.replace(_SEP, _LINK_SEP).split(_LINK_SEP))

    def views(self) -> Iterator[PersonView]:
        """Every person, in order, as a PersonView."""
        roles = IMPORTED_ROLES
        rows = zip(self._roles, self._sources, self._numbers, self._packed, strict=True)
        for role, source, number, packed in rows:
            yield PersonView(roles[role], source, number, *packed.split(_SEP))

    def split(self) -> Iterator[tuple[Role, list[str]]]:
        """Every person's role and values (PersonView's, from first_name on), in order.

        For a pass over every row that reads a few fields: no PersonView is built, and
        the loop runs in C (planning's link pass, 1,500,000 rows).
        """
        roles = map(IMPORTED_ROLES.__getitem__, self._roles)
        return zip(roles, map(str.split, self._packed, repeat(_SEP)), strict=True)

    def without_email(self, role: Role) -> list[int]:
        """The indexes of the people of `role` who have no email, in order."""
        code, packed = _ROLE_CODES[role], self._packed
        return [
            index
            for index, each in enumerate(self._roles)
            if each == code and not packed[index].split(_SEP, 3)[2]
        ]

    def view(self, index: int) -> PersonView:
        packed = self._packed[index].split(_SEP)
        role = IMPORTED_ROLES[self._roles[index]]
        return PersonView(role, self._sources[index], self._numbers[index], *packed)

    @property
    def role_codes(self) -> bytes:
        """Each person's role as an index into IMPORTED_ROLES."""
        return bytes(self._roles)

    def role(self, index: int) -> Role:
        return IMPORTED_ROLES[self._roles[index]]

    def places(self) -> Iterator[tuple[int, int]]:
        """Each person's (source, row number), in order."""
        return zip(self._sources, self._numbers, strict=True)


def _links(packed: str) -> tuple[str, ...]:
    return tuple(packed.split(_LINK_SEP)) if packed else ()


def clean_text(value: str) -> str:
    """A value safe to pack: every run of whitespace or control characters is one space."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
