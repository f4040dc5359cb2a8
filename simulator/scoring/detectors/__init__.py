"""Micro-skill detectors, registered by name; importing this package fills the registry."""

from __future__ import annotations

from simulator.scoring.detectors import (  # noqa: F401  (importing registers them)
    advice,
    contradiction,
    judging,
    questions,
    repair,
    self_turn,
    understanding,
)
from simulator.scoring.detectors.base import DETECTORS, Context, Detector, Hit, register

__all__ = ["DETECTORS", "Context", "Detector", "Hit", "register"]
