"""Author-written indicator patterns, run with RE2 so matching time grows linearly with an answer.

Indicators come from scenario authors (a supervisor can upload them) and run on every answer.
RE2 never backtracks, so no pattern can freeze a worker the way chained repeats freeze Python's
`re`. The validator refuses what RE2 cannot compile and programs too big to search quickly;
the scorer stops matching once an answer's time budget is spent. Both use this module.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import re2

from simulator.scoring.result import Span

log = logging.getLogger(__name__)

MAX_PATTERN_LENGTH = 200
# RE2 instructions. A search costs up to about this many steps per byte of the answer (when a
# pattern built to defeat RE2's DFA sends it to its NFA): 300 keeps the worst search of a
# 5,000-character answer near 25 ms, while words, alternatives and \b stay under 200 even at the
# length limit. Long counted repeats ({0,25}) are what grow past it; * and + cost nothing here.
MAX_PROGRAM_SIZE = 250
# CPU time one answer may spend on all its indicators; a search under way when it runs out
# finishes, and the patterns after it are skipped for that answer. With one search of at most
# ~25 ms past it, an answer stays under the 50 ms target; the slowest shipped moment needs 7 ms.
MATCH_BUDGET_SECONDS = 0.025
# Matches of one pattern in one answer: a phrase marked this often is marked enough, and a
# pattern that matches every letter would otherwise spend the budget the others need.
MAX_MATCHES = 100
_MAX_MEMORY = 1 << 20  # per compiled pattern: bounds the DFA cache RE2 keeps between searches

# RE2's own error text, mapped to what an author should write instead (first match wins).
_ADVICE = (
    (r"invalid perl operator: \(\?<?[=!]",
     "uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which RE2 does not have; "
     "write the words you want to match"),
    (r"invalid escape sequence: \\[1-9]|invalid perl operator: \(\?P$",
     "uses a backreference (\\1 or (?P=name)), which RE2 does not have; write the words out"),
    (r"bad repetition operator: .*\+$",
     "uses a possessive repeat (*+, ++, ?+), which RE2 does not have and indicators do not "
     "need; drop the final +"),
    (r"invalid perl operator: \(\?>",
     "uses an atomic group (?>...), which RE2 does not have and indicators do not need; "
     "write (?:...)"),
    (r"invalid perl operator: \(\?\(",
     "uses a conditional group (?(...)...), which RE2 does not have; write two indicators"),
    (r"invalid perl operator: \(\?",
     "uses a (?...) form RE2 does not have (it knows (?:...), (?P<name>...) and the flags "
     "i, m, s and U); indicators already ignore case"),
    (r"invalid escape sequence: \\Z", "uses \\Z; RE2 writes the end of the answer as \\z"),
    (r"invalid escape sequence: \\[uUN]",
     "uses \\u, \\U or \\N, which RE2 does not have; type the character itself"),
    (r"pattern too large",
     "is too complex to search quickly; use * or + instead of long counted repeats such as "
     "{0,25}"),
    (r"invalid repetition size",
     "repeats more than 1,000 times (nested counts multiply); use * or + for 'any number'"),
    (r"^missing \)", "has a ( without its closing ); close it, or write \\( for the character"),
    (r"^unexpected \)", "has a ) without its opening (; write \\) for the character"),
    (r"^missing \]", "has a [ without its closing ]; close it, or write \\[ for the character"),
)
_UP_TO = re.compile(r"\{,(\d+)\}")  # Python reads {,5} as {0,5}; RE2 as the text "{,5}"
# Every kind of place an empty match can depend on (start, end, word, space, line break on each
# side), so a pattern that can match nothing at all (\b, (sorry)?) shows it on one of these.
_EMPTY_PROBES = tuple(before + after for before in ("", "a", " ", "\n")
                      for after in ("", "b", " ", "\n"))


class IndicatorError(ValueError):
    """A pattern that cannot be used as an indicator; the message says why and what to do."""


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.never_capture = True  # only the whole match's span is used; lets RE2 use its DFA
    options.log_errors = False  # refusals are reported to the author, not to stderr
    options.max_mem = _MAX_MEMORY
    return options


def _explain(pattern: str, error: str) -> str:
    for shape, advice in _ADVICE:
        if re.search(shape, error):
            return f"regular expression '{pattern}' {advice}"
    return f"invalid regular expression '{pattern}': {error}"


def _up_to(pattern: str) -> str | None:
    """The n of a `{,n}` outside a character class and not escaped, or None."""
    escaped = in_class = False
    for i, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "{" and not in_class and (found := _UP_TO.match(pattern, i)):
            return found.group(1)
    return None


def _matches_nothing(regex) -> bool:
    return any(m.start() == m.end() for probe in _EMPTY_PROBES for m in regex.finditer(probe))


@lru_cache(maxsize=256)
def compiled(pattern: str):
    """The pattern compiled with RE2, case-insensitive (raises IndicatorError)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise IndicatorError(f"pattern is {len(pattern)} characters long (limit "
                             f"{MAX_PATTERN_LENGTH}); split it into shorter indicators")
    try:
        regex = re2.compile(pattern, _options())
    except re2.error as exc:
        detail = exc.args[0] if exc.args else ""
        text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        raise IndicatorError(_explain(pattern, text)) from None
    except UnicodeEncodeError:
        raise IndicatorError(f"regular expression {pattern!r} holds a character that is not "
                             "text (a lone surrogate); retype it") from None
    if regex.programsize > MAX_PROGRAM_SIZE:
        raise IndicatorError(f"regular expression '{pattern}' is too complex to search quickly "
                             f"({regex.programsize:,} instructions once compiled; limit "
                             f"{MAX_PROGRAM_SIZE}); use * or + instead of long counted repeats "
                             "such as {0,25}")
    if _matches_nothing(regex):
        raise IndicatorError(f"regular expression '{pattern}' can match without any text, which "
                             "marks nothing; make at least one part required, as in sorry rather "
                             "than (sorry)?")
    count = _up_to(pattern)
    if count is not None:
        raise IndicatorError(f"regular expression '{pattern}' uses {{,{count}}}, which RE2 reads "
                             f"as the text '{{,{count}}}'; write {{0,{count}}} for 'up to "
                             f"{count} times'")
    return regex


def regex_problem(pattern: str) -> str | None:
    """Why this indicator pattern cannot be used, or None if it can."""
    try:
        compiled(pattern)
    except IndicatorError as exc:
        return str(exc)
    return None


class MatchBudget:
    """The CPU time one answer's indicators may take, shared by every call for that answer."""

    def __init__(self, seconds: float = MATCH_BUDGET_SECONDS,
                 clock: Callable[[], float] = time.thread_time) -> None:
        self.seconds = seconds
        self.clock = clock  # CPU time of this thread, so other requests' work is not counted
        self.used = 0.0
        self.exhausted = False
        self._since: float | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        """Count the time spent inside the block against the budget."""
        self._since = self.clock()
        try:
            yield
        finally:
            self.used += self.clock() - self._since
            self._since = None

    def spent(self) -> bool:
        """True once the time used, including the block under way, reaches the budget."""
        running = self.clock() - self._since if self._since is not None else 0.0
        if not self.exhausted and self.used + running >= self.seconds:
            self.exhausted = True
            log.warning("indicator matching stopped: one answer's budget of %d ms is spent; "
                        "the remaining patterns give no evidence for it",
                        round(self.seconds * 1000))
        return self.exhausted


def _searchable(text: str) -> str:
    """The text with any lone surrogate replaced (RE2 reads UTF-8); offsets stay the same."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text


def _spans(text: str, patterns: Sequence[str], budget: MatchBudget) -> Iterator[Span]:
    # The budget is checked before every search, so at most one search runs past it.
    for pattern in patterns:
        if budget.spent():
            return
        try:
            regex = compiled(pattern)
        except IndicatorError:  # only in a version stored before today's rules (a warning)
            continue
        for count, match in enumerate(regex.finditer(text), start=1):
            yield match.span()
            if count == MAX_MATCHES or budget.spent():
                break


def indicator_spans(text: str, patterns: Sequence[str] | None,
                    budget: MatchBudget) -> list[Span]:
    """Where the patterns match the text (empty matches left out), as far as the budget goes."""
    if not patterns:
        return []
    with budget.running():
        return [(start, end) for start, end in _spans(_searchable(text), patterns, budget)
                if end > start]
