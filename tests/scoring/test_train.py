"""Training: deterministic, never reads the test split, simulated exemplars from one moment."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulator.scoring.corpus import Example
from tests.scoring.test_corpus import LABELS

np = pytest.importorskip("numpy")
train = pytest.importorskip("simulator.scoring.train")


def example(n: int, client: str, **labels) -> Example:
    return Example(f"t-{n}", "general", client, f"response {n}", {**LABELS, **labels}, "x:1")


def test_fit_is_deterministic_and_learns_the_direction():
    x = np.array([[0.0], [0.0], [1.0], [1.0], [0.0], [1.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0, 0.33, 0.67])
    w = np.ones(len(y))
    first = train.fit(x, y, w, 1.0)
    assert np.array_equal(first, train.fit(x, y, w, 1.0))
    assert first[0] > 0


def test_simulated_exemplars_take_the_best_and_worst_other_response():
    moment = [example(1, "c", reflection=3, validation=3), example(2, "c", advice=2),
              example(3, "c", reflection=1)]
    exemplars = train.simulated_exemplars(moment[2], moment)
    assert exemplars == {"strong": ["response 1"], "weak": ["response 2"]}
    assert train.simulated_exemplars(moment[0], moment[:1]) is None


def test_positive_thresholds_match_the_benchmark():
    assert train.positive("reflection", 2) and not train.positive("reflection", 1)
    assert train.positive("advice", 1) and not train.positive("advice", 0)


@pytest.mark.slow_training
def test_retraining_from_the_repository_reproduces_the_shipped_weights_byte_for_byte(tmp_path):
    from simulator.scoring.model import WEIGHTS_PATH

    target = tmp_path / "weights.json"
    # a fresh process, as a developer runs it (its BLAS is loaded single-threaded)
    done = subprocess.run([sys.executable, "-m", "simulator.scoring.train", str(target)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == WEIGHTS_PATH.read_bytes(), (
        "corpus/ or the features changed without retraining: run "
        "`python -m simulator.scoring.train` and commit simulator/scoring/weights.json")
