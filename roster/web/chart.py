"""The follow-up chart's geometry: emailed and activated bars, drawn as inline SVG.

Attributes only (no style attribute, which the Content-Security-Policy refuses); the
template draws it, and the same numbers are in a table beside it for screen readers.
"""

from dataclasses import dataclass

from roster.followup.figures import Bar

WIDTH, HEIGHT = 600, 160  # the SVG's own units; it scales to the page's width
TOP = 10
MAX_BAR = 40  # a bar no wider than this, however few days there are


@dataclass(frozen=True, slots=True)
class Column:
    x: float
    width: float
    emailed_y: float
    emailed_height: float
    activated_y: float
    activated_height: float
    label: str  # its <title>: the day and both numbers


def columns(bars: list[Bar], people: int) -> list[Column]:
    """One column per bar, heights as a share of everyone the import created."""
    if not bars:
        return []
    slot = WIDTH / len(bars)
    width = min(max(slot * 0.7, 1.0), MAX_BAR)
    scale = (HEIGHT - TOP) / max(people, 1)
    drawn = []
    for index, bar in enumerate(bars):
        emailed, activated = bar.emailed * scale, bar.activated * scale
        drawn.append(
            Column(
                x=round(index * slot + (slot - width) / 2, 2),
                width=round(width, 2),
                emailed_y=round(HEIGHT - emailed, 2),
                emailed_height=round(emailed, 2),
                activated_y=round(HEIGHT - activated, 2),
                activated_height=round(activated, 2),
                label=f"{bar.day:%-d %b}: {bar.emailed} emailed, {bar.activated} activated",
            )
        )
    return drawn
