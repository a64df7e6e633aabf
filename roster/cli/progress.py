"""The import's progress on a terminal: a line per stage, with rows done, total and percentage.

    reading    [####################]   150,000 of 150,000 rows 100%
    planning   [####################]   150,000 of 150,000 rows 100%
    applying   [#########-----------]    67,000 of 147,000 rows  45%

Drawn on stderr only when it is a terminal and the output is not --json, so pipes, files
and scripts get nothing but the result.
"""

import sys
import time
from types import TracebackType
from typing import Self, TextIO

from roster.importing.progress import Stage, Step

WIDTH = 20  # characters of the bar
REDRAW_SECONDS = 0.1  # a terminal cannot show more; more would only slow the import


class ProgressDisplay:
    def __init__(self, stream: TextIO, *, shown: bool) -> None:
        self.stream = stream
        self.shown = shown
        self.stage: Stage | None = None
        self.drawn = ""
        self.drawn_at = 0.0

    @classmethod
    def on_stderr(cls, *, quiet: bool) -> "ProgressDisplay":
        return cls(sys.stderr, shown=not quiet and sys.stderr.isatty())

    def step(self, step: Step) -> None:
        if not self.shown:
            return
        if self.stage is not None and step.stage != self.stage:
            self._write("\n")  # the finished stage keeps its line
            self.drawn = ""
        self.stage = step.stage
        text = describe(step)
        now = time.monotonic()
        # A stage's last step is always drawn, so each stage ends on its true figure.
        if text != self.drawn and (step.finished or now - self.drawn_at >= REDRAW_SECONDS):
            self._write(f"\r{text}\033[K")
            self.drawn, self.drawn_at = text, now

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.shown and self.stage is not None:
            # On failure the line is wiped so that the one-line reason stands alone.
            self._write("\n" if error is None else "\r\033[K")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def describe(step: Step) -> str:
    """One stage's line: `reading 12,000 rows`, or with a total, a bar and a percentage."""
    if step.total is None:
        return f"{step.stage:<10} {'':<{WIDTH + 2}} {step.done:>9,} rows"
    share = step.done / step.total if step.total else 1.0
    filled = int(share * WIDTH)
    bar = "#" * filled + "-" * (WIDTH - filled)
    rows = f"{step.done:>9,} of {step.total:,} rows"
    return f"{step.stage:<10} [{bar}] {rows} {int(share * 100):>3}%"
