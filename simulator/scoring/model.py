"""Per-item logistic models over the feature vector, from the trained weights.json.

There is no fallback: weights that cannot be loaded raise ScorerUnavailable, /healthz says the
scorer is failing and the pages that score answers say so, rather than a weaker hand-set model
quietly scoring trainees (STYLE.md rule 14).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
WEIGHTS_VERSION = 1


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
    checksum: str  # sha256 of the weights file it was read from
    generic: frozenset[str] = frozenset()  # words trainees use after any client line


class ScorerUnavailable(RuntimeError):
    """The scorer's weights could not be loaded; nothing can be scored until they are fixed."""


def model_from_json(data: Mapping, checksum: str = "") -> Model:
    """Build a model from the weights.json document (ValueError if it is of another version)."""
    if data.get("version") != WEIGHTS_VERSION:
        raise ValueError(f"weights version {data.get('version')!r}, expected {WEIGHTS_VERSION}")
    items = {
        item: ItemModel(float(spec["bias"]), {k: float(v) for k, v in spec["weights"].items()})
        for item, spec in data["items"].items()
    }
    return Model(items, checksum, frozenset(data.get("generic_words", ())))


def load_model(path: Path | None = None) -> Model:
    """The trained model (ScorerUnavailable, naming the file and the reason, if it cannot load)."""
    return _load(path or WEIGHTS_PATH)


@lru_cache(maxsize=4)  # a failure is not cached: a fixed file is picked up on the next call
def _load(path: Path) -> Model:
    try:
        data = path.read_bytes()
        return model_from_json(json.loads(data.decode("utf-8")), hashlib.sha256(data).hexdigest())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScorerUnavailable(f"scorer weights {path} could not be loaded "
                                f"({type(exc).__name__}: {exc})") from exc
