"""Normalised text with a map back to the original characters, split into sentences."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from simulator.scoring.lexicon import AUXILIARIES, FILLERS, SPELLING, WH_WORDS, YOURE_NEXT

Span = tuple[int, int]

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                         "\u2026": ".", "\u2014": ",", "\u2013": ","})
# Only words that may need repair are visited: one scan instead of a lookup per word.
_TOKEN = re.compile(
    r"(?<![a-z'])(?:" + "|".join(sorted([*SPELLING, "your"], key=len, reverse=True))
    + r")(?![a-z']|'[a-z])"
)
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;]+|\n|$)")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the normalised text, with its span and its opening words."""

    start: int
    end: int
    text: str
    words: tuple[str, ...]
    terminal: str  # the closing punctuation, "" if none

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
        """Ends with "?", or (in unpunctuated speech) opens with a question word order."""
        if "?" in self.terminal:
            return True
        if self.terminal:
            return False
        head = self.head
        if len(head) < 2:
            return False
        return head[0] in AUXILIARIES and head[1] in ("you", "i", "we", "it", "that", "there") or (
            head[0] in WH_WORDS and head[1] in AUXILIARIES
        )


@dataclass(frozen=True)
class Utterance:
    """A response or client line: lower-cased, apostrophes and common typos repaired."""

    raw: str
    norm: str
    # (norm_start, norm_end, raw_start, raw_end) for every token that was rewritten
    segments: tuple[tuple[int, int, int, int], ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Sentences in order; text and spans are in normalised coordinates."""
        found = []
        for m in _SENTENCE.finditer(self.norm):
            body = m.group().rstrip()
            stripped = body.lstrip(" ,\t\"'-(")
            if not _WORD.search(stripped):
                continue
            start = m.start() + len(body) - len(stripped)
            terminal = stripped[len(stripped.rstrip(".!?;")):]
            words = tuple(_WORD.findall(stripped))
            found.append(Sentence(start, start + len(stripped), stripped, words, terminal))
        return tuple(found)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """All words of the normalised text."""
        return tuple(_WORD.findall(self.norm))

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence containing normalised position `pos`."""
        for sentence in self.sentences:
            if sentence.start <= pos < sentence.end:
                return sentence
        return None

    def to_raw(self, span: Span) -> Span:
        """Map a normalised [start, end) span to the same words in the raw text."""
        start, end = span
        if not self.segments:
            return start, end
        i = bisect_right(self._starts, start) - 1
        if i >= 0:
            ns, ne, rs, re_ = self.segments[i]
            start = rs if start < ne else start - ne + re_
        j = bisect_left(self._starts, end) - 1
        if j >= 0:
            ns, ne, rs, re_ = self.segments[j]
            end = re_ if end <= ne else end - ne + re_
        return start, end


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two; keep offsets stable
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered.translate(_QUOTES)


def _replacement(lowered: str, match: re.Match) -> str | None:
    word = match.group()
    if word == "your":
        following = _NEXT_WORD.match(lowered, match.end())
        if following and (following.group(1) in YOURE_NEXT or following.group(1).endswith("ing")):
            return "you're"
        return None
    return SPELLING.get(word)


def normalise(text: str) -> Utterance:
    """Lower-case, straighten quotes, repair apostrophes and common typos, keep an offset map."""
    lowered = _lower(text)
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    pos = out = 0
    for match in _TOKEN.finditer(lowered):
        replacement = _replacement(lowered, match)
        if replacement is None:
            continue
        pieces.append(lowered[pos:match.start()])
        out += match.start() - pos
        segments.append((out, out + len(replacement), match.start(), match.end()))
        pieces.append(replacement)
        out += len(replacement)
        pos = match.end()
    if not segments:
        return Utterance(text, lowered)
    pieces.append(lowered[pos:])
    return Utterance(text, "".join(pieces), tuple(segments), tuple(s[0] for s in segments))
