"""Exemplar self-test: the scorer must rank every weak exemplar below every strong one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.scenarios.model import ClientNode, Scenario
from simulator.scenarios.problems import Reporter

Scorer = Callable[..., Any]


def find_scorer() -> tuple[Scorer | None, str]:
    """(score_response, "") if the scorer is installed, else (None, why the test is skipped)."""
    try:
        from simulator.scoring import score_response
    except ImportError as exc:
        return None, (f"exemplar self-test skipped: simulator.scoring.score_response is not "
                      f"available ({exc})")
    return score_response, ""


def check_exemplars(scenario: Scenario, reporter: Reporter, score: Scorer) -> None:
    """Report each free-text node whose best weak exemplar scores at least its worst strong one."""
    for node in scenario.client_nodes.values():
        if node.exemplars is None or node.respond == "choice":
            continue
        path = ("nodes", node.id, "exemplars")
        try:
            strong = _scores(scenario, node, "strong", score)
            weak = _scores(scenario, node, "weak", score)
        except Exception as exc:  # noqa: BLE001 - a scorer bug must not stop validation
            reporter.error(path, f"the scorer failed on these exemplars "
                                 f"({type(exc).__name__}: {exc})", at_key=True)
            continue
        worst = min(range(len(strong)), key=strong.__getitem__)
        best = max(range(len(weak)), key=weak.__getitem__)
        if weak[best] >= strong[worst]:
            reporter.error(path, f"weak[{best}] scores {weak[best]:.2f} overall, not below "
                                 f"strong[{worst}] ({strong[worst]:.2f}); the scorer cannot "
                                 "tell them apart, so sharpen the exemplars or add indicators",
                           at_key=True)


def _scores(scenario: Scenario, node: ClientNode, kind: str, score: Scorer) -> list[float]:
    assert node.exemplars is not None
    texts = getattr(node.exemplars, kind)
    results = []
    for i, text in enumerate(texts):
        # Leave the exemplar being scored out of the references, or it would match itself.
        references = {
            group: [t for j, t in enumerate(getattr(node.exemplars, group))
                    if (kind, i) != (group, j)]
            for group in ("strong", "weak")
        }
        result = score(client=node.say, response=text, rubric=scenario.rubric,
                       indicators=node.indicators or None, exemplars=references)
        results.append(float(result.overall))
    return results
