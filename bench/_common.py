"""Shared helpers for the benchmarks: the rubric, and plain-text tables."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence

from simulator.cli.score_command import load_rubric


def rubric(rubric_id: str = "repair-core"):
    """The shipped rubric, loaded exactly as the CLI loads it."""
    return load_rubric(rubric_id)


def machine() -> str:
    """One line describing where the figures were measured."""
    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left-aligned text table; floats to 3 places, None as '-'."""
    def cell(value: object) -> str:
        if value is None:
            return "-"
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    cells = [list(header)] + [[cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
