"""How far a workbook's cells reach, as calamine would allocate them: what the formats share.

calamine allocates a sheet as one rectangle from its first to its last cell, so a
5 KB file with a value in A1 and one in XFD1048576 asks for 500 GB and aborts the
process (a Rust allocation failure cannot be caught). The same holds for a declared
count it reserves room for (the shared strings' uniqueCount) and for an .ods row or
cell repeated a million times. So every part calamine could read as a sheet is read
here (xlsx_extent.py, ods_extent.py with expat as a stream; xls_extent.py from its
records), placing each cell the way calamine does, and a sheet reaching beyond the
limits is refused. calamine parses meanwhile in its child process (isolated.py), which
such a file may end; the refusal here is the answer either way. This module holds the
rectangle and its limits, and the streaming parser.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from roster.importing.sources.limits import Limits
from roster.importing.sources.table import ReadError, ReadErrorCode

CHUNK = 1024 * 1024

# A sheet whose rectangle is mostly empty costs calamine (and the rows read from it) the
# whole rectangle: a value typed far below a short list makes millions of empty cells.
SPARSE_FROM = 1_000_000  # cells in the rectangle, below which emptiness costs little
SPARSE_RATIO = 100  # rectangle cells per cell that holds something


@dataclass(slots=True)
class Bounds:
    """The rectangle of cells that hold something (0-based, inclusive); empty if first > last.

    `count` is how many cells hold something (-1 for a rectangle a file declares).
    """

    first_row: int = 1 << 62
    last_row: int = -1
    first_column: int = 1 << 62
    last_column: int = -1
    count: int = 0

    def add(self, rows: tuple[int, int], columns: tuple[int, int], count: int = 0) -> None:
        """Widen to these rows and columns, holding `count` cells (all of them if 0)."""
        self.first_row = min(self.first_row, rows[0])
        self.last_row = max(self.last_row, rows[1])
        self.first_column = min(self.first_column, columns[0])
        self.last_column = max(self.last_column, columns[1])
        if self.count >= 0:
            self.count += count or (rows[1] - rows[0] + 1) * (columns[1] - columns[0] + 1)

    def check(self, limits: Limits) -> None:
        if self.last_row < 0:
            return
        rows = self.last_row - self.first_row + 1
        columns = self.last_column - self.first_column + 1
        if columns > limits.max_columns:
            raise ReadError(
                ReadErrorCode.TOO_MANY_COLUMNS,
                f"A sheet's cells reach column {column_name(self.last_column)}, beyond the"
                f" {limits.max_columns:,} columns allowed; delete what is there and save again.",
            )
        area = rows * columns
        sparse = self.count >= 0 and area > SPARSE_FROM and area > SPARSE_RATIO * self.count
        # One row more than the limit: the header row is not one of the people.
        if rows > limits.max_rows + 1 or area > limits.max_cells or sparse:
            raise ReadError(
                ReadErrorCode.TOO_MANY_ROWS,
                f"A sheet's cells reach row {self.last_row + 1:,} and {columns:,} columns, more"
                " than Roster reads at once; split it or delete cells far below the table.",
            )


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def number(digits: str) -> int:
    """The number, or a far-too-large one (calamine's 32-bit arithmetic wraps beyond)."""
    return int(digits) if len(digits) < 13 else 1 << 40


class Done(Exception):
    """Raised from inside the parser once it has seen what it needed."""


def parse_elements(member: IO[bytes], start: Callable[[str, dict[str, str]], None]) -> None:
    """Stream `member` through expat with `start` called for each element start."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parse_stream(member, parser)


def parse_stream(
    member: IO[bytes],
    parser: expat.XMLParserType,
    each_chunk: Callable[[bytes], None] | None = None,
) -> None:
    """Stream `member` through `parser`, giving each chunk to `each_chunk` first.

    Entity declarations are refused (archive.py refused them already in the usual
    places; this parser is the one that matters here). A part expat cannot parse is
    damaged: Excel refuses it too.
    """
    parser.EntityDeclHandler = _refuse_entities
    parser.StartDoctypeDeclHandler = _refuse_entities
    try:
        while chunk := member.read(CHUNK):
            if each_chunk is not None:
                each_chunk(chunk)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Done:
        pass
    except expat.ExpatError:
        raise ReadError(
            ReadErrorCode.CORRUPT,
            "The file looks like a workbook but is damaged; open it in your spreadsheet"
            " program and save it again.",
        ) from None


def _refuse_entities(*_: object) -> None:
    raise ReadError(
        ReadErrorCode.UNSAFE,
        "The workbook contains XML entity definitions, which spreadsheets never need;"
        " it was refused as unsafe.",
    )
