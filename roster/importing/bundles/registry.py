"""The bundle kinds, asked in turn by intake.decide_files: one list, one order."""

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from roster.importing.bundles import canvas, clever, oneroster
from roster.importing.bundles.bundle import Bundle, named_by_role
from roster.importing.sources import ReadResult

# Each kind: (the import's files, the indexes an earlier kind took) → its bundle, or
# NO_BUNDLE. A file belongs to one bundle at most; headers keep the kinds apart (a
# Canvas users.csv has user_id, a OneRoster one sourcedId).
Kind = Callable[[Sequence[ReadResult], Collection[int]], Bundle]
KINDS: tuple[Kind, ...] = (oneroster.take, canvas.take, clever.take)


def take_bundles(results: Sequence[ReadResult]) -> list[Bundle]:
    """Every bundle among the files of one import."""
    bundles: list[Bundle] = []
    taken: set[int] = set()
    for take in KINDS:
        bundle = take(results, frozenset(taken))
        if bundle.files:
            bundles.append(replace(bundle, tables=named_by_role(bundle.tables, results)))
            taken |= bundle.files
    return bundles
