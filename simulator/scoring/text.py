"""Canonical text for the detectors: how a response is typed must not change what it means.

A response is lower-cased, its words repaired (missing apostrophes, phone shorthand, common
typos, American spellings, contractions written out) and rejoined with single spaces, without
punctuation. Sentence boundaries are then *inferred from the words* (see `segment.py`), the
same way whether or not the writer typed full stops, so "i rushed you im sorry" and "I rushed
you. I'm sorry." are the same text to every detector. Question marks are ignored too: a question
is known by its words ("what happened", "do you"), as it is in speech, so typing one or not
changes nothing. Every token remembers where it came from, so evidence spans map back to the
words as typed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from simulator.scoring.lexicon import (
    AUXILIARIES,
    CANONICAL,
    FILLERS,
    SPELLING,
    WH_WORDS,
    YOURE_NEXT,
    canonical_spelling,
)
from simulator.scoring.segment import boundaries

Span = tuple[int, int]

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u02bc": "'", "`": "'", "\u00b4": "'"})
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|\n")
_WH_CONTRACTED = frozenset(["what's", "how's", "where's", "who's", "why's", "when's"])
_SUBJECTS = frozenset(["you", "i", "we", "it", "they", "he", "she"])
_LONGEST_PHRASE = max(len(key.split()) for key in CANONICAL)
_PHRASE_STARTS = frozenset(key.split()[0] for key in CANONICAL)


@dataclass(frozen=True)
class Sentence:
    """One inferred sentence of the canonical text, with its span and its words."""

    start: int
    end: int
    text: str
    words: tuple[str, ...]

    @property
    def head(self) -> tuple[str, ...]:
        """The words after any spoken fillers ("so", "okay", "um")."""
        words = self.words
        i = 0
        while i < len(words) - 1 and words[i] in FILLERS:
            i += 1
        return words[i:]

    @property
    def is_question(self) -> bool:
        """Opens with a question's word order: "do you...", "what happened..." (never by "?")."""
        head = self.head
        if len(head) < 2:
            return False
        if head[0] in _WH_CONTRACTED:
            return True
        if head[0] in AUXILIARIES:
            return head[1] in _SUBJECTS or head[1] in ("that", "there", "this")
        # "what happened", "how's it been" ask; "what you said", "how it feels" report
        return head[0] in WH_WORDS and head[1] not in _SUBJECTS and head[1] != "i'm"


@dataclass(frozen=True)
class Utterance:
    """A response or client line in canonical form, with a map back to the raw characters."""

    raw: str
    norm: str
    tokens: tuple[str, ...]
    # per token: its [start, end) in norm and the [start, end) of the raw text it came from
    norm_spans: tuple[Span, ...]
    raw_spans: tuple[Span, ...]
    breaks: frozenset[int]  # indices of tokens directly preceded by a typed line break

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Inferred sentences in order; text and spans are in canonical coordinates."""
        found = []
        cuts = [0, *boundaries(self.tokens, self.breaks), len(self.tokens)]
        for first, stop in zip(cuts, cuts[1:], strict=False):
            if stop <= first:
                continue
            start, end = self.norm_spans[first][0], self.norm_spans[stop - 1][1]
            found.append(Sentence(start, end, self.norm[start:end], self.tokens[first:stop]))
        return tuple(found)

    @property
    def words(self) -> tuple[str, ...]:
        """All words of the canonical text."""
        return self.tokens

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence containing canonical position `pos`."""
        for sentence in self.sentences:
            if sentence.start <= pos < sentence.end:
                return sentence
        return None

    @cached_property
    def _starts(self) -> tuple[int, ...]:
        return tuple(start for start, _ in self.norm_spans)

    @cached_property
    def _ends(self) -> tuple[int, ...]:
        return tuple(end for _, end in self.norm_spans)

    def to_raw(self, span: Span) -> Span:
        """Map a canonical [start, end) span to the raw words it covers (whole tokens)."""
        if not self.norm_spans:
            return 0, 0
        start, end = span
        first = min(bisect_right(self._ends, start), len(self._ends) - 1)
        last = max(bisect_left(self._starts, end) - 1, first)
        return self.raw_spans[first][0], self.raw_spans[last][1]


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; keep offsets stable
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_QUOTES)


def _repair(word: str, following: str | None) -> str:
    """One typed word in canonical spelling ("dont" -> "don't", "realize" -> "realise")."""
    if word == "your" and following is not None and (
            following in YOURE_NEXT or following.endswith("ing")):
        return "you're"
    return SPELLING.get(word) or canonical_spelling(word)


def _raw_tokens(lowered: str) -> tuple[list[tuple[str, Span]], set[int]]:
    """Words with their raw spans, and which words a typed line break precedes."""
    words: list[tuple[str, Span]] = []
    breaks: set[int] = set()
    for m in _TOKEN.finditer(lowered):
        if m.group() == "\n":
            breaks.add(len(words))
        else:
            words.append((m.group(), m.span()))
    return words, breaks


def _canonical(words: list[tuple[str, Span]], breaks: set[int]):
    """Repair each word, then rewrite phrases ("i am" -> "i'm"), keeping raw spans and marks."""
    repaired: list[tuple[str, Span, int]] = []  # (word, raw span, index of the typed word)
    for i, (word, span) in enumerate(words):
        following = words[i + 1][0] if i + 1 < len(words) else None
        for part in _repair(word, following).split():
            repaired.append((part, span, i))
    out: list[tuple[str, Span, int]] = []
    i = 0
    while i < len(repaired):
        sizes = (range(min(_LONGEST_PHRASE, len(repaired) - i), 1, -1)
                 if repaired[i][0] in _PHRASE_STARTS else ())
        for size in sizes:
            phrase = " ".join(w for w, _, _ in repaired[i:i + size])
            if phrase in CANONICAL:
                span = (repaired[i][1][0], repaired[i + size - 1][1][1])
                out.extend((part, span, repaired[i + size - 1][2])
                           for part in CANONICAL[phrase].split())
                i += size
                break
        else:
            out.append(repaired[i])
            i += 1
    tokens = tuple(w for w, _, _ in out)
    new_breaks = {k for k, (_, _, src) in enumerate(out) if src in breaks
                  and (k == 0 or out[k - 1][2] != src)}
    return tokens, tuple(span for _, span, _ in out), new_breaks


@lru_cache(maxsize=4096)  # client lines and `about` phrases recur across many answers
def normalise(text: str) -> Utterance:
    """Canonical words joined by single spaces, inferred sentences, and the map back."""
    words, breaks = _raw_tokens(_lower(text))
    tokens, raw_spans, breaks = _canonical(words, breaks)
    norm_spans = []
    pos = 0
    for token in tokens:
        norm_spans.append((pos, pos + len(token)))
        pos += len(token) + 1
    return Utterance(text, " ".join(tokens), tokens, tuple(norm_spans), raw_spans,
                     frozenset(breaks))

