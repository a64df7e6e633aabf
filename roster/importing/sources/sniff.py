"""What kind of file this is, decided from its first bytes rather than its name.

Admins rename files ("students.csv" that is really a workbook, a CSV saved as ".xls"),
so the name is never trusted; the content is.
"""

import re
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
    """Refuse a web page or an XML file (such as "XML Spreadsheet 2003") saved as a spreadsheet.

    Some school systems export an HTML table named .xls; read as text it would become
    a table of tags (or "a header without rows"), so it is refused with a sentence saying
    what to do instead. Pages may open with a comment, a <meta> tag or an XML
    declaration, and Excel saves them in UTF-16 too.
    """
    head = _as_text(file.read(4096))
    file.seek(0)
    if MARKUP.match(head.lstrip("\ufeff \t\r\n")):
        raise ReadError(
            ReadErrorCode.UNSUPPORTED,
            "The file is a web page or XML file saved with a spreadsheet name; open it in"
            " your spreadsheet program and save it as .xlsx or .csv.",
        )


# What a web page or XML document opens with; a CSV header does not start like this.
MARKUP = re.compile(
    r"<(?:!--|!doctype\b|\?xml\b|(?:[a-z]+:)?(?:html|head|body|meta|title|style|link|script"
    r"|table|thead|tbody|tr|td|th|div|span|font|p|br|workbook)(?=[\s/>]))",
    re.IGNORECASE,
)


def _as_text(head: bytes) -> str:
    """The first bytes as text, enough to see tags: UTF-16 (with a BOM or not) or ASCII-like."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if head[1:8:2] == b"\0\0\0\0":
        return head.decode("utf-16-le", "ignore")
    if head[0:8:2] == b"\0\0\0\0":
        return head.decode("utf-16-be", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


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
