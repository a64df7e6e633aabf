"""CSV, TSV and pasted text: delimiter detection and records numbered as a spreadsheet shows them.

Parsing is the stdlib csv module (C, streaming, handles quotes, doubled quotes and line
breaks inside quotes, LF/CRLF/CR). What it lacks is added here: which delimiter, which
row is the header, and record numbers counted the way Excel numbers the rows.
"""

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from roster.importing.sources.encoding import check_text
from roster.importing.sources.header import RawRow
from roster.importing.sources.limits import Limits, cell_too_long
from roster.importing.sources.table import ReadError, ReadErrorCode, Table
from roster.importing.sources.tabulate import build_table

DELIMITERS = (",", "\t", ";", "|")  # in order of preference when the evidence is equal
SAMPLE_LINES = 200
SEPARATOR_HINT = re.compile(r"\ufeff?sep=(.)\r?\n?\Z")


def read_delimited(text: Iterable[str], name: str, limits: Limits) -> Table | None:
    """The one table of delimited `text` (NFC lines), or None when it holds no cell at all."""
    lines = iter(text)
    sample = list(islice(lines, SAMPLE_LINES))
    check_text("".join(sample)[:65536])
    hint = SEPARATOR_HINT.match(sample[0]) if sample else None
    if hint:
        # Excel's "sep=;" line chooses the delimiter and is not shown as a row, so it
        # is not counted either.
        sample = sample[1:]
    delimiter = hint.group(1) if hint else detect_delimiter(sample)
    # The csv module refuses fields over a process-wide size; raise it (never lower it,
    # another reader may rely on it) so our own limit is the one that speaks.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_cell_chars + 1))
    reader = csv.reader(chain(sample, lines), delimiter=delimiter, quotechar='"', strict=False)
    return build_table(name, _records(reader, limits), limits)


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most records into the same number of cells.

    Cells may hold the other delimiters ("Smith, John" in a semicolon file), but only
    the real one splits record after record into a consistent width.
    """
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(width for width in _widths(lines, delimiter) if width > 1).most_common(1)
        if widths:
            width, records = widths[0]
            if (records, width) > best_score:
                best, best_score = delimiter, (records, width)
    return best


def _widths(lines: list[str], delimiter: str) -> Iterator[int]:
    try:
        for record in csv.reader(lines, delimiter=delimiter, strict=False):
            yield len(record)
    except csv.Error:
        return


def _records(reader: Iterable[list[str]], limits: Limits) -> Iterator[RawRow]:
    """Records numbered from 1 as a spreadsheet shows the file (blank lines included)."""
    number = 0
    try:
        for number, record in enumerate(reader, 1):  # noqa: B007
            yield number, record, None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise cell_too_long(number + 1, limits) from None
        raise ReadError(
            ReadErrorCode.CORRUPT, f"Row {number + 1} of the file cannot be read as text."
        ) from None
