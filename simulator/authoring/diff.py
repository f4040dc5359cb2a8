"""What changed between two versions of a scenario: line-numbered hunks for the history page."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT = 3


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: kind is "same", "removed", "added" or "gap" (lines not shown)."""

    kind: str
    old_number: int | None
    new_number: int | None
    text: str


def diff_lines(old: str, new: str, *, context: int = CONTEXT) -> list[DiffLine]:
    """The changed lines with `context` unchanged lines around each change; [] if identical."""
    before, after = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", i + 1, j1 + k + 1, before[i])
                             for k, i in enumerate(range(i1, i2)))
                continue
            lines.extend(DiffLine("removed", i + 1, None, before[i]) for i in range(i1, i2))
            lines.extend(DiffLine("added", None, j + 1, after[j]) for j in range(j1, j2))
    return lines


def counts(lines: list[DiffLine]) -> tuple[int, int]:
    """(lines added, lines removed)."""
    return (sum(1 for line in lines if line.kind == "added"),
            sum(1 for line in lines if line.kind == "removed"))
