"""The model behind the scores: trained weights when present, a hand-set fallback otherwise."""

from __future__ import annotations

import json

import pytest

from simulator.scoring.model import WEIGHTS_PATH, fallback_model, load_model, model_from_json


def test_shipped_weights_load_as_the_trained_model():
    assert WEIGHTS_PATH.is_file()
    model = load_model()
    assert model.source == "trained"
    assert {"reflection", "advice", "self_focus"} <= set(model.items)


def test_missing_or_stale_weights_fall_back_to_hand_set_weights(tmp_path):
    assert load_model(tmp_path / "absent.json").source == "fallback"
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"version": 0, "items": {}}))
    assert load_model(stale).source == "fallback"
    with pytest.raises(ValueError, match="weights version 0"):
        model_from_json({"version": 0})


def test_fallback_model_scores_each_detector_for_its_own_items():
    model = fallback_model()
    assert model.items["advice"].weights["advice_question"] > 0
    assert model.items["exploration"].weights["advice_question"] < 0
    assert model.items["ownership"].weights["pseudo_apology"] < 0


def test_the_engine_works_on_the_fallback_model(monkeypatch, score):
    from simulator.scoring import engine

    monkeypatch.setattr(engine, "load_model", fallback_model)
    reflection = score("It sounds like you felt let down by me.")
    advice = score("Have you tried going for a run?")
    assert reflection.criteria["reflection"].score > advice.criteria["reflection"].score
    assert advice.flags["advice"].score > reflection.flags["advice"].score
