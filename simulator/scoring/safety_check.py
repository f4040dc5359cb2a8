"""The safety layer: whether an answer checks risk where the client gave a risk cue, and whether
it crosses a boundary (docs/scoring.md, "Safety and boundaries").

Rules, not the trained model: the labelled corpus has no risk moments, and these moves are
defined by their form (the Columbia screener's plain questions; a setting's safeguarding duty;
giving contact details or promising secrecy). The scorer only judges `safety` at a node whose
client line carries a risk cue, so a risk question pasted anywhere else earns nothing.

A direct question must never make an answer score worse: the sentence part that asks (or
signposts crisis support) is blanked before the rest of the answer is judged, so the rupture
work is scored on the same words with or without it, and signposting is never "advice".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.scoring.result import Span

# Scores on the safety criterion's scale (its levels are 0.3 Emerging, 0.55 Clear, 0.8 Strong).
DIRECT = 0.7  # a plain question about this kind of risk
FOLLOW_UP = 0.15  # and it goes on: now, plan, how often, what was done; or safeguarding honesty
STAYS = 0.1  # and it stays with the person: the cue is taken up in the client's own words
INDIRECT = 0.3  # a euphemism, a leading "you're not..., are you?", or a vague "are you ok?"
SIGNPOST_ONLY = 0.35  # crisis support named, without asking (signposting instead of staying)
BOUNDARY = 0.9  # a boundary crossed, on the boundary_violation flag's scale

_I = re.IGNORECASE
_END = r"[^.?!\n]*"  # the rest of a sentence

# Ways of asking. With these, a sentence asks even when the trainee types no "?".
_ASK = (r"\b(?:are|were|have|had|do|did|is|was|has|would|could|will|can)\s+(?:you|he|she|they|"
        r"anyone|anybody|someone|it|there|your|the)\b|\b(?:I\s+(?:want|need|would\s+like|'d\s+like|"
        r"have|must)\s+to\s+ask|(?:can|could|may)\s+I\s+ask|I(?:'m|\s+am)\s+(?:going\s+to|gonna)"
        r"\s+ask|I\s+wonder(?:ed)?\s+(?:if|whether)|I(?:'m|\s+am)\s+wondering\s+(?:if|whether)|"
        r"tell\s+me\s+(?:if|whether|about)|how\s+(?:often|long|bad|deep|far|close|safe|much)|"
        r"when\s+(?:did|was|were)|what\s+(?:happened|have\s+you|did\s+you|would|keeps))")
_ASK_RE = re.compile(_ASK, _I)

_SUICIDE = (r"suicid\w*|kill(?:ing)?\s+(?:yourself|your\s*self)|end(?:ing)?\s+(?:your\s+(?:own\s+)?"
            r"life|it\s+all|your\s+life|things)|tak(?:e|ing)\s+your\s+(?:own\s+)?life|(?:want(?:ing)?"
            r"|wish(?:ing)?)\s+(?:to\s+(?:die|be\s+dead)|you\s+were\s+dead|you\s+weren'?t\s+(?:here|"
            r"alive))|(?:not|no\s+longer)\s+(?:want(?:ing)?\s+to\s+)?(?:be\s+)?(?:here|alive|around)"
            r"|(?:not\s+)?wak(?:e|ing)\s+up|(?:being|be)\s+dead|better\s+off\s+dead|dying")
_SELF_HARM = (r"self[-\s]?harm\w*|(?:hurt|harm|cut|burn|injur)(?:e|s|ing|ed)?\s+(?:yourself|"
              r"your\s*self)|cutting|the\s+cuts?|your\s+(?:arms?|wrists?|legs?)|"
              r"(?:wounds?|cuts?)\s+(?:need|looked\s+at|seen|clean)")
_SAFE = (r"safe(?:ty)?\s+(?:now|right\s+now|at\s+home|tonight|today|there|going\s+home|with)|"
         r"(?:is|are)\s+(?:he|she|they|you|the\s+\w+|your\s+\w+|\w+)\s+safe\b")
_OTHERS = (r"(?:hurt|harm|kill|attack)(?:s|ing)?\s+(?:him|her|them|someone|somebody|anyone|anybody|"
           r"people|others)|" + _SAFE)
_CHILD = (r"(?:did|was|were|is|has)\s+(?:he|she|they|\w+)\s+(?:get\s+)?(?:hurt|injured|harmed|"
          r"bruised|marked|hit|seen\s+(?:a|by)\s+\w+)|" + _SAFE +
          r"|(?:anyone|anybody|someone)\s+(?:else\s+)?(?:hurting|harming|hitting)")
_ABUSE = (r"afraid\s+of|frightened\s+of|scared\s+of|(?:hurt|hit|harm|threaten|control)(?:s|ed|ing)?"
          r"\s+you|" + _SAFE + r"|are\s+you\s+safe")

_KIND_TERMS = {
    "suicidal-ideation": _SUICIDE,
    "self-harm": _SELF_HARM + "|" + _SUICIDE,
    "harm-to-others": _OTHERS,
    "child-safeguarding": _CHILD,
    "domestic-abuse": _ABUSE,
}
_KIND_RE = {kind: re.compile(r"\b(?:" + terms + r")", _I) for kind, terms in _KIND_TERMS.items()}

# Honesty about the limits of confidentiality (also counted in a sentence after the question).
_HONEST = (r"safeguarding|confidential\w*|(?:need|have|must)\s+to\s+(?:share|tell|pass|talk\s+to|"
           r"speak\s+to|let)|can'?t\s+keep\s+(?:this|that|it)|(?:share|pass)\s+(?:this|that|it)\s+"
           r"(?:on|with)")
_HONEST_RE = re.compile(rf"\b(?:{_HONEST})\b", _I)
# Going further: now, plan, means, frequency, what was done; or honesty about what must be shared.
_FOLLOW_UP_RE = re.compile(
    r"\b(?:right\s+now|at\s+the\s+moment|tonight|today|plans?|planned|method|means|how\s+often|"
    r"how\s+long|how\s+close|acted\s+on|act\s+on|done\s+anything|tried|in\s+the\s+past|before|"
    rf"stop\s+you|keep\s+(?:you|yourself|him|her|them)\s+safe|{_HONEST})\b", _I)

# Asking so that the answer "no" is expected, or not naming the risk at all.
_LEADING_RE = re.compile(
    r"\b(?:you(?:'re|\s+are)?\s+not|you\s+(?:aren'?t|wouldn'?t|won'?t|don'?t))\b" + _END +
    r"\b(?:are|would|will|do|could)\s+you\W*$|\b(?:anything|something)\s+(?:silly|stupid|daft|"
    r"rash|drastic|foolish)\b|\bnot\s+(?:thinking|planning)\s+of\s+doing\s+anything\b", _I)
_VAGUE_RE = re.compile(
    r"\b(?:are\s+you\s+(?:ok(?:ay)?|alright|all\s+right|coping|safe)|keep\s+yourself\s+safe|"
    r"look\s+after\s+yourself|how\s+are\s+you\s+coping|you(?:'ll|\s+will)\s+be\s+(?:ok(?:ay)?|"
    r"alright))\b", _I)

_SIGNPOST_RE = re.compile(
    r"\b(?:samaritans|116\s*123|999|111|a\s*&\s*e|a\s+and\s+e|crisis\s+(?:line|team|service|"
    r"number|cafe)|helpline|emergency\s+services|shout|85258|childline|nspcc|refuge|"
    r"out[-\s]of[-\s]hours|duty\s+(?:doctor|team|worker)|gp)\b", _I)

# Boundaries: contact details, secrecy promised about risk, gifts and friendship accepted.
_CONTACT_RE = re.compile(
    r"\b(?:here'?s|here\s+is|take|have|give\s+you|i'?ll\s+give\s+you|i\s+will\s+give\s+you)\s+my\s+"
    r"(?:personal\s+|private\s+|own\s+)?(?:mobile|phone|number|email|whatsapp|instagram|snapchat|"
    r"address)|\bmy\s+(?:personal|private|own)\s+(?:mobile|phone|number|email|account)|"
    r"\b(?:text|call|message|whatsapp|dm|ring|email)\s+me\s+(?:any\s*time|whenever|at\s+night|"
    r"at\s+the\s+weekend|on\s+my|directly|personally)|\badd\s+me\s+on\b|\bfollow\s+me\s+on\b", _I)
_SECRET_RE = re.compile(
    r"\b(?:i\s+(?:won'?t|will\s+not|promise\s+not\s+to|'ll\s+never|will\s+never|wouldn'?t)\s+"
    r"(?:tell|say\s+anything\s+to|mention\s+(?:it|this)\s+to|share\s+(?:it|this)\s+with|pass\s+"
    r"(?:it|this)\s+on\s+to)\s+(?:anyone|anybody|the\s+\w+|your\s+\w+|them|him|her)|"
    r"(?:it|this|that)\s+(?:stays|will\s+stay|can\s+stay|'ll\s+stay)\s+between\s+(?:us|you\s+and\s+me)"
    r"|(?:our|a)\s+(?:little\s+)?secret|i(?:'ll|\s+will)\s+keep\s+(?:it|this|that)\s+(?:to\s+myself|"
    r"between\s+us|secret|quiet))"
    r"(?!\s+(?:without\s+you|behind\s+your\s+back|until\s+we|before\s+we|unless\s+you))|"
    r"\b(?:it|this|that)\s+(?:stays|will\s+stay|can\s+stay)\s+(?:here\s+)?in\s+(?:this|the)\s+room|"
    r"\bwon'?t\s+say\s+a\s+word|\bkeep\s+quiet\s+about\s+(?:it|this|that)|"
    r"\b(?:nobody|no\s+one|no-one)\s+(?:else\s+)?(?:will|needs\s+to)\s+know|"
    r"\byou\s+have\s+my\s+word", _I)
_GIFT_RE = re.compile(
    r"\b(?:i'?d\s+love\s+to|happy\s+to|i'?ll\s+gladly|yes,?\s+let'?s|we\s+could|let'?s)\s+(?:meet|"
    r"grab|have|get|go\s+for)\s+(?:up\s+for\s+)?(?:a\s+)?(?:coffee|drink|lunch|dinner|a\s+meal)|"
    r"\bbe\s+friends\b(?!\s+(?:here|in\s+this))|\b(?:i'?ll|i\s+will|i'?d\s+love\s+to|happy\s+to)\s+"
    r"(?:gladly\s+|happily\s+|just\s+)?(?:accept|keep|take)\s+(?:your|the|this)\s+"
    r"(?:gift|present|money|envelope)", _I)
# A refusal in the same sentence before the match turns it round ("I can't promise I won't tell").
_REFUSAL_RE = re.compile(
    r"\b(?:can'?t|cannot|can\s+not|couldn'?t|won'?t|will\s+not|never|not\s+able\s+to|"
    r"unable\s+to|wish\s+i\s+could|"
    r"won'?t\s+be\s+able\s+to|isn'?t\s+something\s+i\s+can|not\s+something\s+i\s+can|"
    r"i'?m\s+not\s+going\s+to|i\s+don'?t)\b", _I)

_SENTENCE_RE = re.compile(r"[^.?!\n]+[.?!]*")


@dataclass(frozen=True)
class SafetyJudgement:
    """`score` on the safety criterion; `spans` its evidence; `blank` the parts of the answer
    that ask about risk or signpost (judged here, and left out when the rupture work is)."""

    score: float
    spans: tuple[Span, ...]
    blank: tuple[Span, ...]


def _sentences(text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text)]


def _clause_start(sentence: str, at: int) -> int:
    """Where the clause holding position `at` begins within a sentence."""
    cut = max(sentence.rfind(mark, 0, at) for mark in (",", ";", ":", " - ", "\u2014"))
    return cut + 1 if cut >= 0 else 0


def _ask_start(sentence: str, kinds: Sequence[re.Pattern]) -> int | None:
    """Where a sentence starts asking about one of these risks, or None: from the first way of
    asking that has a risk term after it (words before it, such as the client's own words
    taken up, stay part of the rupture work); a sentence ending in "?" asks from the clause of
    its last risk term."""
    terms = [m.start() for regex in kinds for m in regex.finditer(sentence)]
    if not terms:
        return None
    for stem in _ASK_RE.finditer(sentence):
        if any(at >= stem.start() for at in terms):
            return stem.start()
    if sentence.rstrip().endswith("?"):
        return _clause_start(sentence, max(terms))
    return None


def judge_safety(response: str, risk: Sequence[str], cue_words: Iterable[str] = (),
                 indicator_spans: Sequence[Span] = ()) -> SafetyJudgement:
    """The safety criterion for an answer at a node carrying these risk kinds (none: 0)."""
    if not risk or not response.strip():
        return SafetyJudgement(0.0, (), ())
    kinds = [_KIND_RE[kind] for kind in risk if kind in _KIND_RE]
    asks: list[Span] = []
    indirect: list[Span] = []
    signposts: list[Span] = []
    follow_up = False
    for start, end in _sentences(response):
        sentence = response[start:end]
        signpost = _SIGNPOST_RE.search(sentence)
        if signpost:
            signposts.append((start + _clause_start(sentence, signpost.start()),
                              end))
        leading = _LEADING_RE.search(sentence)
        ask_from = _ask_start(sentence, kinds)
        if ask_from is not None and not leading:
            asks.append((start + ask_from, end))
            follow_up = follow_up or bool(_FOLLOW_UP_RE.search(sentence, ask_from))
        elif leading or _VAGUE_RE.search(sentence):
            indirect.append((start, end))
        elif asks and _FOLLOW_UP_RE.search(sentence) and _ASK_RE.search(sentence):
            follow_up = True
            asks.append((start, end))
        elif asks and _HONEST_RE.search(sentence):
            follow_up = True  # honesty about what must be shared; it stays part of the repair too
    asks.extend(indicator_spans)
    if asks:
        score = DIRECT + (FOLLOW_UP if follow_up else 0.0)
        rest = " ".join(response[a:b] for a, b in _outside(response, asks)).lower()
        if any(word.lower() in rest for word in cue_words if len(word) > 3):
            score += STAYS
        return SafetyJudgement(round(min(score, 0.95), 4), tuple(sorted(asks)),
                               tuple(sorted(asks + signposts)))
    if signposts:
        return SafetyJudgement(SIGNPOST_ONLY, tuple(signposts), tuple(signposts))
    if indirect:
        return SafetyJudgement(INDIRECT, tuple(indirect), ())
    return SafetyJudgement(0.0, (), ())


def _outside(text: str, spans: Sequence[Span]) -> list[Span]:
    """The parts of text not covered by spans."""
    parts, at = [], 0
    for start, end in sorted(spans):
        if start > at:
            parts.append((at, start))
        at = max(at, end)
    if at < len(text):
        parts.append((at, len(text)))
    return parts


def blanked(text: str, spans: Sequence[Span]) -> str:
    """The text with these spans replaced by spaces (positions unchanged)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def boundary_spans(response: str, risk: Sequence[str] = ()) -> tuple[Span, ...]:
    """Where the answer gives personal contact, accepts a gift or a friendship, or, at a moment
    carrying a risk cue, promises to keep it secret (elsewhere "I won't tell your manager" is
    ordinary confidentiality); a refusal earlier in the same sentence ("I can't promise...")
    turns it round."""
    found: list[Span] = []
    kinds = (_CONTACT_RE, _GIFT_RE, _SECRET_RE) if risk else (_CONTACT_RE, _GIFT_RE)
    for start, end in _sentences(response):
        sentence = response[start:end]
        for regex in kinds:
            for match in regex.finditer(sentence):
                if _REFUSAL_RE.search(sentence, 0, match.start()):
                    continue
                found.append((start + match.start(), start + match.end()))
    return tuple(sorted(found))


# A plain direct question per kind of risk: the self-test adds one to every exemplar at a risk
# node and checks it never routes worse (docs/authoring.md, "Writing a risk node").
DIRECT_QUESTIONS = {
    "suicidal-ideation": "I want to ask you directly: are you having thoughts of ending your life?",
    "self-harm": "Can I ask you directly: are you hurting yourself at the moment?",
    "harm-to-others": "I need to ask you plainly: are you having thoughts of hurting someone?",
    "child-safeguarding": "I need to ask you plainly: is the child safe right now?",
    "domestic-abuse": "Can I ask you plainly: are you safe at home?",
}
