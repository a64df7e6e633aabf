"""Python's cycle collector held off while an import works (read + validate, plan, apply).

An import builds millions of small objects that live until it ends (a Person per row,
its identity keys, the plan's arrays) and makes no reference cycles of its own, so the
collector only walks them again and again as they pile up: a young collection every
2,000 new containers, and a full one each time the old generation grows by a quarter.
Freed objects still go at once (reference counting). Held off for the import's length,
counted across nesting and threads, and let go when the last import in the process ends;
the collector then runs by its own thresholds as before. docs/operations.md has the
figures.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_held() -> Iterator[None]:
    """No cycle collection until the last holder in this process lets go (a decorator too)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
