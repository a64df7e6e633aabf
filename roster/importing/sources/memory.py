"""Handing back to the system the memory a big parsed sheet leaves behind when freed.

calamine holds a sheet's cells as many small allocations in the C heap. Once the sheet
is freed, Python's own small objects cannot reuse that memory (they live in arenas of
their own), so the import's later stages would add to the peak the sheet already set.
glibc's malloc_trim returns the free pages; elsewhere this does nothing.
"""

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


_TRIM = _malloc_trim()


def release_freed_memory() -> None:
    if _TRIM is not None:
        _TRIM(0)
