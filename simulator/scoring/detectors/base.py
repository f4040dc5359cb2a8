"""Detector registry and the pattern detector most micro-skills are built from."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.scoring.text import Span, Utterance

NEGATIONS = frozenset([
    "not", "n't", "never", "no", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
    "won't",
])
# Negation only reaches this far back, and never across a contrast ("not X, but Y").
_NEGATION_WINDOW = 4
_CLAUSE_BREAK = re.compile(r"[,;:]|\bbut\b|\bhowever\b|\bthough\b")
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
# "You feel you should...", "it sounds like you need to...": the client's view, said back.
_REPORTING = re.compile(
    r"\b(?:(?:you|you've|you're|they|she|he|people|part of you) (?:[a-z]+ )?(?:feel|feeling|felt"
    r"|think|thinking|thought|said|say|saying|know|knew|believe|decided|realise|realize|mentioned"
    r"|told|wonder|wondering|worry|worried|wish|hope|guess|tell yourself|telling yourself|hear)"
    r"|sounds like|it seems|seems like|as if|pressure to|told to|expected to"
    r"|[a-z]+ (?:said|says|told you|tells you|reckons|promised))\b"
)


@dataclass(frozen=True)
class Hit:
    """One piece of evidence: how strongly it signals the skill, and where it is."""

    strength: float
    span: Span


@dataclass(frozen=True)
class Context:
    """What a detector looks at: the trainee's response and the client line it answers."""

    response: Utterance
    client: Utterance
    about: tuple[Utterance, ...] = ()  # what the rupture is about (the node's phrases)
    shown: Utterance | None = None  # what the client shows and feels (the node's cue, inner)
    generic: frozenset[str] = frozenset()  # words trainees use after any client line (trained)


@dataclass(frozen=True)
class Cue:
    """A regular expression and the strength of the evidence when it matches."""

    pattern: str
    strength: float
    negatable: bool = False  # a preceding "not"/"don't think" cancels it
    reportable: bool = False  # so does attributing it to the client ("you feel you should")


class Detector:
    """A micro-skill detector: `name` keys it in the registry, `items` are what it evidences."""

    name: str = ""
    items: tuple[str, ...] = ()

    def hits(self, ctx: Context) -> list[Hit]:
        """Every place in the response that shows this micro-skill."""
        raise NotImplementedError


DETECTORS: dict[str, Detector] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: add one instance of the detector to the registry under its name."""
    if cls.name in DETECTORS:
        raise ValueError(f"duplicate detector name {cls.name!r}")
    DETECTORS[cls.name] = cls()
    return cls


def reported(text: str, start: int) -> bool:
    """Whether the words at `start` report what someone feels, thinks or was told (same clause)."""
    before = text[max(0, start - 50):start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    return _REPORTING.search(before) is not None


def negated(text: str, start: int) -> bool:
    """Whether a negation governs the words starting at `start` (same clause, a few words back)."""
    before = text[max(0, start - 60):start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    words = _WORDS.findall(before)[-_NEGATION_WINDOW:]
    return any(w in NEGATIONS or w.endswith("n't") for w in words)


class PatternDetector(Detector):
    """Matches a list of cues; subclasses only declare `cues`."""

    cues: tuple[Cue, ...] = ()

    def __init__(self) -> None:
        # One regex per detector, a named group per kind of cue (strongest first), so a response
        # is scanned once per detector; the group that matched tells the kind.
        groups: dict[tuple[float, bool, bool], list[str]] = {}
        for cue in self.cues:
            groups.setdefault((cue.strength, cue.negatable, cue.reportable), []).append(cue.pattern)
        kinds = sorted(groups, reverse=True)
        self._kinds = {f"k{i}": kind for i, kind in enumerate(kinds)}
        body = "|".join(f"(?P<k{i}>{'|'.join(groups[kind])})" for i, kind in enumerate(kinds))
        self._regex = re.compile(rf"(?<![a-z'])(?:{body})(?![a-z])")

    def hits(self, ctx: Context) -> list[Hit]:
        """Every cue match that is not cancelled by a negation or by reporting."""
        text = ctx.response.norm
        found = []
        for m in _overlapping(self._regex, text):
            strength, negatable, reportable = self._kinds[m.lastgroup or ""]
            start = m.start()
            if negatable and negated(text, start) or reportable and reported(text, start):
                continue
            found.append(Hit(strength, m.span()))
        return found


def _overlapping(regex: re.Pattern, text: str) -> list[re.Match]:
    """Matches that may overlap ("you're right, I" and "I don't think I listened"), leaving
    out any that lies wholly inside the one before it."""
    found: list[re.Match] = []
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        if not found or m.end() > found[-1].end():
            found.append(m)
        pos = m.start() + 1
    return found


def group(strength: float, patterns: Iterable[str], *, negatable: bool = False,
          reportable: bool = False) -> tuple[Cue, ...]:
    """Several cues of the same strength."""
    return tuple(Cue(p, strength, negatable, reportable) for p in patterns)
