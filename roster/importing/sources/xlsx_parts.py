"""Which sheets of an .xlsx workbook are small, from the sizes in its zip directory.

workbook.py keeps one big sheet parsed from finding its header until its rows are read,
and parses another sheet meanwhile only when that one is small. A sheet's size before it
is parsed is the unpacked size of its worksheet part, found through the workbook's own
index (`_rels/.rels` → the workbook part → its relationships → each sheet's part), as
calamine finds it. This is a hint about memory only: for a workbook it cannot follow
(another format, an unusual index) no sheet is small, and every big sheet is parsed
again when its rows are read.
"""

import posixpath
import zipfile
from collections.abc import Callable

from roster.importing.sources.extent import parse_elements
from roster.importing.sources.table import ReadError

# A part this size parses to ~20 MB at most (calamine holds a 512 MB Students part of
# 1,000,000 rows in ~420 MB): little beside a big sheet kept parsed.
SMALL_PART = 16 * 1024 * 1024
INDEX_PART = 4 * 1024 * 1024  # an index part beyond this is not followed (they are KB)
OFFICE_DOCUMENT = "/officeDocument"


def small_sheets(path: str) -> frozenset[str]:
    """The names of the sheets whose worksheet part unpacks to SMALL_PART bytes or less."""
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist()}
            read = _reader(archive, sizes)
            book = next(
                (
                    target
                    for kind, target in _relationships(read, "", "_rels/.rels").values()
                    if kind.endswith(OFFICE_DOCUMENT)
                ),
                None,
            )
            if book is None:
                return frozenset()
            folder, base = posixpath.split(book)
            parts = _relationships(read, folder, posixpath.join(folder, "_rels", base + ".rels"))
            return frozenset(
                name
                for name, key in _sheets(read, book)
                if key in parts and sizes.get(parts[key][1], SMALL_PART + 1) <= SMALL_PART
            )
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, ReadError):
        return frozenset()


Read = Callable[[str, Callable[[str, dict[str, str]], None]], None]


def _reader(archive: zipfile.ZipFile, sizes: dict[str, int]) -> Read:
    """Stream a small index part through expat (which refuses entities), or fail."""

    def read(name: str, start: Callable[[str, dict[str, str]], None]) -> None:
        if sizes[name] > INDEX_PART:
            raise ValueError(name)
        with archive.open(name) as member:
            parse_elements(member, start)

    return read


def _relationships(read: Read, folder: str, name: str) -> dict[str, tuple[str, str]]:
    """Each relationship's id → (type, the part it targets, as a path in the archive)."""
    found: dict[str, tuple[str, str]] = {}

    def start(element: str, attributes: dict[str, str]) -> None:
        if element.rpartition(":")[2] == "Relationship":
            target = attributes.get("Target", "")
            if target.startswith("/"):
                path = target[1:]
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            found[attributes.get("Id", "")] = (attributes.get("Type", ""), path)

    read(name, start)
    return found


def _sheets(read: Read, book: str) -> list[tuple[str, str]]:
    """(name, relationship id) of each sheet the workbook part lists."""
    sheets: list[tuple[str, str]] = []

    def start(element: str, attributes: dict[str, str]) -> None:
        if element.rpartition(":")[2] == "sheet":
            key = next((v for k, v in attributes.items() if k.rpartition(":")[2] == "id"), "")
            sheets.append((attributes.get("name", ""), key))

    read(book, start)
    return sheets
