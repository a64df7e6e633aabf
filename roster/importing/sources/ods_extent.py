"""An .ods sheet's extent with its repeated rows and cells counted, as calamine expands them."""

from collections.abc import Callable
from typing import IO

from roster.importing.sources.extent import Bounds, is_number, number, parse_elements
from roster.importing.sources.limits import Limits


class _OdsTables:
    """Every .ods table's cells with content, rows and columns repeated as calamine expands them."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.new_table()

    def new_table(self) -> None:
        self.bounds = Bounds()
        self.row = (0, -1)  # the rows the current row element stands for
        self.next_row = 0
        self.column = 0
        self.pending: tuple[int, int] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "table:table-cell" or name == "table:covered-table-cell":
            repeated = _count(attrs.get("table:number-columns-repeated"))
            columns = (self.column, self.column + repeated - 1)
            self.column += repeated
            self.pending = None
            if "office:value-type" in attrs or "table:formula" in attrs:
                self.bounds.add(self.row, columns)
            else:
                self.pending = columns
        elif name == "text:p":
            if self.pending is not None:
                self.bounds.add(self.row, self.pending)
                self.pending = None
        elif name == "table:table-row":
            repeated = _count(attrs.get("table:number-rows-repeated"))
            self.row = (self.next_row, self.next_row + repeated - 1)
            self.next_row += repeated
            self.column = 0
            self.pending = None
        elif name == "table:table":
            self.bounds.check(self.limits)
            self.new_table()


def _count(text: str | None) -> int:
    if text is None:
        return 1
    return number(text) if is_number(text) else 1 << 40


def check_ods_content(open_member: Callable[[], IO[bytes]], limits: Limits) -> None:
    """Refuse an .ods whose rows or cells, once their repeats are expanded, exceed the limits."""
    tables = _OdsTables(limits)
    with open_member() as member:
        parse_elements(member, tables.start)
    tables.bounds.check(limits)
