"""The free-text scorer: pure, deterministic, CPU-only; never imports the web layer."""

from __future__ import annotations

from simulator.scoring.engine import score_response
from simulator.scoring.result import ItemScore, ScoreResult

__all__ = ["ItemScore", "ScoreResult", "score_response"]
