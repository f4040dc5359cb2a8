"""Indicator regexes come from authors and run on every answer, so only a safe subset is allowed.

We parse each pattern with the standard library's own regex parser and reject the shapes that
can backtrack catastrophically (a repeated group that itself repeats or holds an optional
part, overlapping alternatives under a repeat, more than one open-ended repeat, a repeated
capturing group) and backreferences, which make matching non-regular.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+ keeps the parser here; older versions name it sre_parse.
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_PATTERN_LENGTH = 200
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
_BACKREFS = {sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS}
_ANY_CHAR = object()  # marker: the first character could be anything


def regex_problem(pattern: str) -> str | None:
    """Why this indicator pattern is not allowed, or None if it is safe to use."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"pattern is {len(pattern)} characters long (limit {MAX_PATTERN_LENGTH})"
    try:
        re.compile(pattern, re.IGNORECASE)
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"invalid regular expression '{pattern}': {exc}"
    reason = _unsafe(list(parsed), repeated=False) or _too_many_open_repeats(list(parsed))
    return f"unsafe regular expression '{pattern}': {reason}" if reason else None


def _open_repeats(items: list) -> int:
    """How many open-ended repeats (*, +, {n,}) the pattern holds, at any depth."""
    count = 0
    for op, arg in items:
        if op in _REPEATS:
            count += (arg[1] == sre_constants.MAXREPEAT) + _open_repeats(list(arg[2]))
        elif op is sre_constants.BRANCH:
            count += sum(_open_repeats(list(alt)) for alt in arg[1])
        elif op is sre_constants.SUBPATTERN:
            count += _open_repeats(list(arg[-1]))
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            count += _open_repeats(list(arg[1]))
    return count


def _too_many_open_repeats(items: list) -> str | None:
    # Two open-ended repeats that can take the same characters (a*a*b, .*.*=) try every way
    # of sharing a long answer between them; one is always enough for an indicator.
    if _open_repeats(items) > 1:
        return "more than one open-ended repeat (*, + or {n,}); an indicator needs at most one"
    return None


def _unsafe(items: list, *, repeated: bool) -> str | None:
    for op, arg in items:
        reason = _unsafe_item(op, arg, repeated=repeated)
        if reason:
            return reason
    return None


def _unsafe_item(op: Any, arg: Any, *, repeated: bool) -> str | None:
    if op in _BACKREFS:
        return "backreferences (\\1, (?P=name)) are not allowed"
    if op in _REPEATS:
        low, high, body = arg
        if repeated and (high > 1 or low != high):
            return "nested quantifier (a repeated part inside a repeated group, like (a+)+)"
        inner = _unsafe(list(body), repeated=repeated or high > 1)
        if inner is None and high > 1 and _captures(list(body)):
            return "a repeated capturing group; repeat a group written (?:...) instead"
        return inner
    if op is sre_constants.BRANCH:
        alternatives = [list(alt) for alt in arg[1]]
        if repeated and _overlapping(alternatives):
            return "alternatives that can match the same text inside a repeated group, like (a|a)*"
        return next((r for alt in alternatives if (r := _unsafe(alt, repeated=repeated))), None)
    if op is sre_constants.SUBPATTERN:
        return _unsafe(list(arg[-1]), repeated=repeated)
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _unsafe(list(arg[1]), repeated=repeated)
    return None


def _captures(items: list) -> bool:
    """True when the sequence is a capturing group (slow to repeat: every pass records it)."""
    return len(items) == 1 and items[0][0] is sre_constants.SUBPATTERN and items[0][1][0]


def _overlapping(alternatives: list[list]) -> bool:
    firsts = [_first_chars(alt) for alt in alternatives]
    for i, first in enumerate(firsts):
        for other in firsts[i + 1:]:
            if first is _ANY_CHAR or other is _ANY_CHAR or first & other:
                return True
    return False


def _first_chars(items: list) -> set[int] | object:
    """Literal characters a sequence can start with; _ANY_CHAR when that is not simple to know."""
    if not items:
        return _ANY_CHAR  # an empty alternative matches anywhere
    op, arg = items[0]
    if op is sre_constants.LITERAL:
        return {arg, ord(chr(arg).lower()), ord(chr(arg).upper())}
    if op is sre_constants.SUBPATTERN:
        return _first_chars(list(arg[-1]) + items[1:])
    if op is sre_constants.AT:  # \b, ^ and $ take no characters
        return _first_chars(items[1:])
    return _ANY_CHAR
