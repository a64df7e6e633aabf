"""Checking a zipped workbook (.xlsx, .ods) before any parser touches it.

A zip bomb is a few kilobytes that unpack to gigabytes, and an XML document can define
entities that expand exponentially ("billion laughs"). Both are refused here, by
unpacking every member once as a stream with a byte budget, so memory stays at one
chunk and time is bounded by the budget.
"""

import zipfile
import zlib
from enum import StrEnum
from typing import BinaryIO

from roster.importing.sources.limits import Limits
from roster.importing.sources.table import ReadError, ReadErrorCode

CHUNK = 1024 * 1024
# Real spreadsheet XML compresses 5-50 times; far beyond that is a bomb, not data.
MAX_RATIO = 1000
RATIO_FLOOR = 1024 * 1024  # small members may compress very well without being bombs
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class ZipKind(StrEnum):
    XLSX = "xlsx"
    ODS = "ods"


def inspect_archive(file: BinaryIO, limits: Limits) -> ZipKind:
    try:
        with zipfile.ZipFile(file) as archive:
            kind = _zip_kind(archive)
            _check_members(archive, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError):
        raise _corrupt() from None
    finally:
        file.seek(0)
    return kind


def _zip_kind(archive: zipfile.ZipFile) -> ZipKind:
    names = set(archive.namelist())
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return ZipKind.XLSX
    if "mimetype" in names and archive.read("mimetype")[:100].strip() == ODS_MIMETYPE:
        return ZipKind.ODS
    raise ReadError(
        ReadErrorCode.UNSUPPORTED,
        "The file is a zip archive but not a spreadsheet; upload an .xlsx, .xls, .ods,"
        " .csv or .tsv file.",
    )


def _check_members(archive: zipfile.ZipFile, limits: Limits) -> None:
    budget = limits.max_unpacked_bytes
    for info in archive.infolist():
        if info.file_size > budget:
            raise _unsafe()
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _unsafe()
        budget -= _unpack(archive, info, budget)


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Unpack one member as a stream, returning its real size; refuse it on the way."""
    size = 0
    is_xml = info.filename.endswith((".xml", ".rels"))
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            if is_xml and size == 0 and _declares_entities(chunk):
                raise ReadError(
                    ReadErrorCode.UNSAFE,
                    "The workbook contains XML entity definitions, which spreadsheets"
                    " never need; it was refused as unsafe.",
                )
            size += len(chunk)
            if size > budget:
                raise _unsafe()
    return size


def _declares_entities(head: bytes) -> bool:
    # A document type declaration can only come before the root element, so the first
    # chunk holds it if there is one.
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _unsafe() -> ReadError:
    return ReadError(
        ReadErrorCode.UNSAFE,
        "The workbook unpacks to far more data than a spreadsheet holds (a zip bomb);"
        " it was refused as unsafe.",
    )


def _corrupt() -> ReadError:
    return ReadError(
        ReadErrorCode.CORRUPT,
        "The file looks like a workbook but is damaged; open it in your spreadsheet"
        " program and save it again.",
    )
