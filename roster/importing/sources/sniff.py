"""What kind of file this is, decided from its first bytes rather than its name.

Admins rename files ("students.csv" that is really a workbook, a CSV saved as ".xls"),
so the name is never trusted; the content is.
"""

from enum import StrEnum
from typing import BinaryIO

from roster.importing.sources.table import ReadError, ReadErrorCode

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted workbook
# Excel encrypts a workbook by wrapping it in a compound file holding this stream.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
CHUNK = 1024 * 1024


class Kind(StrEnum):
    ZIP = "zip"  # .xlsx, .xlsm, .xlsb or .ods; archive.py tells which
    XLS = "xls"
    TEXT = "text"


def sniff(file: BinaryIO) -> Kind:
    head = file.read(8)
    file.seek(0)
    if not head:
        raise ReadError(ReadErrorCode.EMPTY, "The file is empty.")
    if head.startswith(ZIP_MAGIC):
        return Kind.ZIP
    if head == CFB_MAGIC:
        if _has_encrypted_package(file):
            raise encrypted()
        return Kind.XLS
    _refuse_markup(file)
    return Kind.TEXT


def _refuse_markup(file: BinaryIO) -> None:
    """Refuse a web page or an "XML Spreadsheet 2003" saved under a spreadsheet's name.

    Some school systems export an HTML table named .xls; read as text it would become
    a table of tags, so it is refused with a sentence saying what to do instead.
    """
    head = file.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    file.seek(0)
    is_html = head.startswith((b"<!doctype html", b"<html", b"<table"))
    if is_html or (head.startswith(b"<?xml") and b"office:spreadsheet" in head):
        raise ReadError(
            ReadErrorCode.UNSUPPORTED,
            "The file is a web page or XML file saved with a spreadsheet name; open it in"
            " your spreadsheet program and save it as .xlsx or .csv.",
        )


def _has_encrypted_package(file: BinaryIO) -> bool:
    """Whether the compound file's directory names an EncryptedPackage stream.

    Directory entries are 128 bytes, aligned to 128 in the file; each starts with its
    UTF-16 name, and holds the name's byte length (34 here) at offset 64 and the entry
    type (2: stream) at 66. Matching all three avoids mistaking cell text for an entry.
    """
    offset = 0
    tail = b""
    while chunk := file.read(CHUNK):
        data = tail + chunk
        base = offset - len(tail)
        at = data.find(ENCRYPTED_STREAM)
        while at != -1:
            entry = data[at : at + 67]
            if (base + at) % 128 == 0 and len(entry) == 67 and entry[64:67] == b"\x22\x00\x02":
                file.seek(0)
                return True
            at = data.find(ENCRYPTED_STREAM, at + 1)
        offset += len(chunk)
        tail = data[-128:]
    file.seek(0)
    return False


def encrypted() -> ReadError:
    return ReadError(
        ReadErrorCode.ENCRYPTED,
        "The workbook is protected with a password; save a copy without the password"
        " and upload that.",
    )
