"""Evidence a person can read: the scorer's spans widened to whole phrases, each with its reason.

The scorer points at the words that carried a judgement ("Joel", "in here"); quoted alone they
mean nothing. A phrase is the clause around them: whole words, within the sentence the scorer
inferred (so typing without punctuation gives the same phrases), stopped at typed clause marks
such as commas, and capped in length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.rubric import Rubric
from simulator.scoring.segment import boundaries
from simulator.scoring.text import normalise

MAX_WORDS = 20
MIN_WORDS = 4  # a shorter phrase ("Joel,") reads on past a comma, within its sentence
CREDITED_LEVEL = 2  # a criterion's level from which its words earned credit
_CLAUSE_MARK = re.compile(r"[,;:.!?()\u2013\u2014\"\u201c\u201d]|\n| - ")


@dataclass(frozen=True)
class Phrase:
    """A whole phrase of the trainee's text: [start, end) in the raw text, and its words."""

    start: int
    end: int
    text: str


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def phrases(text: str, spans: Sequence[Sequence[int]]) -> tuple[Phrase, ...]:
    """Each evidence span widened to its whole phrase; overlapping phrases merged."""
    if not text or not spans:
        return ()
    utterance = normalise(text)
    raw = utterance.raw_spans
    if not raw:
        return ()
    cuts = [0, *boundaries(utterance.tokens, utterance.breaks), len(raw)]

    def gap_breaks(i: int, words: int) -> bool:  # a clause mark typed before token i
        return words >= MIN_WORDS and bool(_CLAUSE_MARK.search(text[raw[i - 1][1]:raw[i][0]]))

    widened = []
    for start, end in spans:
        hit = [i for i, (s, e) in enumerate(raw) if s < end and e > start]
        if not hit:
            continue
        first, last = hit[0], hit[-1]
        sentence = bisect_right(cuts, first) - 1
        low, high = cuts[sentence], cuts[min(bisect_right(cuts, last), len(cuts) - 1)]
        lo, hi = first, last
        grew = True
        while grew and hi - lo + 1 < MAX_WORDS:
            grew = False
            if lo > low and not gap_breaks(lo, hi - lo + 1):
                lo, grew = lo - 1, True
            if (hi + 1 < high and hi - lo + 1 < MAX_WORDS
                    and not gap_breaks(hi + 1, hi - lo + 1)):
                hi, grew = hi + 1, True
        widened.append((raw[lo][0], raw[hi][1]))
    return tuple(Phrase(s, e, text[s:e]) for s, e in _merge(widened))


def _first_sentence(description: str) -> str:
    sentence = description.strip().split(". ")[0].strip()
    return sentence if sentence.endswith(".") else sentence + "."


def reasoned_spans(text: str | None, scores: dict, rubric: Rubric,
                   min_level: int = CREDITED_LEVEL) -> list[tuple[int, int, str]]:
    """The phrases of a response that earned credit, each with why: (start, end, reason).

    A phrase credited by several criteria names them all; criteria below `min_level` and
    items the rubric does not know are left out.
    """
    if not text:
        return []
    reasons: dict[tuple[int, int], list[str]] = {}
    for cid, item in scores.get("criteria", {}).items():
        if item.get("level", 0) < min_level or cid not in rubric.criterion_ids:
            continue
        rubric_item = rubric.item(cid)
        why = f"{rubric_item.name} ({item.get('label', '')}): " \
              f"{_first_sentence(rubric_item.description)}"
        for phrase in phrases(text, item.get("evidence", [])):
            reasons.setdefault((phrase.start, phrase.end), []).append(why)
    return _combine(reasons)


def _combine(reasons: dict[tuple[int, int], list[str]]) -> list[tuple[int, int, str]]:
    """Overlapping phrases of different criteria become one highlight naming every reason."""
    out: list[tuple[int, int, list[str]]] = []
    for (start, end), whys in sorted(reasons.items()):
        if out and start < out[-1][1]:
            last = out[-1]
            out[-1] = (last[0], max(last[1], end), last[2] + [w for w in whys if w not in last[2]])
        else:
            out.append((start, end, list(whys)))
    return [(s, e, " ".join(whys)) for s, e, whys in out]
