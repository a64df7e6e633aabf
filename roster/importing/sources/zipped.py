"""A zip of files given together (a school system's export): its members, read as files.

A zip that is not a workbook (archive.py checks .xlsx and .ods) is unpacked member by
member into temporary files, each then read by read_file as if uploaded alone, so a
workbook member is still checked and parsed in a child process (isolated.py). Nothing
inflates unbounded: each member is streamed with a byte budget (a member at most the
upload limit, all of them at most the unpacking limit, and no member far beyond what its
compressed size can honestly hold), and the archive's directory is checked first:

- too many entries, a name reaching outside the archive ("../x", "/etc/x"), a member
  protected with a password, another zip inside, or two members with one file name:
  the whole archive is refused, with one sentence;
- folders, macOS's `__MACOSX/` copies and hidden files (".DS_Store") are left out, with
  a note naming the files.
"""

import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO, cast

from roster.importing.sources.archive import MAX_RATIO, RATIO_FLOOR
from roster.importing.sources.limits import DEFAULT_LIMITS, Limits, too_large
from roster.importing.sources.read import read_file
from roster.importing.sources.sniff import ZIP_MAGIC
from roster.importing.sources.source import Opened, open_source
from roster.importing.sources.table import ReadError, ReadErrorCode, ReadResult

CHUNK = 1024 * 1024
# Entries of any kind (folders and macOS's copies included): an export holds a dozen files.
MAX_ENTRIES = 200
WORKBOOK_MEMBERS = frozenset({"xl/workbook.xml", "xl/workbook.bin", "mimetype"})


@dataclass(frozen=True, slots=True)
class Given:
    """The files one upload or path holds: itself, or a zip archive's members."""

    results: list[ReadResult]
    notes: list[str] = field(default_factory=list)  # neutral sentences: entries left out


def read_given(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    file_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Given:
    """Read a file, or each file of a zip archive that is not a workbook."""
    opened = open_source(source, file_name, limits)
    try:
        if not _is_plain_zip(opened.file):
            file = opened.path if opened.path is not None else opened.file
            return Given([read_file(file, file_name=opened.name, limits=limits)])
        return _Members(opened, limits).read()
    finally:
        if opened.owned and opened.path is not None:
            opened.file.close()  # a path is read again by name; a spooled stream stays open


def _is_plain_zip(file: BinaryIO) -> bool:
    """A zip archive whose members are files, not the parts of a workbook."""
    try:
        if not file.read(4).startswith(ZIP_MAGIC):
            return False
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return not WORKBOOK_MEMBERS & set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # read_file says what is wrong with it
    finally:
        file.seek(0)


class _Members:
    def __init__(self, opened: Opened, limits: Limits) -> None:
        self.name = opened.name or "the zip archive"
        self.file = opened.file
        self.limits = limits
        self.budget = limits.max_unpacked_bytes

    def read(self) -> Given:
        try:
            with zipfile.ZipFile(self.file) as archive:
                taken, left_out = self._entries(archive)
                results = [self._read(archive, info) for info in taken]
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise ReadError(
                ReadErrorCode.CORRUPT,
                f"{self.name} is a damaged zip archive; make it again and upload it.",
            ) from error
        if not results:
            raise ReadError(ReadErrorCode.EMPTY, f"{self.name} holds no files to import.")
        notes = []
        if left_out:
            shown = ", ".join(left_out[:5]) + (", …" if len(left_out) > 5 else "")
            notes.append(
                f"{len(left_out)} hidden or system file(s) in {self.name} were left out ({shown})."
            )
        return Given(results, notes)

    def _entries(self, archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], list[str]]:
        """The members to read, and the names of those left out; refuses a hostile archive."""
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ReadError(
                ReadErrorCode.TOO_MANY_FILES,
                f"{self.name} holds {len(entries):,} entries, more than the {MAX_ENTRIES} an"
                " export holds; it was refused.",
            )
        taken: list[zipfile.ZipInfo] = []
        left_out: list[str] = []
        names: set[str] = set()
        for info in entries:
            path = PurePosixPath(info.filename.replace("\\", "/"))
            if info.filename.startswith(("/", "\\")) or ".." in path.parts or ":" in path.parts[0]:
                raise self._unsafe(f"a file whose name points outside it ({info.filename})")
            if info.is_dir():
                continue
            if any(part.startswith(".") or part == "__MACOSX" for part in path.parts):
                left_out.append(info.filename)
                continue
            if info.flag_bits & 0x1:
                raise ReadError(
                    ReadErrorCode.ENCRYPTED,
                    f"{path.name} in {self.name} is protected with a password; zip the files"
                    " again without one.",
                )
            if path.name.lower() in names:
                raise ReadError(
                    ReadErrorCode.UNSUPPORTED,
                    f"{self.name} holds two files named {path.name}; zip one export at a time.",
                )
            names.add(path.name.lower())
            taken.append(info)
        return taken, left_out

    def _read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> ReadResult:
        name = PurePosixPath(info.filename.replace("\\", "/")).name
        unpacked = self._unpack(archive, info, name)
        if name.lower().endswith(".zip") or _is_plain_zip(unpacked):
            unpacked.close()
            raise ReadError(
                ReadErrorCode.UNSUPPORTED,
                f"{self.name} holds another zip archive ({name}); unzip it and upload the"
                " files inside.",
            )
        try:
            return read_file(unpacked, file_name=name, limits=self.limits)
        except ReadError as error:
            unpacked.close()
            raise ReadError(error.code, f"{name} (in {self.name}): {error.message}") from error

    def _unpack(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> BinaryIO:
        """The member in a temporary file (closed, and so removed, when its rows are read)."""
        limit = min(self.limits.max_bytes, self.budget)
        ceiling = max(RATIO_FLOOR, MAX_RATIO * max(info.compress_size, 1))
        if info.file_size > ceiling:
            raise self._bomb()
        if info.file_size > limit:
            raise self._too_large(name)
        unpacked = cast(BinaryIO, tempfile.TemporaryFile())  # noqa: SIM115 (its rows own it)
        size = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    size += len(chunk)
                    if size > ceiling:  # its directory entry lied about its size
                        raise self._bomb()
                    if size > limit:
                        raise self._too_large(name)
                    unpacked.write(chunk)
        except BaseException:
            unpacked.close()
            raise
        self.budget -= size
        unpacked.seek(0)
        return unpacked

    def _too_large(self, name: str) -> ReadError:
        if self.budget < self.limits.max_bytes:
            return self._bomb()
        error = too_large(self.limits)
        return ReadError(error.code, f"{name} (in {self.name}): {error.message}")

    def _bomb(self) -> ReadError:
        return self._unsafe("far more data than its files can hold when unpacked (a zip bomb)")

    def _unsafe(self, what: str) -> ReadError:
        return ReadError(
            ReadErrorCode.UNSAFE, f"{self.name} holds {what}; it was refused as unsafe."
        )
