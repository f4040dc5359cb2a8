"""Is the response about *this* client and *this* moment? Grounding, stock phrases, echoes and
contradictions, judged against the client's line and what the rupture is about.

The detectors recognise the *form* of a repair move ("it sounds like", "I'm sorry I...");
this module asks whether the move is filled with anything tied to the moment. A sentence is
**grounded** when it names something of this moment: a word of the client's line or of the
node's `about`, or words that are not stock counselling phrasing. A sentence that earns credit
but would read the same after any client line is **formulaic**. See docs/scoring.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from simulator.scoring.detectors.base import Hit
from simulator.scoring.detectors.contradiction import contradictions
from simulator.scoring.detectors.questions import question_kind
from simulator.scoring.lexicon import FAMILY_OF, STOPWORDS, feeling_families, stem
from simulator.scoring.stock_words import GENERIC_WORDS
from simulator.scoring.text import Sentence, Span, Utterance

_MIN_SPECIFIC = 1  # specific words a sentence needs to count as grounded without an overlap
# Person shift for echo detection: the client's "I" is the response's "you".
_SHIFT = {"i": "you", "me": "you", "my": "your", "mine": "yours", "i'm": "you're",
          "i've": "you've", "i'd": "you'd", "i'll": "you'll", "myself": "yourself"}
_ASKING = frozenset(["open", "closed", "invite", "reflective"])
_OWNS_BACK = re.compile(r"^(?=.*\b(?:it|that|this)\b)(?=.*\b(?:i|i'm|i've|i'd|me|my)\b)")
_ECHO_SHARE = 0.7  # share of the response's content words taken from the client's line


@lru_cache(maxsize=8)
def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


def _content(words) -> list[str]:
    return [w for w in words if w not in STOPWORDS and len(w) > 2]


@dataclass(frozen=True)
class Moment:
    """What the response is judged against: the client's line and what the rupture is about."""

    client_stems: frozenset[str]
    about_stems: frozenset[str]
    client_families: frozenset[str]
    generic: frozenset[str] = GENERIC_WORDS  # words that would fit any client's moment
    # the words of the setting (a scenario node's cue, inner life and the client's story)
    setting_stems: frozenset[str] = frozenset()

    @classmethod
    def of(cls, client: Utterance, about: tuple[Utterance, ...] = (),
           shown: Utterance | None = None, generic: frozenset[str] = frozenset()) -> Moment:
        """The moment's vocabulary, from the normalised client line and `about` phrases; the
        feelings the client showed, from the line and `shown` (the node's cue and inner);
        `generic`: words the training corpus shows trainees use after any client line."""
        return _moment(client, about, shown, generic)

    @classmethod
    def build(cls, client: Utterance, about: tuple[Utterance, ...],
              shown: Utterance | None, generic: frozenset[str]) -> Moment:
        """Moment.of without the cache."""
        generic = GENERIC_WORDS | generic
        about_words = [w for phrase in about for w in _content(phrase.words) if w not in generic]
        felt = client.words + (shown.words if shown else ())
        setting = frozenset(stem(w) for w in _content(shown.words) if w not in generic
                            ) if shown else frozenset()
        return cls(frozenset(stem(w) for w in _content(client.words)),
                   frozenset(stem(w) for w in about_words),
                   frozenset(feeling_families(felt)), generic, setting)


@lru_cache(maxsize=512)  # one moment is met by many answers (a node, a corpus client line)
def _moment(client: Utterance, about: tuple[Utterance, ...], shown: Utterance | None,
            generic: frozenset[str]) -> Moment:
    return Moment.build(client, about, shown, generic)


@dataclass(frozen=True)
class Fit:
    """How one response fits its moment (canonical coordinates)."""

    grounded: tuple[Span, ...]  # sentences tied to this moment
    stock: tuple[Span, ...]  # sentences made only of stock phrasing
    echo: bool  # mostly the client's own words said back
    contradictions: tuple[tuple[float, Span], ...]  # (strength, span) denying the client


def _grounded(sentence: Sentence, moment: Moment) -> bool:
    """Whether the sentence names something of this moment by its own words."""
    stems = {stem(w) for w in _content(sentence.words)}
    about = bool(stems & moment.about_stems)
    shared = stems & (moment.client_stems - _stems(moment.generic))
    specific = [w for w in _content(sentence.words)
                if w not in moment.generic and w not in FAMILY_OF]
    # a named feeling is tied to the moment when it is one the client showed; a list of
    # feelings of several kinds is a guess that would fit anyone
    families = feeling_families(sentence.words)
    feeling_fits = len(families) == 1 and bool(families & moment.client_families)
    named = bool(stems & moment.setting_stems)
    return about or bool(shared) or named or feeling_fits or len(specific) >= _MIN_SPECIFIC


def _echoes(response: Utterance, client: Utterance) -> bool:
    """Whether the response is mostly the client's words said back (person shifted)."""
    said = {stem(_SHIFT.get(w, w)) for w in _content(client.words)}
    own = [stem(w) for w in _content(response.words) if w not in GENERIC_WORDS]
    if len(own) < 2 or not said:
        return False
    taken = sum(1 for w in own if w in said)
    return taken / len(own) >= _ECHO_SHARE and len(own) - taken <= 1


def fit(response: Utterance, client: Utterance, moment: Moment,
        found: list[Hit] | None = None) -> Fit:
    """How the response fits the moment (`found`: its contradictions, when already known)."""
    grounded: list[Span] = []
    stock: list[Span] = []
    previous_tied = False
    for sentence in response.sentences:
        own = _grounded(sentence, moment)
        # right after a sentence tied to the moment by its own words, a question or invitation
        # asks about that thing ("Twenty minutes is a long time. What was it like?"), and an
        # "I ... it/that" owns it ("...last week. I think I got it wrong.")
        tied = own or previous_tied and (question_kind(sentence) in _ASKING
                                         or _OWNS_BACK.search(sentence.text) is not None)
        (grounded if tied else stock).append((sentence.start, sentence.end))
        previous_tied = own
    return Fit(tuple(grounded), tuple(stock), _echoes(response, client),
               tuple((h.strength, h.span) for h in (
                   contradictions(response, client) if found is None else found)))
