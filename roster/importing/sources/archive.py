"""Checking a zipped workbook (.xlsx, .ods) before any parser touches it.

A zip bomb is a few kilobytes that unpack to gigabytes, and an XML document can define
entities that expand exponentially ("billion laughs"). Both are refused here, by
unpacking every member once as a stream with a byte budget, so memory stays at one
chunk and time is bounded by the budget. On the way, the members calamine would read
as sheets (or whose counts it trusts) are noted, and then parsed again for their
extent (extent.py).
"""

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from typing import BinaryIO

from roster.importing.sources.limits import Limits
from roster.importing.sources.ods_extent import check_ods_content
from roster.importing.sources.table import ReadError, ReadErrorCode
from roster.importing.sources.xlsx_extent import check_shared_strings, check_xlsx_sheet

CHUNK = 1024 * 1024
# Real spreadsheet XML compresses 5-50 times; far beyond that is a bomb, not data.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # small members may compress very well without being bombs

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class ZipKind(StrEnum):
    XLSX = "xlsx"
    ODS = "ods"


def inspect_archive(file: BinaryIO, limits: Limits) -> ZipKind:
    """The workbook's kind, its members checked within the limits."""
    kind = archive_kind(file)
    check_archive(file, kind, limits)
    return kind


def archive_kind(file: BinaryIO) -> ZipKind:
    """The kind of workbook a zip holds, from its names alone (quick)."""
    with _as_corrupt(file), zipfile.ZipFile(file) as archive:
        return _zip_kind(archive)


def check_archive(file: BinaryIO, kind: ZipKind, limits: Limits) -> None:
    """Every member unpacked as a stream and checked within the limits (the slow part)."""
    with _as_corrupt(file), zipfile.ZipFile(file) as archive:
        _check_members(archive, kind, limits)


@contextmanager
def _as_corrupt(file: BinaryIO) -> Iterator[None]:
    try:
        yield
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError):
        raise _corrupt() from None
    finally:
        file.seek(0)


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


def _check_members(archive: zipfile.ZipFile, kind: ZipKind, limits: Limits) -> None:
    budget = limits.max_unpacked_bytes
    marked: list[tuple[zipfile.ZipInfo, Marker]] = []
    for info in archive.infolist():
        if info.file_size > budget:
            raise _unsafe()
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _unsafe()
        size, markers = _unpack(archive, info, budget, MARKERS[kind])
        budget -= size
        marked.extend((info, marker) for marker in markers)
    # In calamine's order: the shared strings are reserved when the workbook is opened.
    for info, marker in sorted(marked, key=lambda pair: pair[1] != Marker.SHARED_STRINGS):
        CHECKS[marker](partial(archive.open, info), limits)


class Marker(StrEnum):
    """Text whose presence makes a member one calamine could parse in a way that allocates.

    Element names are never escaped, so the text is there in the member's encoding.
    """

    SHEET_DATA = "sheetData"  # a worksheet to calamine, whatever the member's name
    SHARED_STRINGS = "uniqueCount"  # a count calamine reserves room for
    ODS_ROWS = "table:table-row"


MARKERS = {
    ZipKind.XLSX: (Marker.SHEET_DATA, Marker.SHARED_STRINGS),
    ZipKind.ODS: (Marker.ODS_ROWS,),
}
CHECKS = {
    Marker.SHEET_DATA: check_xlsx_sheet,
    Marker.SHARED_STRINGS: check_shared_strings,
    Marker.ODS_ROWS: check_ods_content,
}
TAIL = 64  # a marker cut by a chunk boundary is seen whole with the previous chunk's tail


# Each marker as it may stand in a member's bytes, encoded once.
ENCODED = {
    marker: tuple(marker.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
    for marker in Marker
}


def _unpack(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, wanted: tuple[Marker, ...]
) -> tuple[int, set[Marker]]:
    """Unpack one member as a stream, returning its real size and the markers it holds."""
    size = 0
    is_xml = info.filename.endswith((".xml", ".rels"))
    searched = {marker: ENCODED[marker] for marker in wanted}
    found: set[Marker] = set()
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            data = tail + chunk
            for marker, forms in searched.items():
                if marker not in found and any(form in data for form in forms):
                    found.add(marker)
            tail = data[-TAIL:]
            if is_xml and size == 0 and _declares_entities(chunk):
                raise ReadError(
                    ReadErrorCode.UNSAFE,
                    "The workbook contains XML entity definitions, which spreadsheets"
                    " never need; it was refused as unsafe.",
                )
            size += len(chunk)
            if size > budget:
                raise _unsafe()
    return size, found


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
