"""Scoring the notice step: did the trainee name the rupture family and a marker it shows?"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.scenarios.model import ClientNode

FAMILY_WEIGHT = 0.5
MARKER_WEIGHT = 0.5


@dataclass(frozen=True)
class NoticeResult:
    """score 0..1; family_correct and marker_correct say which half was earned."""

    score: float
    family_correct: bool
    marker_correct: bool


def score_notice(node: ClientNode, family: str | None,
                 markers: Iterable[str] | str | None) -> NoticeResult:
    """Half for the right family; half for markers, scaled by the share of picks that are right."""
    if node.notice is None:
        raise ValueError(f"node '{node.id}' has no notice step")
    picked = [markers] if isinstance(markers, str) else list(dict.fromkeys(markers or ()))
    hits = [m for m in picked if m in node.notice.markers]
    family_correct = family == node.notice.family
    # Any one expected marker counts, but ticking every box should not earn full credit.
    marker_share = len(hits) / len(picked) if picked else 0.0
    score = FAMILY_WEIGHT * family_correct + MARKER_WEIGHT * marker_share
    return NoticeResult(round(score, 4), family_correct, bool(hits))
