"""Exemplar self-tests: the scorer must rank and route every strong exemplar above every weak one.

Two checks run for each free-text node:
- *ranking*: every strong exemplar scores a higher overall than every weak one;
- *routing*: at every alliance state in which the node can be reached, every strong exemplar
  leads somewhere at least as good as every weak one. A route is judged by where the
  conversation ends when the trainee answers well from then on (repaired > partly repaired >
  unresolved > escalated), then by how salient the rupture is after the answer (lower is
  better).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.engine import AllianceState, advance, choice_measures
from simulator.scenarios.model import ClientNode, Ending, Scenario
from simulator.scenarios.problems import Reporter
from simulator.scoring.safety_check import DIRECT_QUESTIONS

Scorer = Callable[..., Any]
OUTCOME_RANK = {"repaired": 3, "partly-repaired": 2, "unresolved": 1, "escalated": 0}
_MAX_DEPTH = 40  # deeper than any sensible scenario; stops a loop of client nodes


def find_scorer() -> tuple[Scorer | None, str]:
    """(score_response, "") if the scorer is installed, else (None, why the test is skipped)."""
    try:
        from simulator.scoring import score_response
    except ImportError as exc:
        return None, (f"exemplar self-test skipped: simulator.scoring.score_response is not "
                      f"available ({exc})")
    return score_response, ""


@dataclass(frozen=True)
class _Answer:
    label: str  # "strong[0]", "weak[1]", "choices[2]"
    measures: dict[str, float]
    choice: int | None = None


def _answers(scenario: Scenario, node: ClientNode, score: Scorer) -> dict[str, list[_Answer]]:
    """Every exemplar's measures (scored without itself as a reference) and every choice's; at
    a risk node also each exemplar with a direct risk question added ("asked")."""
    found: dict[str, list[_Answer]] = {"strong": [], "weak": [], "choice": [], "asked": []}
    if node.exemplars is not None and node.respond != "choice":
        for kind in ("strong", "weak"):
            for i, text in enumerate(getattr(node.exemplars, kind)):
                references = {
                    group: [t for j, t in enumerate(getattr(node.exemplars, group))
                            if (kind, i) != (group, j)]
                    for group in ("strong", "weak")}
                result = score(client=node.say, response=text, rubric=scenario.rubric,
                               indicators=node.indicators or None, exemplars=references,
                               **scenario.moment_of(node))
                found[kind].append(_Answer(f"{kind}[{i}]", result.measures()))
                for risk in node.risk_kinds:
                    asked = score(client=node.say, response=f"{text} {DIRECT_QUESTIONS[risk]}",
                                  rubric=scenario.rubric, indicators=node.indicators or None,
                                  exemplars=references, **scenario.moment_of(node))
                    found["asked"].append(_Answer(f"{kind}[{i}]", asked.measures()))
    for i, _choice in enumerate(node.choices):
        found["choice"].append(_Answer(f"choices[{i}]", choice_measures(scenario, node, i), i))
    return found


class _Router:
    """Where answers lead, and how good that is, for one scenario."""

    def __init__(self, scenario: Scenario, score: Scorer) -> None:
        self.scenario = scenario
        self.answers: dict[str, dict[str, list[_Answer]]] = {}
        self.failures: dict[str, str] = {}  # node id -> what the scorer raised
        for nid, node in scenario.client_nodes.items():
            try:
                self.answers[nid] = _answers(scenario, node, score)
            except Exception as exc:  # noqa: BLE001 - a scorer bug must not stop validation
                self.failures[nid] = f"{type(exc).__name__}: {exc}"
                self.answers[nid] = {"strong": [], "weak": [], "choice": [], "asked": []}
        self._values: dict[tuple[str, AllianceState], int] = {}

    def step(self, node_id: str, state: AllianceState, answer: _Answer):
        return advance(self.scenario, node_id, answer.measures, state, choice_index=answer.choice)

    def good_answers(self, node_id: str) -> list[_Answer]:
        found = self.answers[node_id]
        return found["strong"] + found["choice"] or found["weak"]

    def value(self, node_id: str, state: AllianceState, depth: int = 0) -> int:
        """The ending reached by answering as well as the node's good answers allow."""
        node = self.scenario.node(node_id)
        if isinstance(node, Ending):
            return OUTCOME_RANK[node.outcome]
        key = (node_id, state)
        if key not in self._values:
            self._values[key] = -1  # a loop counts as the worst until shown otherwise
            if depth < _MAX_DEPTH:
                self._values[key] = max(
                    (self.route(node_id, state, a, depth)[0] for a in self.good_answers(node_id)),
                    default=-1)
        return self._values[key]

    def route(self, node_id: str, state: AllianceState, answer: _Answer,
              depth: int = 0) -> tuple[int, int, str]:
        """(ending reached by good play afterwards, -salience after, next node) for an answer."""
        step = self.step(node_id, state, answer)
        return (self.value(step.next_node, step.alliance, depth + 1), -step.alliance.salience,
                step.next_node)

    def reachable(self) -> dict[str, set[AllianceState]]:
        """Every alliance state each client node can be reached in, by any answer."""
        start = AllianceState.initial(self.scenario)
        seen: dict[str, set[AllianceState]] = {}
        todo = [(self.scenario.start, start)]
        while todo:
            node_id, state = todo.pop()
            if isinstance(self.scenario.node(node_id), Ending) or state in seen.get(node_id, ()):
                continue
            seen.setdefault(node_id, set()).add(state)
            for group, answers in self.answers[node_id].items():
                for answer in answers if group != "asked" else ():
                    step = self.step(node_id, state, answer)
                    todo.append((step.next_node, step.alliance))
        return seen


def check_exemplars(scenario: Scenario, reporter: Reporter, score: Scorer) -> None:
    """Report free-text nodes whose weak exemplars score or route as well as a strong one."""
    router = _Router(scenario, score)
    for node_id, why in router.failures.items():
        reporter.error(("nodes", node_id, "exemplars"),
                       f"the scorer failed on these exemplars ({why})", at_key=True)
    if router.failures:
        return
    for node_id, states in sorted(router.reachable().items()):
        answers = router.answers[node_id]
        if not answers["strong"] or not answers["weak"]:
            continue
        path = ("nodes", node_id, "exemplars")
        _check_ranking(answers, path, reporter)
        _check_routing(router, node_id, states, answers, path, reporter)
        _check_asking_never_hurts(router, node_id, states, answers, ("nodes", node_id, "risk"),
                                  reporter)


def _check_ranking(answers: dict[str, list[_Answer]], path, reporter: Reporter) -> None:
    worst = min(answers["strong"], key=lambda a: a.measures["overall"])
    best = max(answers["weak"], key=lambda a: a.measures["overall"])
    if best.measures["overall"] >= worst.measures["overall"]:
        reporter.error(path, f"{best.label} scores {best.measures['overall']:.2f} overall, not "
                             f"below {worst.label} ({worst.measures['overall']:.2f}); the scorer "
                             "cannot tell them apart, so sharpen the exemplars or add indicators",
                       at_key=True)


def _check_routing(router: _Router, node_id: str, states: set[AllianceState],
                   answers: dict[str, list[_Answer]], path, reporter: Reporter) -> None:
    for state in sorted(states, key=lambda s: (s.salience, s.direction)):
        for strong in answers["strong"]:
            good = router.route(node_id, state, strong)
            for weak in answers["weak"]:
                bad = router.route(node_id, state, weak)
                if bad[:2] > good[:2]:
                    reporter.error(path, f"at salience {state.salience} ({state.direction}) "
                                         f"{weak.label} routes better than {strong.label}: "
                                         f"{_describe(bad)} against {_describe(good)}; adjust "
                                         "the branch conditions or the exemplars", at_key=True)
                    return


def _check_asking_never_hurts(router: _Router, node_id: str, states: set[AllianceState],
                              answers: dict[str, list[_Answer]], path, reporter: Reporter) -> None:
    """At a risk node, an exemplar with a direct risk question added never routes worse."""
    plain = {a.label: a for a in answers["strong"] + answers["weak"]}
    for state in sorted(states, key=lambda s: (s.salience, s.direction)):
        for asked in answers["asked"]:
            without = router.route(node_id, state, plain[asked.label])
            with_question = router.route(node_id, state, asked)
            if with_question[:2] < without[:2]:
                reporter.error(path, f"at salience {state.salience} ({state.direction}) "
                                     f"{asked.label} with a direct risk question added routes "
                                     f"worse: {_describe(with_question)} against "
                                     f"{_describe(without)}; asking about risk must never make "
                                     "the path worse, so route on safety, not away from it",
                               at_key=True)
                return


def _describe(route: tuple[int, int, str]) -> str:
    value, salience, node = route
    ending = {rank: name for name, rank in OUTCOME_RANK.items()}.get(value, "no ending")
    return f"'{node}' (salience {-salience}, best ending {ending})"
