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
from roster.importing.sources.table import ReadError, ReadErrorCode, Row, Table

# Widens the header cells (a merged header cell names every column it covers).
HeaderFill = Callable[[int, list[str]], list[str]]
# The source's raw rows read again from the start (a big sheet parsed again, later).
Reread = Callable[[], Iterable[RawRow]]


def build_table(
    name: str,
    raw: Iterable[RawRow],
    limits: Limits,
    fill: HeaderFill | None = None,
    reread: Reread | None = None,
) -> Table | None:
    """The table of `raw`, or None when it holds no cell at all.

    A table with a header and no rows comes back with empty `rows`; `peek_rows` tells.
    With `reread`, `raw` is left once the header and the first row are found, and the
    other rows come from reread() when they are wanted: the caller can let go of a big
    sheet until then.
    """
    rows = iter(raw)
    found = find_header(_non_blank(rows, limits))
    if found is None:
        return None
    (header_number, header_cells, _), read_after_header = found
    as_read = list(header_cells)
    if fill is not None:
        header_cells = fill(header_number, header_cells)
    header = header_names(header_cells)
    if max(map(len, header)) > limits.max_cell_chars:
        raise cell_too_long(header_number, limits)
    after_header: Iterator[RawRow] = chain(read_after_header, rows)
    if reread is not None:
        after_header = _then_reread(after_header, reread, header_number, as_read, limits)
    return Table(
        name=name,
        header=header,
        header_row=header_number,
        rows=_shaped(after_header, len(header), limits),
    )


def _then_reread(
    rows: Iterator[RawRow], reread: Reread, header_number: int, header: list[str], limits: Limits
) -> Iterator[RawRow]:
    """The first row after the header from `rows`, then the rows after it from reread()."""
    first = next(_non_blank(rows, limits), None)
    if first is None:
        return iter(())
    return chain((first,), _rows_after(reread, first[0], header_number, header))


def _rows_after(
    reread: Reread, after: int, header_number: int, header: list[str]
) -> Iterator[RawRow]:
    # A generator: nothing is read again until the row after `first` is wanted.
    for row in reread():
        number, cells, _ = row
        if number == header_number and cells[: len(header)] != header:
            raise ReadError(
                ReadErrorCode.CORRUPT,
                "The file changed while it was being read; upload it again.",
            )
        if number > after:
            yield row


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
