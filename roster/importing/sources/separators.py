"""Which character separates the columns of a delimited text, judged from its first records.

The real delimiter splits record after record into the same number of cells; others may
appear inside cells ("Lee, Ann" in a colon file, "09:30" or "https://…" in every row of
a comma file) but split a smaller share of the records alike: the header holds none.
On equal evidence comma, tab, semicolon, pipe, colon, caret and tilde are preferred in
that order.
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
    when the best delimiter splits neither the first record nor half of the records from
    the first one it splits on, or when nothing splits the records but another character
    separates them all alike.
    """
    best, best_score = ",", (0.0, 0, False, 0)
    for delimiter in DELIMITERS:
        score = _score(list(_records(lines, delimiter)))
        if score > best_score:
            best, best_score = delimiter, score
    if best_score[1] == 0:
        _refuse_unknown_separator(lines)
        return best
    split = [len(record) > 1 for record in _records(lines, best) if _holds_text(record)]
    if split and not split[0] and any(split):
        # Titles above a header are not split, nor are the rows of a one-column list;
        # from the first split record on, a table's records are mostly split.
        from_first = split[split.index(True) :]
        if sum(from_first) * 2 < len(from_first):
            raise _unclear()
    return best


def _score(records: list[list[str]]) -> tuple[float, int, bool, int]:
    """The share of records that have the commonest width above 1, how many they are,
    whether the first record holding text (the header, unless titles sit above it) has
    that width too, and the width.

    A share rather than a count: a quoted cell with line breaks is one record to the
    real delimiter but several to another one, which would otherwise gain the records
    it breaks. Lines of only delimiters count: ";;" lines are a semicolon file's blank
    rows.
    """
    widths = Counter(len(record) for record in records if len(record) > 1).most_common(1)
    if not widths:
        return 0.0, 0, False, 0
    width, count = widths[0]
    total = sum(1 for record in records if len(record) > 1 or _holds_text(record))
    first = next((len(record) for record in records if _holds_text(record)), 0)
    return count / total, count, first == width, width


def _records(lines: list[str], delimiter: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(lines, delimiter=delimiter, strict=False)
    except csv.Error:
        return


def _holds_text(record: list[str]) -> bool:
    return any(cell.strip() for cell in record)


def _refuse_unknown_separator(lines: list[str]) -> None:
    """Refuse a one-column text whose every line splits alike at a character we don't read."""
    rows = [line.strip() for line in lines if line.strip()]
    if len(rows) < 2:
        return
    candidates = set(rows[0]) & (set(string.punctuation) - IN_VALUES - set(DELIMITERS))
    for char in sorted(candidates):
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
