"""CSV, TSV and pasted text: delimiter detection and records numbered as a spreadsheet shows them.

Parsing is the stdlib csv module (C, streaming, handles quotes, doubled quotes and line
breaks inside quotes, LF/CRLF/CR). What it lacks is added here: which delimiter
(`separators.py`), which row is the header, a quotation mark that is never closed, and
record numbers counted the way Excel numbers the rows.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from roster.importing.sources.header import RawRow
from roster.importing.sources.limits import Limits, cell_too_long, unclosed_quote
from roster.importing.sources.separators import detect_delimiter
from roster.importing.sources.table import ReadError, ReadErrorCode, Table
from roster.importing.sources.tabulate import build_table

SAMPLE_LINES = 200
SEPARATOR_HINT = re.compile(r"\ufeff?sep=(.)\r?\n?\Z")


def read_delimited(text: Iterable[str], name: str, limits: Limits) -> Table | None:
    """The one table of delimited `text` (NFC lines), or None when it holds no cell at all."""
    lines = iter(text)
    sample = list(islice(lines, SAMPLE_LINES))
    hint = SEPARATOR_HINT.match(sample[0]) if sample else None
    if hint:
        # Excel's "sep=;" line chooses the delimiter and is not shown as a row, so it
        # is not counted either.
        sample = sample[1:]
    delimiter = hint.group(1) if hint else detect_delimiter(sample)
    # The csv module refuses fields over a process-wide size; raise it (never lower it,
    # another reader may rely on it) so our own limit is the one that speaks.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_cell_chars + 1))
    source = _Lines(chain(sample, lines))
    reader = csv.reader(source, delimiter=delimiter, quotechar='"', strict=False)
    return build_table(name, _records(reader, source, limits), limits)


class _Lines:
    """The lines handed to the csv reader, noting when they run out.

    The reader asks for a line after a record's last line only while a quoted cell is
    still open: a record read when the lines have run out ends in a quotation mark that
    was never closed (the csv module would silently make the rest of the file one cell).
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.ended = False

    def __iter__(self) -> Iterator[str]:
        yield from self.lines
        self.ended = True


def _records(reader: Iterator[list[str]], source: _Lines, limits: Limits) -> Iterator[RawRow]:
    """Records numbered from 1 as a spreadsheet shows the file (blank lines included)."""
    number = 0
    line = 0  # the physical line the last record ended on
    try:
        for number, record in enumerate(reader, 1):  # noqa: B007
            if source.ended:
                raise unclosed_quote(number)
            spanned, line = reader.line_num - line, reader.line_num  # type: ignore[attr-defined]
            # Only a quoted cell spans lines; one over the cap is a quote left open.
            if spanned > 1 and max(map(len, record)) > limits.max_cell_chars:
                raise unclosed_quote(number, limits)
            yield number, record, None
    except csv.Error as error:
        if "field larger than field limit" not in str(error):
            raise ReadError(
                ReadErrorCode.CORRUPT, f"Row {number + 1} of the file cannot be read as text."
            ) from None
        if reader.line_num - line > 1:  # type: ignore[attr-defined]
            raise unclosed_quote(number + 1, limits) from None
        raise cell_too_long(number + 1, limits) from None
