"""The row checks' memory of clean cells (cells.py, rowcheck.py) against no memory at all.

Rows are drawn from a small pool of cell texts, so the same text comes back in the same
and in other columns, clean or not: names with controls, formulas, blanks, splits;
phones good, bad, national and lossy; link cells with several values, bad ones, repeats
across columns. Each row checked with the import's one CellChecker must get exactly what
a fresh CellChecker gives it: the same flags in the same order, values and person.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roster.accounts.models import Role
from roster.importing.cells import CellChecker
from roster.importing.columns import Columns
from roster.importing.headers import map_headers
from roster.importing.rowcheck import RowCheck, check_row
from roster.importing.sources import Row

HEADER = (
    "First Name",
    "Last Name",
    "Full Name",
    "Email",
    "Username",
    "Phone",
    "Parent Email",
    "Parent Email 2",
    "Instructor Email",
    "Student",
)
NAMES = ["Ann", " Ann ", "Ann\x07", "=Ann", "", "   ", "\u200b", "José", "Ng", "A" * 200, "Ann Ng"]
PHONES = ["(415) 555-0100", "4155550100", "+44 20 7946 0958", "555", "+1 (415) 555-01", "", "=1"]
EMAILS = ["ann@example.com", "ANN@Example.com", "bad@", "", "a@b.c", "x@example.org"]
LINKS = [
    "p@example.com",
    "p@example.com; q@example.com",
    "p@example.com,p@example.com",
    "bad@, p@example.com",
    "q@example.com\x1b",
    "=p@example.com",
    "",
    "ann.ng",
    "12345",
]
CELLS = {
    "First Name": NAMES,
    "Last Name": NAMES,
    "Full Name": ["", "", "Ann Ng", "Cher", "=Ann Ng", "Ann  Marie Ng"],
    "Email": EMAILS,
    "Username": ["", "ann.ng", "a", "12345", "=x"],
    "Phone": PHONES,
    "Parent Email": LINKS,
    "Parent Email 2": LINKS,
    "Instructor Email": LINKS,
    "Student": LINKS,
}


@st.composite
def rows(draw: st.DrawFn) -> tuple[Role, Row]:
    role = draw(st.sampled_from([Role.STUDENT, Role.PARENT, Role.INSTRUCTOR]))
    cells = tuple(draw(st.sampled_from(CELLS[name])) for name in HEADER)
    lossy = draw(st.sets(st.sampled_from([4, 5, 9]), max_size=2))
    return role, Row(2, cells, frozenset(lossy))


def _checked(cells: CellChecker, columns: Columns, role: Role, row: Row) -> tuple[object, ...]:
    check = RowCheck(row, role, columns, cells)
    person = check_row(check)
    return tuple(check.flags), dict(check.values), person


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=40))
def test_a_remembered_cell_gets_what_a_fresh_check_gives(drawn: list[tuple[Role, Row]]) -> None:
    shared = CellChecker("US")
    for role, row in drawn:
        columns = Columns.of(map_headers(HEADER, role))
        assert _checked(shared, columns, role, row) == _checked(
            CellChecker("US"), columns, role, row
        )


def test_the_memory_is_bounded() -> None:
    cells = CellChecker("US", memory=15)
    columns = Columns.of(map_headers(HEADER, Role.PARENT))
    for number in range(10):
        row = Row(2, (f"Ann{number}", "Ng", "", "", "", "", "", "", "", ""))
        _checked(cells, columns, Role.PARENT, row)
    assert len(cells.clean["first_name"]) == 3  # a fifth of the field checks' memory
    assert len(cells.clean["last_name"]) == 1
