"""Scorer fixtures: a repair-core-shaped rubric built in code (no YAML loader needed)."""

from __future__ import annotations

import pytest

from simulator.rubric import Level, Rubric, RubricItem

CRITERIA = ("reflection", "validation", "exploration", "ownership", "metacommunication",
            "collaboration")
FLAGS = ("advice", "defensiveness", "dismissing", "blame", "self_focus", "contradicting",
         "formulaic")


def make_item(item_id: str, kind: str, **overrides) -> RubricItem:
    """A criterion (four levels) or a flag (two levels) with recognisable feedback text."""
    if kind == "criterion":
        levels = tuple(Level(n, low, label, f"{item_id} feedback {n}") for n, low, label in (
            (0, 0.0, "Not yet"), (1, 0.3, "Emerging"), (2, 0.55, "Clear"), (3, 0.8, "Strong")))
    else:
        levels = (Level(0, 0.0, "Not present", f"{item_id} feedback 0"),
                  Level(1, 0.5, "Present", f"{item_id} feedback 1"))
    fields = {"id": item_id, "kind": kind, "name": item_id.replace("_", " ").title(),
              "description": "d", "source": "s", "levels": levels}
    return RubricItem(**{**fields, **overrides})


def make_rubric(**overrides) -> Rubric:
    """The repair-core item ids with test levels; override any Rubric field."""
    fields = {
        "id": "repair-core", "name": "Repair core", "description": "test rubric",
        "criteria": tuple(make_item(c, "criterion") for c in CRITERIA),
        "flags": tuple(make_item(f, "flag", penalty=0.25) for f in FLAGS),
    }
    return Rubric(**{**fields, **overrides})


@pytest.fixture
def rubric() -> Rubric:
    return make_rubric()


@pytest.fixture
def score(rubric):
    """score(response, client=...) with the test rubric."""
    from simulator.scoring import score_response

    def run(response: str, client: str = "I don't know. It's fine.", **kwargs):
        return score_response(client=client, response=response, rubric=rubric, **kwargs)

    return run
