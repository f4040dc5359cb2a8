"""The model behind the scores: the trained weights, or a clear failure (never a fallback)."""

from __future__ import annotations

import hashlib
import json

import pytest

from simulator.scoring.model import (
    WEIGHTS_PATH,
    ScorerUnavailable,
    load_model,
    model_from_json,
)


def test_shipped_weights_load_with_their_checksum():
    assert WEIGHTS_PATH.is_file()
    model = load_model()
    assert model.checksum == hashlib.sha256(WEIGHTS_PATH.read_bytes()).hexdigest()
    assert {"reflection", "advice", "self_focus"} <= set(model.items)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("absent.json", None, "FileNotFoundError"),
    ("stale.json", json.dumps({"version": 0, "items": {}}), "weights version 0"),
    ("cut.json", '{"version": 1, "items": {"advice": {"bias": ', "JSONDecodeError"),
    ("odd.json", json.dumps({"version": 1, "items": {"advice": {"bias": "x"}}}), "ValueError"),
])
def test_weights_that_do_not_load_raise_instead_of_falling_back(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ScorerUnavailable, match=reason) as caught:
        load_model(path)
    assert str(path) in str(caught.value)


def test_the_engine_refuses_to_score_without_weights(monkeypatch, tmp_path, score):
    from simulator.scoring import model

    monkeypatch.setattr(model, "WEIGHTS_PATH", tmp_path / "gone.json")
    with pytest.raises(ScorerUnavailable):
        score("It sounds like you felt let down by me.")


def test_model_from_json_names_the_version_it_expected():
    with pytest.raises(ValueError, match="weights version 0, expected 1"):
        model_from_json({"version": 0})
