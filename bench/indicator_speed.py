"""Indicator speed: hostile author patterns against 5,000-character answers, under RE2.

    .venv/bin/python bench/indicator_speed.py [--runs 7] [--length 5000]

For each hostile pattern the validator accepts, on the adversarial answer it is slowest on:
the matching time with no budget (median and worst of `--runs`), the indicator time one answer
pays with the real budget, and the whole `score_response`; then all of them at once as one
answer's indicators. Refused patterns are listed with the reason. A benchmark, not a test: it
reports and never asserts.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import random
import statistics
import time

import re2
from _common import machine, rubric, table

from simulator.scoring import score_response
from simulator.scoring.indicators import (
    MATCH_BUDGET_SECONDS,
    MAX_PROGRAM_SIZE,
    MatchBudget,
    compiled,
    indicator_spans,
    regex_problem,
)

TARGET_MS = 50.0
PROSE = "i hear that you feel flat today and i wonder whether last week is part of it "

# The two patterns, then classic catastrophic-backtracking shapes, then shapes chosen
# to defeat RE2's DFA (its slow path) at the largest size the validator allows.
HOSTILE = (
    r"\w{0,25}" * 6 + "x",
    r"[a-z ]{0,40}" * 5 + "@",
    r"\w{0,8}" * 6 + "x",
    r"\w{0,3}" * 8 + "x",
    r"[a-z ]{0,3}" * 10 + "@",
    r"\w*" * 6 + "x",
    r"[a-z ]*" * 5 + "@",
    r"(a+)+$",
    r"(a|a)*b",
    r"(.*a){12}",
    r"(\w+\s?)+$",
    r"(a|ab)*c",
    r"a*a*a*a*a*b",
    r".*.*.*.*=",
    r"(\w|\d)+!",
    r"^(a?){25}a{25}$",
    r"(x+x+)+y",
    r"(a{1,100}){1,100}",
    r"(?:a|b)*a[ab]{20}x",
    r"(?:a|b)*a[ab]{240}x",
    r"(?:a|b)*a(?:a|b){240}x",
    r"[a-c]*[ab][a-c]{240}x|b",
    r"(?:a|b)*a[ab]{240}x|a",
    r".*a.{35}x",
    r"(?:.{0,10}){3}x",
    r"(a{1,29}){1,5}",
    r"\b(\w+\s+){0,10}sorry",
    r"a?",
)


def answers(length: int) -> dict[str, str]:
    """Adversarial answers of `length` characters: runs, random two-letter text, prose, emoji."""
    rng = random.Random(14)

    def fill(unit: str, tail: str = "") -> str:
        return (unit * length)[:length - len(tail)] + tail

    return {
        "a…": fill("a"), "a…!": fill("a", "!"), "x…a×11": fill("x", "a" * 11),
        "ab…": fill("ab"), "ab ab…!": fill("ab ", "!"), "1…": fill("1"),
        "random ab": "".join(rng.choice("ab") for _ in range(length)),
        "random aAbB": "".join(rng.choice("aAbB") for _ in range(length)),
        "random abc": "".join(rng.choice("abc") for _ in range(length)),
        "prose": fill(PROSE), "mixed": "".join(rng.choice("aé😀x@ \n") for _ in range(length)),
    }


def answer_ms(patterns: list[str], text: str, seconds: float = math.inf) -> MatchBudget:
    """Compile the patterns afresh (a worker's first answer with them: the slowest case) and
    match them against one answer under one budget; its `used` is the CPU time taken."""
    compiled.cache_clear()
    re2.purge()
    budget = MatchBudget(seconds=seconds)
    indicator_spans(text, patterns, budget)
    return budget


def score_ms(pattern: str | None, text: str, runs: int) -> list[float]:
    """CPU milliseconds of whole score_response calls with `pattern` as the only indicator."""
    shipped, timings = rubric(), []
    indicators = {"reflection": [pattern]} if pattern else None
    for _ in range(runs):
        compiled.cache_clear()
        started = time.thread_time()
        score_response(client="Fine.", response=text, rubric=shipped, indicators=indicators)
        timings.append((time.thread_time() - started) * 1000)
    return timings


def pattern_rows(texts: dict[str, str], runs: int) -> tuple[list[list], list[list]]:
    """One row per accepted pattern (on the answer it is slowest on), one per refused one."""
    accepted, refused = [], []
    for pattern in HOSTILE:
        problem = regex_problem(pattern)
        if problem:
            refused.append([pattern, problem.split(f"'{pattern}' ", 1)[-1]])
            continue
        name = max(texts, key=lambda answer: answer_ms([pattern], texts[answer]).used)
        alone = [answer_ms([pattern], texts[name]).used * 1000 for _ in range(runs)]
        budgeted = [answer_ms([pattern], texts[name], MATCH_BUDGET_SECONDS)
                    for _ in range(runs)]
        scored = statistics.median(score_ms(pattern, texts[name], runs))
        plain = statistics.median(score_ms(None, texts[name], runs))
        accepted.append([pattern, compiled(pattern).programsize, name,
                         statistics.median(alone), max(alone),
                         max(b.used for b in budgeted) * 1000,
                         "yes" if any(b.exhausted for b in budgeted) else "no", scored, plain])
    return accepted, refused


def all_at_once(texts: dict[str, str]) -> list[list]:
    """Every accepted pattern as the indicators of one answer, with the real budget."""
    patterns = [p for p in HOSTILE if regex_problem(p) is None]
    rows = []
    for name, text in texts.items():
        budget = answer_ms(patterns, text, MATCH_BUDGET_SECONDS)
        rows.append([name, budget.used * 1000, "yes" if budget.exhausted else "no"])
    return rows


def verdict(worst_ms: float) -> str:
    return f"{worst_ms:.1f} ms; target {TARGET_MS:.0f} ms " + (
        "met" if worst_ms < TARGET_MS else "MISSED")


def main() -> None:
    """Print the tables and whether the target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--length", type=int, default=5000)
    args = parser.parse_args()
    # The "budget spent" columns say what each of those warnings would.
    logging.getLogger("simulator.scoring.indicators").setLevel(logging.ERROR)
    texts = answers(args.length)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the start")
    print(f"answers: {args.length:,} characters; program size limit {MAX_PROGRAM_SIZE}; budget "
          f"{MATCH_BUDGET_SECONDS * 1000:.0f} ms per answer; {args.runs} runs; all times are CPU "
          "time of the scoring thread, patterns compiled afresh each run")
    print("(score: whole score_response calls with the pattern as the only indicator, and "
          "without it, on the same answer)\n")
    accepted, refused = pattern_rows(texts, args.runs)
    print(table(["accepted pattern", "size", "slowest on", "no budget p50", "no budget max",
                 "per answer max", "budget spent", "score p50", "score p50 without"],
                accepted))
    print("\nslowest answer with one hostile pattern: "
          + verdict(max(row[5] for row in accepted)) + "\n")
    print(table(["refused pattern", "reason"], refused))
    print(f"\nall {len(accepted)} accepted patterns as one answer's indicators:")
    rows = all_at_once(texts)
    print(table(["answer", "indicator ms", "budget spent"], rows))
    print("\nslowest answer with all of them: " + verdict(max(row[1] for row in rows)))


if __name__ == "__main__":
    main()
