"""From raw numbered rows to a Table: drop blank rows, find the header, shape each row."""

from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from roster.importing.sources.header import RawRow, find_header, header_names
from roster.importing.sources.limits import (
    Limits,
    cell_too_long,
    check_columns,
    too_many_rows,
)
from roster.importing.sources.table import Row, Table

# Widens the header cells (a merged header cell names every column it covers).
HeaderFill = Callable[[int, list[str]], list[str]]


def build_table(
    name: str, raw: Iterable[RawRow], limits: Limits, fill: HeaderFill | None = None
) -> Table | None:
    """The table of `raw`, or None when it holds no cell at all.

    A table with a header and no rows comes back with empty `rows`; `peek_rows` tells.
    """
    rows = iter(raw)
    found = find_header(_non_blank(rows, limits))
    if found is None:
        return None
    (header_number, header_cells, _), read_after_header = found
    if fill is not None:
        header_cells = fill(header_number, header_cells)
    header = header_names(header_cells)
    if max(map(len, header)) > limits.max_cell_chars:
        raise cell_too_long(header_number, limits)
    return Table(
        name=name,
        header=header,
        header_row=header_number,
        rows=_shaped(chain(read_after_header, rows), len(header), limits),
    )


def peek_rows(table: Table) -> bool:
    """Whether the table has at least one row; the table keeps all its rows."""
    first = next(table.rows, None)
    if first is None:
        return False
    table.rows = chain((first,), table.rows)
    return True


def _non_blank(raw: Iterable[RawRow], limits: Limits) -> Iterator[RawRow]:
    """Rows with trailing blank cells removed; rows of only blanks are not rows at all."""
    for number, cells, lossy in raw:
        while cells and (not cells[-1] or cells[-1].isspace()):
            cells.pop()
        if cells:
            check_columns(len(cells), number, limits)
            yield number, cells, lossy


def _shaped(rows: Iterator[RawRow], width: int, limits: Limits) -> Iterator[Row]:
    """Rows after the header, shaped; blank rows are skipped here too (one pass, for speed)."""
    max_chars, max_columns = limits.max_cell_chars, limits.max_columns
    count = 0
    for number, cells, lossy in rows:
        while cells and (not cells[-1] or cells[-1].isspace()):
            cells.pop()
        if not cells:
            continue
        if len(cells) > max_columns:
            check_columns(len(cells), number, limits)
        count += 1
        if count > limits.max_rows:
            raise too_many_rows(limits)
        if max(map(len, cells)) > max_chars:
            raise cell_too_long(number, limits)
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        yield Row(number, tuple(cells), lossy) if lossy else Row(number, tuple(cells))
