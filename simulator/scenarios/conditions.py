"""Branch and alliance-rule conditions: which measures exist and how comparisons are written."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from simulator.scenarios.problems import KeyPath, describe, suggest
from simulator.scenarios.specs import Ctx, OneOf
from simulator.scenarios.vocabulary import DIRECTIONS

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
# Measures every scenario has besides its rubric's criterion and flag ids, with their range.
STATE_MEASURES: dict[str, tuple[float, float] | None] = {
    "overall": (0.0, 1.0),
    "flagged": (0.0, 1.0),  # the strongest flag of the answer: "< 0.5" reads "no flag present"
    "salience": (1.0, 5.0),
    "direction": None,  # compared to a bare word, not a number
}
_COMPARISON = re.compile(r"\s*(>=|<=|==|>|<)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*")


def parse_comparison(text: str) -> tuple[str, float] | None:
    """`">= 0.5"` -> `(">=", 0.5)`; None if it does not parse."""
    match = _COMPARISON.fullmatch(text)
    return (match.group(1), float(match.group(2))) if match else None


def check_condition(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    """A `when:` mapping: every measure known, every comparison readable and in range."""
    if not isinstance(value, dict):
        ctx.error(path, f"expected a mapping of measure to comparison, got {describe(value)}")
        return False
    if not value:
        ctx.error(path, "needs at least one measure "
                        "(use 'otherwise' for a branch that always fires)")
        return False
    results = [_check_entry(ctx, str(k), v, (*path, k)) for k, v in value.items()]
    return all(results)


def _check_entry(ctx: Ctx, measure: str, value: Any, path: KeyPath) -> bool:
    if ctx.rubric_ids is not None:
        known = (*ctx.rubric_ids, *STATE_MEASURES)
        if measure not in known:
            ctx.error(path, f"unknown measure '{measure}'{suggest(measure, known)}", at_key=True)
            return False
    if measure == "direction":
        return OneOf(DIRECTIONS).check(ctx, value, path)
    if not isinstance(value, str):
        ctx.error(path, f"expected a comparison like '>= 0.5' (in quotes), got {describe(value)}")
        return False
    parsed = parse_comparison(value)
    if parsed is None:
        ctx.error(path, f"cannot read comparison '{value}'; write '<op> <number>' with op one of "
                        f"{', '.join(OPERATORS)}")
        return False
    low, high = STATE_MEASURES.get(measure) or (0.0, 1.0)
    if not low <= parsed[1] <= high:
        ctx.error(path, f"{measure} runs from {low:g} to {high:g}, so '{value}' cannot be meant")
        return False
    return True
