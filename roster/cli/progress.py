"""A one-line progress counter on stderr, shown only when stderr is a terminal."""

import sys
from types import TracebackType
from typing import Self


class ProgressBar:
    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = sys.stderr.isatty()

    def update(self, rows: int) -> None:
        if self.shown:
            print(f"\r{self.label}: {rows:,} rows", end="", file=sys.stderr, flush=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
