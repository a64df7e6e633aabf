"""Which character separates the columns of a delimited text, judged from its first records.

The real delimiter splits record after record into the same number of cells; others may
appear inside cells ("Lee, Ann" in a semicolon file, "09:30" or "https://…" in a comma
file) but split fewer records, or fewer consistently. Comma, tab, semicolon and pipe are
preferred, in that order, when the evidence is equal; colon, caret and tilde win only
with more evidence (a colon in every row's time must not outvote the commas).
"""

import csv
import string
from collections import Counter
from collections.abc import Iterator

from roster.importing.sources.table import ReadError, ReadErrorCode

DELIMITERS = (",", "\t", ";", "|", ":", "^", "~")  # in order of preference
NAMES = {
    ",": "comma",
    "\t": "tab",
    ";": "semicolon",
    "|": "pipe",
    ":": "colon",
    "^": "caret",
    "~": "tilde",
}
# Characters that are never taken for a separator Roster does not read: they belong in
# emails, names, phones and dates.
IN_VALUES = frozenset("@.-_'\"()+&")


def detect_delimiter(lines: list[str]) -> str:
    """The delimiter of `lines` (the first lines of the text).

    A text that no delimiter splits is one column. Raises ReadError (`unclear_delimiter`)
    when the best delimiter splits neither the first record nor half of the records, or
    when nothing splits the records but another character separates them all alike.
    """
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(width for width in _widths(lines, delimiter) if width > 1).most_common(1)
        if widths:
            width, count = widths[0]
            if (count, width) > best_score:
                best, best_score = delimiter, (count, width)
    if best_score == (0, 0):
        _refuse_unknown_separator(lines)
        return best
    split = [len(record) > 1 for record in _records(lines, best) if _holds_text(record)]
    if split and not split[0] and sum(split) * 2 < len(split):
        raise _unclear()
    return best


def _records(lines: list[str], delimiter: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(lines, delimiter=delimiter, strict=False)
    except csv.Error:
        return


def _widths(lines: list[str], delimiter: str) -> Iterator[int]:
    # Lines of only delimiters count too: ";;" lines are a semicolon file's blank rows.
    return (len(record) for record in _records(lines, delimiter))


def _holds_text(record: list[str]) -> bool:
    return any(cell.strip() for cell in record)


def _refuse_unknown_separator(lines: list[str]) -> None:
    """Refuse a one-column text whose every line splits alike at a character we don't read."""
    rows = [line.strip() for line in lines if line.strip()]
    if len(rows) < 2:
        return
    for char in set(rows[0]) & set(string.punctuation) - IN_VALUES - set(DELIMITERS):
        times = rows[0].count(char)
        if sum(row.count(char) == times for row in rows) * 5 >= len(rows) * 4:
            raise ReadError(
                ReadErrorCode.UNCLEAR_DELIMITER,
                f'The columns seem to be separated by "{char}", which is not a separator'
                " Roster reads; save the file as CSV (comma-separated) and upload that.",
            )


def _unclear() -> ReadError:
    names = ", ".join(NAMES[delimiter] for delimiter in DELIMITERS[:-1])
    return ReadError(
        ReadErrorCode.UNCLEAR_DELIMITER,
        f"No separator ({names} or {NAMES[DELIMITERS[-1]]}) splits the rows into the same"
        " columns; save the file as CSV (comma-separated) and upload that.",
    )
