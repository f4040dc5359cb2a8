"""Per-item logistic models over the feature vector: trained weights, or a hand-set fallback."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from simulator.scoring.detectors import DETECTORS

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
WEIGHTS_VERSION = 1

# Hand-set weights used until `python -m simulator.scoring.train` has written weights.json:
# a detector counts for the items it evidences, and these moves count against an item.
_FALLBACK_BIAS = -2.5
_FALLBACK_PRIMARY = 4.0
_FALLBACK_AGAINST = {
    "reflection": {"advice_question": -2.0, "advice_directive": -2.0, "blame": -2.0},
    "exploration": {"advice_question": -4.0, "advice_directive": -1.0},
    "validation": {"yes_but": -1.5, "minimising": -2.0, "blame": -2.0},
    "ownership": {"pseudo_apology": -4.0, "justifying": -2.0, "yes_but": -2.0},
    "collaboration": {"advice_directive": -1.5},
    "self_focus": {"here_and_now": -1.0},
}


@dataclass(frozen=True)
class ItemModel:
    """Logistic regression for one rubric item."""

    bias: float
    weights: Mapping[str, float]

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        """Each present feature's share of the logit."""
        weights = self.weights
        return {name: weights[name] * value for name, value in features.items() if name in weights}

    def probability(self, logit_shift: float, contributions: Mapping[str, float]) -> float:
        """The model's probability, after an outside shift of the logit (author indicators)."""
        z = self.bias + logit_shift + sum(contributions.values())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Model:
    """Item id -> ItemModel, and where the weights came from."""

    items: Mapping[str, ItemModel]
    source: str  # "trained" or "fallback"


def fallback_model() -> Model:
    """Hand-set weights from the detector registry, so the engine works before training."""
    weights: dict[str, dict[str, float]] = {}
    for name, detector in DETECTORS.items():
        for rank, item in enumerate(detector.items):
            weights.setdefault(item, {})[name] = _FALLBACK_PRIMARY / (1 + rank)
    for item, against in _FALLBACK_AGAINST.items():
        weights.setdefault(item, {}).update(against)
    return Model(
        {item: ItemModel(_FALLBACK_BIAS, w) for item, w in sorted(weights.items())}, "fallback"
    )


def model_from_json(data: Mapping) -> Model:
    """Build a model from the weights.json document (ValueError if it is of another version)."""
    if data.get("version") != WEIGHTS_VERSION:
        raise ValueError(f"weights version {data.get('version')!r}, expected {WEIGHTS_VERSION}")
    items = {
        item: ItemModel(float(spec["bias"]), {k: float(v) for k, v in spec["weights"].items()})
        for item, spec in data["items"].items()
    }
    return Model(items, "trained")


@lru_cache(maxsize=4)
def load_model(path: Path = WEIGHTS_PATH) -> Model:
    """The trained model if weights.json exists and is current, else the hand-set fallback."""
    try:
        return model_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return fallback_model()
