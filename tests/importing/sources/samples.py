"""Sample files for the reader tests, written by the libraries that write them in real life."""

import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter  # type: ignore[import-untyped]
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from roster.importing.sources import DEFAULT_LIMITS, Limits, ReadResult, workbook
from roster.importing.sources.archive import ZipKind, inspect_archive
from roster.importing.sources.header import RawRow
from roster.importing.sources.read import read_opened_workbook
from roster.importing.sources.sniff import Kind, sniff
from roster.importing.sources.source import Opened

type Snapshot = list[tuple[str, tuple[str, ...], int, list[tuple[int, tuple[str, ...]]]]]


def snapshot(result: ReadResult) -> Snapshot:
    """Every table as (name, header, header row, [(row number, cells)]), rows consumed."""
    return [
        (
            table.name,
            table.header,
            table.header_row,
            [(row.number, row.cells) for row in table.rows],
        )
        for table in result.tables
    ]


def read_in_this_process(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """A workbook read as the child process of isolated.py reads it, here, to look inside.

    calamine reads the path; the bytes in memory serve the checks (no file left open).
    """
    file = io.BytesIO(path.read_bytes())
    is_ods = sniff(file) is Kind.ZIP and inspect_archive(file, limits) is ZipKind.ODS
    opened = Opened(file=file, path=str(path), name=path.name, owned=False)
    return read_opened_workbook(opened, limits, is_ods=is_ods)


def count_rereads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From here on a sheet of 3 rows is big; the names of the sheets parsed again, in order."""
    monkeypatch.setattr(workbook, "REREAD_FROM_ROWS", 3)
    calls: list[str] = []
    real = workbook._reread

    def reread(path: str, name: str) -> Iterator[RawRow]:
        calls.append(name)
        return real(path, name)

    monkeypatch.setattr(workbook, "_reread", reread)
    return calls


def write_xlsx(path: Path, sheets: dict[str, list[tuple[str, Any]]]) -> Path:
    """An .xlsx (XlsxWriter) with each sheet's cells given as (A1 reference, value)."""
    book = xlsxwriter.Workbook(str(path))
    for name, cells in sheets.items():
        sheet = book.add_worksheet(name)
        for reference, value in cells:
            sheet.write(reference, value)
    book.close()
    return path


type OdsValue = str | float | None | tuple[str, int]


def write_ods(path: Path, sheets: dict[str, list[list[OdsValue]]], hidden: set[str]) -> Path:
    """An .ods (odfpy) with rows of strings, floats, None (an empty cell) or (text, columns
    spanned): a merged cell as LibreOffice writes it, the cell then covered cells."""
    document = OpenDocumentSpreadsheet()
    style = Style(name="hidden", family="table")
    style.addElement(TableProperties(display=False))
    document.automaticstyles.addElement(style)
    for name, rows in sheets.items():
        table = Table(name=name, stylename="hidden") if name in hidden else Table(name=name)
        for values in rows:
            row = TableRow()
            for value in values:
                if isinstance(value, tuple):
                    text, spanned = value
                    row.addElement(_ods_cell(text, numbercolumnsspanned=spanned))
                    for _ in range(spanned - 1):
                        row.addElement(CoveredTableCell())
                else:
                    row.addElement(_ods_cell(value))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _ods_cell(value: str | float | None, **spans: int) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, float):
        return TableCell(valuetype="float", value=repr(value))
    cell = TableCell(valuetype="string", **spans)
    cell.addElement(P(text=value))
    return cell


def rewrite_zip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """A copy of a zip archive with some members' content replaced (or added)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.pop(info.filename, old.read(info.filename)))
        for name, data in replace.items():
            new.writestr(name, data)
    return target


def encrypted_workbook(path: Path) -> Path:
    """An OLE compound file holding EncryptedPackage and EncryptionInfo, as Excel writes one.

    Version 3 layout, 512-byte sectors: header, one FAT sector (0), one directory sector
    (1), then the package's data sectors.
    """
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    data_sectors = 9  # 4,608 bytes: above the 4,096-byte mini-stream cutoff
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack(
        "<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    chain = list(range(3, 2 + data_sectors)) + [end]
    fat = struct.pack("<128I", fat_sector, end, *chain, *([free] * (126 - data_sectors)))

    def entry(
        name: str, kind: int, left: int, right: int, child: int, start: int, size: int
    ) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, no_stream, no_stream, 1, end, 0)
        + entry("EncryptedPackage", 2, 2, no_stream, no_stream, 2, 512 * data_sectors)
        + entry("EncryptionInfo", 2, no_stream, no_stream, no_stream, end, 0)
        + bytes(128)
    )
    path.write_bytes(header + fat + directory + bytes(range(256)) * 2 * data_sectors)
    return path
