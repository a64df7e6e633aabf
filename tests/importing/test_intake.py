"""intake.decide: which tables of a file are imported, with which role and columns."""

import pytest

from roster.accounts.models import Role
from roster.importing.headers import ROLE
from roster.importing.intake import Decision, columns_for, decide, needs_role
from roster.importing.sources import ReadResult, Row, Table

PEOPLE = ("First Name", "Last Name", "Email")


def _table(name: str, header: tuple[str, ...] = PEOPLE) -> Table:
    return Table(name, header, 1, iter([Row(2, ("a",) * len(header))]))


def _book(*tables: Table, hidden: tuple[str, ...] = (), file: str = "export.xlsx") -> ReadResult:
    return ReadResult(file=file, tables=list(tables), skipped_sheets=list(hidden))


def _roles(decisions: tuple[Decision, ...]) -> list[tuple[str, Role | None]]:
    return [(found.sheet, found.role) for found in decisions]


def test_tabs_without_people_are_left_out_with_a_note() -> None:
    result = _book(
        _table("Instructions", ("Add Multiple Users",)),
        _table("Notes", ("Notes", "Date")),
        _table("Students"),
        hidden=("Old parents",),
    )
    intake = decide(result, None)
    assert _roles(intake.tables) == [("Students", Role.STUDENT)]
    assert intake.notes == (
        "Tab “Old parents” in export.xlsx is hidden and was left out.",
        "Tab “Instructions” in export.xlsx was left out: no column holds names, emails"
        " or usernames, so it lists no people.",
        "Tab “Notes” in export.xlsx was left out: no column holds names, emails or"
        " usernames, so it lists no people.",
    )


def test_a_given_role_never_makes_a_notes_tab_a_table_of_people() -> None:
    result = _book(_table("Instructions", ("Add Multiple Users",)), _table("Student"))
    assert _roles(decide(result, Role.PARENT).tables) == [("Student", Role.STUDENT)]


def test_a_single_table_is_imported_even_without_person_columns() -> None:
    # The admin gave this file: its missing columns are flagged, not skipped quietly.
    result = ReadResult(file="kids.csv", tables=[_table("kids", ("Shoe Size",))])
    assert _roles(decide(result, Role.STUDENT).tables) == [("Student", Role.STUDENT)]


@pytest.mark.parametrize(
    ("file", "given", "role"),
    [
        ("parents.csv", Role.STUDENT, Role.STUDENT),  # the admin's word first
        ("parents.csv", None, Role.PARENT),  # then the file's name
        ("people.csv", None, None),  # then the headers: these say nothing
    ],
)
def test_a_single_table_takes_the_given_role_then_a_guess(
    file: str, given: Role | None, role: Role | None
) -> None:
    found = decide(ReadResult(file=file, tables=[_table(file[:-4])]), given).tables[0]
    assert (found.role, found.single) == (role, True)
    assert found.sheet == (role.label if role else "")
    assert (found.unclear is None) == (role is not None)
    assert "--role" in (found.unclear or "--role")


def test_a_tab_takes_its_name_first_and_the_given_role_only_when_alone() -> None:
    alone = decide(_book(_table("Sheet1"), _table("Notes", ("Notes",))), Role.PARENT)
    assert _roles(alone.tables) == [("Sheet1", Role.PARENT)]
    two = decide(_book(_table("Teachers"), _table("Sheet2")), Role.PARENT)
    assert _roles(two.tables) == [("Teachers", Role.INSTRUCTOR), ("Sheet2", None)]
    unclear = two.tables[1].unclear or ""
    assert unclear.startswith("tab “Sheet2”: ") and "--role" not in unclear


def test_a_role_column_routes_rows_and_the_given_role_fills_blank_cells() -> None:
    header = ("role", "givenName", "familyName", "email", "username")
    found = decide(ReadResult(file="users.csv", tables=[_table("users", header)]), None).tables[0]
    assert (found.role, found.sheet, found.unclear) == (None, "users", None)
    assert found.columns.fields[0] == ROLE
    assert not needs_role(found.columns, None)
    pasted = decide(ReadResult(file=None, tables=[_table("", header)]), Role.PARENT).tables[0]
    assert (pasted.role, pasted.sheet) == (Role.PARENT, "Pasted text")
    # Every role's fields: a parent row's table still reads the students' usernames.
    assert pasted.columns.fields[4] == "username"


def test_columns_for_maps_a_role_column_table_for_every_role() -> None:
    header = ("role", "First Name", "Last Name", "Email", "Username")
    assert columns_for(header, Role.PARENT).fields[4] == "username"
    assert columns_for(header[1:], Role.PARENT).fields[3] is None
    assert needs_role(columns_for(header[1:], None), None)
