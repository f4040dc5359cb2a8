"""Server-side SVG line charts: coordinates computed here, drawn by an accessible template."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 560, 220, 36


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[tuple[float, float, str, float], ...]  # x, y, label, value
    gridlines: tuple[tuple[float, float], ...]  # y, value

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _label, _value in self.points)


def line_chart(values: Sequence[float], labels: Sequence[str], *, low: float, high: float,
               invert: bool = False, steps: int = 4) -> Chart:
    """Place values on a chart; `invert` puts low values at the top (less salient = better)."""
    span = (high - low) or 1
    usable_w, usable_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def y_of(value: float) -> float:
        share = (value - low) / span
        return PAD + (share if invert else 1 - share) * usable_h

    count = max(len(values) - 1, 1)
    points = tuple(
        (PAD + usable_w * i / count, y_of(v), label, v)
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
    )
    grid = tuple((y_of(low + span * k / steps), round(low + span * k / steps, 2))
                 for k in range(steps + 1))
    return Chart(WIDTH, HEIGHT, points, grid)
