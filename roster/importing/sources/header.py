"""Finding the header row when titles, notes, `version:v1.0` lines or blank rows sit above it."""

import re
from collections.abc import Iterator
from itertools import islice
from statistics import median_low

from roster.importing.sources.table import ReadError, ReadErrorCode

# (row number, cell texts without trailing blanks, indexes of lossy cells or None)
RawRow = tuple[int, list[str], frozenset[int] | None]

# Titles and notes sit in the first few rows; a header below row 20 is not one we guess.
LOOKAHEAD = 20
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def find_header(rows: Iterator[RawRow]) -> tuple[RawRow, list[RawRow]] | None:
    """The header among the first non-blank rows, and the rows read after it (None if no rows).

    Only the first LOOKAHEAD rows are read; the caller goes on from where `rows` stopped.

    The header is the first row at least half as wide as the typical (median) row among
    the first rows: a title or a note fills one or two cells, a header names most columns.
    """
    first = list(islice(rows, LOOKAHEAD))
    if not first:
        return None
    widths = [sum(1 for cell in cells if cell.strip()) for _, cells, _ in first]
    typical = median_low(widths)
    wanted = 1 if max(widths) == 1 else max(2, (typical + 1) // 2)
    index = next(i for i, width in enumerate(widths) if width >= wanted)
    header = first[index]
    if any(EMAIL.match(cell.strip()) for cell in header[1]):
        raise ReadError(
            ReadErrorCode.NO_HEADER,
            f"Row {header[0]} holds values such as email addresses where column names were"
            " expected; add a header row (First Name, Last Name, Email, …) above the data.",
        )
    return header, first[index + 1 :]


def header_names(cells: list[str]) -> tuple[str, ...]:
    # A BOM that survived decoding (a UTF-8 BOM inside a UTF-16 file, a paste) would
    # otherwise glue itself to the first column's name.
    return tuple(cell.replace("\ufeff", "").strip() for cell in cells)
