"""How far an .xls workbook's cells reach, read from its records before calamine allocates.

An .xls is a compound file (a small FAT file system) holding a "Workbook" stream of
BIFF records. calamine reserves room for each sheet's DIMENSIONS record (rows x columns
as declared), then allocates the rectangle from its first to its last cell; a 5 KB file
declaring a billion rows, or a cell at column 65,535, makes it abort the process. So the
stream is found and each sheet's records walked here first, the way calamine walks them
(from the sheet's offset in the BoundSheet record to its EOF record), and a sheet
reaching beyond the limits is refused.

Anything this reader cannot follow is left to calamine, which runs in a child process
under a memory limit (isolated.py): this check refuses what it can prove too large,
it never refuses a file for being unusual.
"""

import struct
from typing import BinaryIO

from roster.importing.sources.extent import Bounds
from roster.importing.sources.limits import Limits

END_OF_CHAIN = 0xFFFFFFFE
WORKBOOK_STREAMS = ("Workbook", "Book")
BOUND_SHEET, BOF, EOF, DIMENSIONS, MUL_RK = 0x0085, 0x0809, 0x000A, 0x0200, 0x00BD
# Records calamine makes a cell of, each starting with the cell's row and column.
CELLS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}


class _Unfollowable(Exception):
    """The file is not laid out as this reader expects; calamine will judge it."""


def check_xls(file: BinaryIO, limits: Limits) -> None:
    """Refuse an .xls whose declared or real sheet extent is beyond the limits."""
    file.seek(0)
    try:
        stream = _Compound(file.read()).stream(WORKBOOK_STREAMS)
        for position in _sheet_positions(stream):
            declared, cells = _sheet_bounds(stream, position)
            declared.check(limits)
            cells.check(limits)
    except (_Unfollowable, struct.error, IndexError, UnicodeDecodeError):
        pass
    finally:
        file.seek(0)


class _Compound:
    """Just enough of a compound file (MS-CFB) to read one stream.

    A chain visits each sector once at most, so nothing read is larger than the file.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if self.shift not in (9, 12) or mini_shift != 6:
            raise _Unfollowable
        self.size = 1 << self.shift
        self.sectors = (len(data) >> self.shift) + 1
        fat_sectors = self._difat()
        raw = b"".join(map(self.sector, fat_sectors))
        self.fat = struct.unpack(f"<{len(raw) // 4}I", raw)

    def sector(self, number: int) -> bytes:
        start = (number + 1) << self.shift
        if number >= self.sectors or start >= len(self.data):
            raise _Unfollowable
        return self.data[start : start + self.size]

    def chain(self, first: int, table: tuple[int, ...] | None = None) -> list[int]:
        table = self.fat if table is None else table
        found: list[int] = []
        seen: set[int] = set()
        while first != END_OF_CHAIN:
            if first >= len(table) or first in seen:
                raise _Unfollowable  # out of the table, or a loop
            found.append(first)
            seen.add(first)
            first = table[first]
        return found

    def _difat(self) -> list[int]:
        count = struct.unpack_from("<I", self.data, 0x2C)[0]
        following, more = struct.unpack_from("<II", self.data, 0x44)
        if count > self.sectors:
            raise _Unfollowable
        listed = list(struct.unpack_from("<109I", self.data, 0x4C))
        for _ in range(min(more, self.sectors)):
            if following == END_OF_CHAIN:
                break
            block = struct.unpack(f"<{self.size // 4}I", self.sector(following))
            listed.extend(block[:-1])
            following = block[-1]
        return listed[:count]

    def stream(self, names: tuple[str, ...]) -> bytes:
        first_directory = struct.unpack_from("<I", self.data, 0x30)[0]
        directory = b"".join(map(self.sector, self.chain(first_directory)))
        entries = [directory[at : at + 128] for at in range(0, len(directory) - 127, 128)]
        for entry in entries:
            length = struct.unpack_from("<H", entry, 64)[0]
            name = entry[: max(min(length, 64) - 2, 0)].decode("utf-16-le")
            if entry[66] == 2 and name in names:
                start, size = struct.unpack_from("<IQ", entry, 116)
                if self.shift == 9:
                    size &= 0xFFFFFFFF  # version 3 files keep only 32 bits
                if size > len(self.data):
                    raise _Unfollowable
                if size >= struct.unpack_from("<I", self.data, 0x38)[0]:
                    return b"".join(map(self.sector, self.chain(start)))[:size]
                return self._mini(entries[0], start, size)
        raise _Unfollowable

    def _mini(self, root: bytes, start: int, size: int) -> bytes:
        """A small stream, kept in 64-byte sectors inside the root entry's own stream."""
        container = b"".join(map(self.sector, self.chain(struct.unpack_from("<I", root, 116)[0])))
        raw = b"".join(map(self.sector, self.chain(struct.unpack_from("<I", self.data, 0x3C)[0])))
        mini_fat = struct.unpack(f"<{len(raw) // 4}I", raw)
        parts = [container[at * 64 : at * 64 + 64] for at in self.chain(start, mini_fat)]
        return b"".join(parts)[:size]


def _sheet_positions(stream: bytes) -> list[int]:
    positions = []
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        if kind == BOUND_SHEET and length >= 4:
            positions.append(struct.unpack_from("<I", stream, position + 4)[0])
        position += 4 + length
        if kind == EOF:
            break
    return positions


def _sheet_bounds(stream: bytes, position: int) -> tuple[Bounds, Bounds]:
    """(declared, cells) of the sheet whose records start at `position`."""
    declared, cells = Bounds(count=-1), Bounds()
    depth = 0
    seen_bof = False
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        data = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind == BOF:
            depth += seen_bof
            seen_bof = True
        elif kind == EOF:
            if depth == 0:
                break
            depth -= 1
        elif depth:
            continue  # an embedded chart's records: calamine skips them
        elif kind in CELLS and length >= 4:
            row, column = struct.unpack_from("<HH", data)
            cells.add((row, row), (column, column))
        elif kind == MUL_RK and length >= 6:
            row, first = struct.unpack_from("<HH", data)
            last = struct.unpack_from("<H", data, length - 2)[0]
            cells.add((row, row), (first, max(first, last)))
        elif kind == DIMENSIONS and length in (10, 14):
            layout = "<HHHH" if length == 10 else "<IIHH"
            top, bottom, left, right = struct.unpack_from(layout, data)
            declared.add((top, max(top, bottom)), (left, max(left, right)))
    return declared, cells
