"""The two doors into the readers: a file (upload or path) and pasted text."""

import io
import os
import unicodedata
from pathlib import PurePath
from typing import BinaryIO

from roster.importing.sources.archive import ZipKind, archive_kind, check_archive
from roster.importing.sources.delimited import read_delimited
from roster.importing.sources.encoding import check_pasted_text, detect_encoding
from roster.importing.sources.isolated import read_isolated
from roster.importing.sources.limits import DEFAULT_LIMITS, Limits, too_large
from roster.importing.sources.sniff import Kind, sniff
from roster.importing.sources.source import Opened, open_source
from roster.importing.sources.table import ReadError, ReadErrorCode, ReadResult, Table
from roster.importing.sources.tabulate import peek_rows
from roster.importing.sources.text import text_lines
from roster.importing.sources.workbook import read_workbook
from roster.importing.sources.xls_extent import check_xls


def read_file(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    file_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ReadResult:
    """Read a workbook or a delimited text file into tables of cell text.

    The kind of file is decided from its content, never from its name alone. Raises
    ReadError (with a code and one sentence for the admin) for anything unreadable.
    Tables stream their rows; iterating them may still raise ReadError (a row limit
    reached, a cell too long).
    """
    opened = open_source(source, file_name, limits)
    try:
        kind = sniff(opened.file)
        if kind is Kind.TEXT:
            # The lines own the file from here on and release it when they end.
            lines = text_lines(opened, detect_encoding(opened.file, limits))
            stem = PurePath(opened.name).stem if opened.name else ""
            return ReadResult(file=opened.name, tables=_only(read_delimited(lines, stem, limits)))
        zip_kind = archive_kind(opened.file) if kind is Kind.ZIP else None
        check = zip_kind.value if zip_kind is not None else "xls" if kind is Kind.XLS else None
        # Parsed in a child process (isolated.py) while another checks the extents: a
        # file they refuse is refused with their sentence, and its parser killed.
        result = read_isolated(opened, limits, is_ods=zip_kind is ZipKind.ODS, check=check)
    except BaseException:
        if opened.owned:
            opened.file.close()
        raise
    if opened.owned:
        opened.file.close()
    return result


def check_workbook(file: BinaryIO, check: str, limits: Limits) -> None:
    """The extent checks `check` names ("xlsx", "ods", "xls"): only called in a child process.

    Raises ReadError when the workbook is beyond the limits or unsafe to parse.
    """
    if check == "xls":
        check_xls(file, limits)
    else:
        check_archive(file, ZipKind(check), limits)


def read_opened_workbook(opened: Opened, limits: Limits, *, is_ods: bool) -> ReadResult:
    """A checked workbook parsed in this process: only ever called in the child process."""
    tables, skipped = read_workbook(opened, limits, is_ods=is_ods)
    return ReadResult(file=opened.name, tables=_with_rows(tables), skipped_sheets=skipped)


def read_text(text: str, *, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read pasted text: comma-separated as typed or tab-separated as copied, detected."""
    if len(text) > limits.max_bytes:
        raise too_large(limits)
    check_pasted_text(text)
    table = read_delimited(io.StringIO(unicodedata.normalize("NFC", text), newline=""), "", limits)
    return ReadResult(file=None, tables=_only(table))


def _only(table: Table | None) -> list[Table]:
    return _with_rows([table] if table is not None else [])


def _with_rows(tables: list[Table]) -> list[Table]:
    """Tables that hold rows; header-only tabs are left out, and nothing at all is an error."""
    if not tables:
        raise ReadError(ReadErrorCode.EMPTY, "The file has no data: every row is empty.")
    kept = [table for table in tables if peek_rows(table)]
    if not kept:
        raise ReadError(
            ReadErrorCode.ONLY_HEADER,
            "The file has a header row but no rows of people below it.",
        )
    return kept
