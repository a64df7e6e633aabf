"""How an import tells a door where it is: the stage, rows done, and the total when known.

The pipeline (pipeline.py) reports Steps to a callback the door gives; the door decides how
to show them (the command line draws a line on a terminal). Nothing here prints.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    # Reading and validating stream together, so the number of rows is only known at the
    # end of this stage.
    READING = "reading"
    PLANNING = "planning"
    APPLYING = "applying"


@dataclass(frozen=True, slots=True)
class Step:
    stage: Stage
    done: int  # rows done in this stage
    total: int | None  # rows this stage has in all; None while it is not known yet

    @property
    def finished(self) -> bool:
        return self.total is not None and self.done >= self.total


Report = Callable[[Step], None]
