"""Readers: bytes or pasted text in, tables of cell text out (the first stage of an import)."""

from roster.importing.sources import isolated
from roster.importing.sources.limits import DEFAULT_LIMITS, Limits
from roster.importing.sources.read import read_file, read_text
from roster.importing.sources.table import ReadError, ReadErrorCode, ReadResult, Row, Table
from roster.importing.sources.zipped import Given, read_given

__all__ = [
    "DEFAULT_LIMITS",
    "Given",
    "Limits",
    "ReadError",
    "ReadErrorCode",
    "ReadResult",
    "Row",
    "Table",
    "isolated",
    "read_file",
    "read_given",
    "read_text",
]
