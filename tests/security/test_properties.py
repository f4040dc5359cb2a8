"""Property-based tests: arbitrary text never crashes the scorer or the scenario validator.

Examples are bounded so the module stays quick; nothing about time is asserted (the scorer's
speed is measured in bench/, never here).
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.library import load_cached
from simulator.practice.answers import MAX_RESPONSE_CHARS
from simulator.resources import resource_dir
from simulator.scenarios.library import check_scenario_bytes
from simulator.scoring import score_response

CLIENT = "Eleven minutes late. Again. And you want me to pay for this?"
QUICK = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@cache
def _library():
    return load_cached(str(resource_dir("scenarios")))


def _rubric():
    return _library().rubrics["repair-core"]


def _indicators():
    """Real author indicators, so the regex path is exercised too."""
    for scenario in _library().scenarios.values():
        for node in scenario.nodes.values():
            if getattr(node, "indicators", None):
                return node.indicators
    return None


def _check_result(result, response: str) -> None:
    assert 0.0 <= result.overall <= 1.0 and 0.0 <= result.confidence <= 1.0
    for group in (result.criteria, result.flags):
        for item in group.values():
            assert 0.0 <= item.score <= 1.0
            for start, end in item.evidence:
                assert 0 <= start < end <= len(response)


any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                   max_size=600)
words = st.lists(st.sampled_from(["I", "you", "sorry", "late", "feel", "hear", "but", "should",
                                  "what", "?", "!", "\n", "\t", "\x00", "é", "😔", "...", "'"]),
                 max_size=400).map(" ".join)


@QUICK
@given(response=st.one_of(any_text, words))
def test_the_scorer_takes_any_text(response):
    result = score_response(client=CLIENT, response=response, rubric=_rubric(),
                            indicators=_indicators())
    _check_result(result, response)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=st.sampled_from(["a", " ", "sorry ", "?", "\u200b", "x" * 7 + " ", "aaaa!"]),
       tail=st.sampled_from(["", "!", "b", "\n"]))
def test_the_scorer_takes_answers_up_to_the_length_cap(unit, tail):
    response = (unit * (MAX_RESPONSE_CHARS // len(unit)))[: MAX_RESPONSE_CHARS - len(tail)] + tail
    result = score_response(client=CLIENT, response=response, rubric=_rubric(),
                            indicators=_indicators())
    _check_result(result, response)


yaml_like = st.lists(st.sampled_from([
    "id: x\n", "title: t\n", "nodes:\n", "  a:\n", "    say: hi\n", "- ", "&a ", "*a ", "[", "]",
    "{", "}", ": ", "!!python/object:os.system ", "!!binary ", "'", '"', "\t", "\n", "#",
    "%YAML 1.1\n", "---\n", "...\n", "? ", "|\n", ">\n", "<<: *a\n", "\x00", "\xff",
]), max_size=80).map(lambda parts: "".join(parts).encode("utf-8", "surrogateescape"))


@QUICK
@given(data=st.one_of(st.binary(max_size=2000), yaml_like))
def test_the_validator_takes_any_bytes(data):
    checked = check_scenario_bytes(data, name="fuzz.yaml", rubrics=_library().rubrics)
    assert checked.result is not None or checked.problems
    for problem in checked.problems:
        assert "internal error" not in str(problem), problem
