"""Server-side SVG line charts: coordinates, exact axis labels and legible text sizes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 60  # room for y labels on the left, two x lines below
# Text size in viewBox units. A chart is scaled to the width it is drawn at, so its text is
# FONT x drawn width / WIDTH CSS px. The narrowest a chart is drawn is on a 390 px phone: at
# least 390 - 2 x 16 (.wrap margins) - 2 x 24 (.card padding) - 2 (card border) = 308 px, where
# 21 units are 11.6 px. At 1280 px the three 20rem+ chart columns are 357 px (13.4 px text), and a
# chart is never drawn wider than WIDTH (max-width in app.css): 21 px at most.
FONT = 21
LINE = 24  # the distance between the two lines of an x-axis label
PHONE_DRAWN, DESKTOP_DRAWN = 308, 357
MIN_LEGIBLE_PX = 11
# The average width of a character of the sans-serif UI font as a share of its size; used to
# keep x-axis labels from overlapping (a generous estimate: digits and capitals are wider).
CHAR_WIDTH = 0.6
LABEL_GAP = 12


@dataclass(frozen=True)
class AxisLabel:
    """One x-axis label: the text lines under a point, placed so they stay on the chart."""

    x: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[tuple[float, float, str, float], ...]  # x, y, label, value
    gridlines: tuple[tuple[float, float], ...]  # y, value
    x_labels: tuple[AxisLabel, ...] = ()  # the labels there is room for, left to right
    titles: tuple[str, ...] = ()  # every point's full label and value (its tooltip)
    font_size: int = FONT
    left: int = LEFT
    right: int = RIGHT
    line: int = LINE

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _label, _value in self.points)

    @property
    def ticks(self) -> tuple[tuple[float, str], ...]:
        """(y, text) for every gridline; the text is the gridline's exact value."""
        return tuple((y, tick_text(value)) for y, value in self.gridlines)

    @property
    def axis_y(self) -> float:
        """Where the first line of the x-axis labels sits."""
        return self.height - BOTTOM + self.line

    def drawn_font_px(self, drawn_width: float) -> float:
        """The text size in CSS px when the chart is drawn `drawn_width` px wide."""
        return self.font_size * min(drawn_width, self.width) / self.width


def tick_text(value: float) -> str:
    """A gridline value as written on the axis: exact, without trailing zeros (0.25, 1)."""
    return format(round(value, 6), "g")


def text_width(text: str, font_size: float = FONT) -> float:
    """An estimate of how wide a line of text is drawn, in viewBox units."""
    return len(text) * font_size * CHAR_WIDTH


def line_chart(values: Sequence[float], labels: Sequence[str], *, low: float, high: float,
               invert: bool = False, steps: int = 4, notes: Sequence[str] | None = None,
               full_labels: Sequence[str] | None = None) -> Chart:
    """Place values on a chart; `invert` puts low values at the top. `notes` is a second line
    under each label (such as a date); `full_labels` name the points in their tooltips when
    the labels are shortened."""
    notes = tuple(notes) if notes is not None else ("",) * len(labels)
    names = tuple(full_labels) if full_labels is not None else tuple(labels)
    span = (high - low) or 1
    usable_w, usable_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        share = (value - low) / span
        return TOP + (share if invert else 1 - share) * usable_h

    count = len(values)
    xs = ([LEFT + usable_w / 2] if count == 1 else
          [LEFT + usable_w * i / (count - 1) for i in range(count)])
    points = tuple((x, y_of(v), label, v)
                   for x, v, label in zip(xs, values, labels, strict=True))
    grid = tuple((y_of(low + span * k / steps), low + span * k / steps)
                 for k in range(steps + 1))
    lines = [tuple(part for part in (label, note) if part)
             for label, note in zip(labels, notes, strict=True)]
    titles = tuple(f"{', '.join(part for part in (name, note) if part)}: {tick_text(round(v, 2))}"
                   for name, note, v in zip(names, notes, values, strict=True))
    return Chart(WIDTH, HEIGHT, points, grid, _x_labels(xs, lines), titles)


def _x_labels(xs: Sequence[float], lines: Sequence[tuple[str, ...]]) -> tuple[AxisLabel, ...]:
    """As many labels as fit without overlapping: the first, the last, and evenly between."""
    placed: list[tuple[float, float, AxisLabel]] = []  # left edge, right edge, label
    last = len(xs) - 1
    for i, (x, text) in enumerate(zip(xs, lines, strict=True)):
        half = max((text_width(line) for line in text), default=0) / 2
        centre = min(max(x, half + 2), WIDTH - half - 2)
        # The newest session's label matters more than the ones just before it.
        while i == last and len(placed) > 1 and centre - half < placed[-1][1] + LABEL_GAP:
            placed.pop()
        if placed and centre - half < placed[-1][1] + LABEL_GAP:
            continue
        placed.append((centre - half, centre + half, AxisLabel(round(centre, 1), text)))
    return tuple(label for _left, _right, label in placed)
