"""How much a reader accepts before it refuses a file, and the sentences it refuses with."""

from dataclasses import dataclass

from roster.importing.sources.table import ReadError, ReadErrorCode


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    max_bytes: int = 256 * 1024 * 1024  # the upload itself; a 1,000,000-row CSV is ~130 MB
    # What a workbook may unpack to. A 1,000,000-row .xlsx unpacks to ~400 MB of XML;
    # a zip bomb unpacks to far more.
    max_unpacked_bytes: int = 2 * 1024 * 1024 * 1024
    max_rows: int = 1_048_576  # Excel's own sheet height, so any real sheet fits
    max_columns: int = 1_000
    # A safety cap, not a rule about values: Excel's own cells hold at most 32,767
    # characters, and each field has its own limit, checked row by row in validation.
    max_cell_chars: int = 1_048_576
    # A workbook sheet is parsed as one rectangle of rows x columns (~100 bytes a cell
    # with its text); 1,000,000 rows of 20 columns is ~2 GB.
    max_cells: int = 20_000_000
    # The address space a workbook's parser may use (isolated.py): a 1,000,000-row .xlsx
    # peaks near 1 GB; a hostile file asking for hundreds of GB ends its child process.
    max_parse_bytes: int = 4 * 1024 * 1024 * 1024


DEFAULT_LIMITS = Limits()


def too_large(limits: Limits) -> ReadError:
    return ReadError(
        ReadErrorCode.TOO_LARGE,
        f"The file is larger than {_mb(limits.max_bytes)}; split it into smaller files.",
    )


def too_many_rows(limits: Limits) -> ReadError:
    return ReadError(
        ReadErrorCode.TOO_MANY_ROWS,
        f"The file has more than {limits.max_rows:,} rows; split it into smaller files.",
    )


def check_columns(count: int, row: int, limits: Limits) -> None:
    if count > limits.max_columns:
        raise ReadError(
            ReadErrorCode.TOO_MANY_COLUMNS,
            f"Row {row} has {count:,} columns, more than the {limits.max_columns:,} allowed.",
        )


def cell_too_long(row: int, limits: Limits) -> ReadError:
    return ReadError(
        ReadErrorCode.CELL_TOO_LONG,
        f"Row {row} has a cell longer than {limits.max_cell_chars:,} characters, far longer"
        " than any real cell.",
    )


def line_too_long(size: int) -> ReadError:
    return ReadError(
        ReadErrorCode.CELL_TOO_LONG,
        f"The file has a line of more than {_mb(size)} with no line break, far longer than"
        " any row of people.",
    )


def unclosed_quote(row: int, limits: Limits | None = None) -> ReadError:
    """A quoted cell that runs to the end of the file, or past the cap on a cell's length."""
    where = f"within {limits.max_cell_chars:,} characters" if limits else "before the file ends"
    return ReadError(
        ReadErrorCode.UNCLOSED_QUOTE,
        f"Row {row} opens a quotation mark that is not closed {where}; close it or remove it"
        " and upload the file again.",
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"
