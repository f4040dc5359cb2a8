"""The arrows of a branch map: where each leaves and enters its boxes, its path, its label.

Forward edges curve down between rows and run straight through the placeholders the layout
gave them (simulator/scenarios/branch_layout.py); loops leave downwards, run up a lane right
of the rows they span and enter their target from above. Each label slides along its arrow to
the first spot where it covers no box and no other label, so that dense maps stay readable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

LABEL_H = 16
STEP = 14  # how far a loop runs below its source and above its target
LANE_OFFSET = 18
BUCKET = 64  # rows of the drawing, for finding nearby labels quickly
Rect = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Drawn:
    """One edge as drawn: its SVG path, where its label box starts (left x, middle y), and
    whether it runs back up (a loop)."""

    d: str
    label_x: float
    label_y: float
    back: bool


def route(chains: Sequence[list[str]], boxes: Mapping[str, tuple[float, float]],
          widths: Mapping[str, float], sizes: Mapping[str, tuple[float, float]],
          layers: Mapping[str, int], label_widths: Sequence[float], row_h: float
          ) -> list[Drawn]:
    """Every edge's path and label spot; `chains` are the keys each edge passes, placeholders
    (as tall as a row) included; `sizes` holds the real boxes (labels keep off them)."""
    def centre(key: str) -> float:
        return boxes[key][0] + widths[key] / 2

    back = [layers[chain[-1]] <= layers[chain[0]] for chain in chains]
    ports = _Ports(chains, back, centre, boxes, widths)
    row_right: dict[int, float] = {}
    for key, (x, _) in boxes.items():
        row_right[layers[key]] = max(row_right.get(layers[key], 0), x + widths[key])
    labels = _Labels([(x, y, x + sizes[k][0], y + sizes[k][1])
                      for k, (x, y) in boxes.items() if k in sizes])
    lanes: list[tuple[int, int, float]] = []  # (top row, bottom row, rightmost x used)
    drawn = []
    for i, chain in enumerate(chains):
        start = (ports.out_x[i], boxes[chain[0]][1] + sizes[chain[0]][1])
        end = (ports.in_x[i], boxes[chain[-1]][1])
        if back[i]:
            rows = (layers[chain[-1]], layers[chain[0]])
            d, spots = _loop(start, end, rows, row_right, lanes, label_widths[i])
        else:
            points = [start]
            for dummy in chain[1:-1]:
                top = boxes[dummy][1]
                points += [(centre(dummy), top), (centre(dummy), top + row_h)]
            d, spots = _forward([*points, end], ports.label_t[i], label_widths[i])
        drawn.append(Drawn(d, *labels.place(spots, label_widths[i]), back=back[i]))
    return drawn


class _Ports:
    """Where each edge leaves its source's bottom and enters its target's top: spread along
    the box in the order of the other ends, loops rightmost; and where along its first curve
    each of a box's labels starts looking for room (staggered, so neighbours differ)."""

    def __init__(self, chains: Sequence[list[str]], back: list[bool],
                 centre: Callable[[str], float], boxes: Mapping[str, tuple[float, float]],
                 widths: Mapping[str, float]) -> None:
        count = len(chains)
        self.out_x, self.in_x, self.label_t = [0.0] * count, [0.0] * count, [0.4] * count
        leaving: dict[str, list[int]] = {}
        arriving: dict[str, list[int]] = {}
        for i, chain in enumerate(chains):
            leaving.setdefault(chain[0], []).append(i)
            arriving.setdefault(chain[-1], []).append(i)
        for key, items in leaving.items():
            items.sort(key=lambda i: (back[i], 0 if back[i] else centre(chains[i][1]), i))
            self._spread(items, boxes[key][0], widths[key], self.out_x)
            forward = [i for i in items if not back[i]]
            for k, i in enumerate(forward[1:], start=1):
                self.label_t[i] = 0.25 + 0.25 * k / (len(forward) - 1)
            if len(forward) > 1:
                self.label_t[forward[0]] = 0.25
        for key, items in arriving.items():
            items.sort(key=lambda i: (back[i], 0 if back[i] else centre(chains[i][-2]), i))
            self._spread(items, boxes[key][0], widths[key], self.in_x)

    @staticmethod
    def _spread(items: list[int], x: float, width: float, out: list[float]) -> None:
        for k, i in enumerate(items):
            out[i] = round(x + width * (k + 1) / (len(items) + 1), 1)


def _forward(points: list[tuple[float, float]], label_t: float, label_w: float
             ) -> tuple[str, list[tuple[float, float]]]:
    """Curves between rows, straight lines through placeholders; label spots on the first curve,
    nearest the preferred one first."""
    d = [f"M{points[0][0]:g} {points[0][1]:g}"]
    for j, ((x0, y0), (x1, y1)) in enumerate(zip(points, points[1:], strict=False)):
        bend = (y1 - y0) / 2
        d.append(f"C{x0:g} {y0 + bend:g} {x1:g} {y1 - bend:g} {x1:g} {y1:g}" if j % 2 == 0
                 else f"L{x1:g} {y1:g}")
    (x0, y0), (x1, y1) = points[0], points[1]
    spots = []
    for shift in (0, 0.1, -0.1, 0.2, -0.2, 0.3, 0.4, 0.5):
        t = min(max(label_t + shift, 0.08), 0.92)
        # the cubic's point at t: both control points lie straight below/above its ends
        s = 3 * t * t - 2 * t ** 3
        spots.append((x0 + (x1 - x0) * s - label_w / 2, y0 + (y1 - y0) * s))
    return " ".join(d), spots


def _loop(start: tuple[float, float], end: tuple[float, float], rows: tuple[int, int],
          row_right: Mapping[int, float], lanes: list[tuple[int, int, float]], label_w: float
          ) -> tuple[str, list[tuple[float, float]]]:
    """Down out of the source, right to a lane clear of the rows and of earlier loops' labels,
    up, and into the target's top; label spots up and down the lane."""
    (sx, sy), (tx, ty) = start, end
    top, bottom = rows
    lane = max(row_right.get(r, 0) for r in range(top, bottom + 1)) + LANE_OFFSET
    for lane_top, lane_bottom, used in lanes:
        if lane_top <= bottom and top <= lane_bottom:
            lane = max(lane, used + 14)
    lanes.append((top, bottom, lane + 6 + label_w))
    d = f"M{sx:g} {sy:g} V{sy + STEP:g} H{lane:g} V{ty - STEP:g} H{tx:g} V{ty:g}"
    low, high = sorted((sy + STEP, ty - STEP))
    middle = (low + high) / 2
    offsets = (0, 1, -1, 2, -2, 3, -3)
    spots = [(lane + 6, middle + k * (LABEL_H + 4)) for k in offsets]
    return d, [spot for spot in spots if low <= spot[1] <= high] or spots[:1]


class _Labels:
    """Rectangles already taken (boxes, placed labels), bucketed by height in the drawing."""

    def __init__(self, boxes: list[Rect]) -> None:
        self.buckets: dict[int, list[Rect]] = {}
        for rect in boxes:
            self._add(rect)

    def place(self, spots: list[tuple[float, float]], width: float) -> tuple[float, float]:
        """The first spot whose label covers nothing taken (else the least covering), now taken."""
        chosen = min(spots, key=lambda s: self._covered(self._rect(s, width)) > 0)
        if self._covered(self._rect(chosen, width)):
            chosen = min(spots, key=lambda s: self._covered(self._rect(s, width)))
        self._add(self._rect(chosen, width))
        return round(chosen[0], 1), round(chosen[1], 1)

    @staticmethod
    def _rect(spot: tuple[float, float], width: float) -> Rect:
        x, y = spot
        return (x - 2, y - LABEL_H / 2 - 1, x + width + 2, y + LABEL_H / 2 + 1)

    def _add(self, rect: Rect) -> None:
        for key in range(int(rect[1] // BUCKET), int(rect[3] // BUCKET) + 1):
            self.buckets.setdefault(key, []).append(rect)

    def _covered(self, rect: Rect) -> float:
        """How much of what is taken the rectangle would cover (0: it is free)."""
        left, top, right, bottom = rect
        nearby = {r for key in range(int(top // BUCKET), int(bottom // BUCKET) + 1)
                  for r in self.buckets.get(key, ())}
        return sum(max(min(right, r[2]) - max(left, r[0]), 0)
                   * max(min(bottom, r[3]) - max(top, r[1]), 0) for r in nearby)
