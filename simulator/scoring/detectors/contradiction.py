"""Contradicting the client: denying, correcting or replacing what they said or showed.

"I don't think you're really angry", "you're just tired", "clearly you are upset" (to a client
who said they are not), "I think you do want to", "you just can't see it", or naming a feeling
of the opposite kind to the one the client showed. A contradiction is never a reflection: the
context rules (moment_rules.py) take reflection and validation evidence out of its sentence.
"""

from __future__ import annotations

import re

from simulator.scoring.detectors.base import Context, Detector, Hit, register
from simulator.scoring.lexicon import feeling_families
from simulator.scoring.text import Utterance

_EMOTION = (
    r"(?:angry|upset|annoyed|cross|mad|furious|hurt|sad|worried|anxious|scared|frightened"
    r"|bothered|offended|frustrated|disappointed|jealous|ashamed|embarrassed|bitter|resentful"
    r"|fed up|depressed|low|down|lonely|afraid|nervous|stressed|irritated|pissed off|let down)"
)
_PATTERNS = tuple((strength, re.compile(pattern)) for strength, pattern in (
    (0.9, rf"\b(?:i don't think|i doubt|i'm not sure|i don't believe) (?:that )?you're "
          rf"(?:really |actually |that |truly |genuinely )?{_EMOTION}"),
    (0.9, rf"\byou're not (?:really |actually |truly |genuinely )?{_EMOTION}\b"),
    (0.9, r"\byou don't (?:really |actually )?(?:mean|feel|think|believe|want) (?:that|it|this)"),
    (0.9, r"\byou can't (?:really |actually |honestly )?(?:mean|think|believe) (?:that|it|this)"),
    (0.9, r"\b(?:that's|it's|that isn't|it isn't|this isn't) not (?:really )?(?:true|what's "
          r"(?:going on|happening|really)|the real (?:issue|problem))"),
    (0.9, r"\b(?:that|this|it)(?: isn't|'s not) (?:really )?(?:true|what's (?:going on|happening"
          r"|really)|the real (?:issue|problem))"),
    (0.9, r"\byou're (?:just |probably |simply |only |clearly |obviously )*(?:in denial|deflecting"
          r"|downplaying|hiding|avoiding it|minimi[sz]ing|kidding yourself|fooling yourself"
          r"|projecting|overreacting|overthinking|making excuses)"),
    (0.9, r"\b(?:clearly|obviously|surely) you(?:'re| are| do| did| must| feel| care| want)"),
    (0.9, r"\bi think you (?:do|really|actually|secretly|deep down) (?:want|know|feel|care|mean"
          r"|need|like|believe)"),
    (0.9, r"\byou (?:just )?(?:can't|don't|won't) see (?:it|that|how)"),
    (0.9, r"\byou just (?:haven't|don't|can't) (?:got|have|admit|see|realise|accept)"),
    (0.8, r"\byou're (?:just|only|simply|probably just|probably only|maybe just) (?:tired|stressed"
          r"|having a bad day|hungry|in a mood|being sensitive|exhausted|busy|overtired"
          r"|nervous|reading too much)"),
    (0.8, r"\b(?:i don't think|i doubt) (?:this|it|that)(?:'s| is| was) (?:really |actually )?"
          r"(?:about (?:me|us|the session|therapy)|what's (?:really )?(?:bothering|upsetting)|a "
          r"small thing|nothing|no big deal)"),
    (0.8, r"\b(?:it's|this is|that's) not (?:really |actually )?about (?:me|us)\b"),
    (0.8, r"\b(?:it's|that's|it isn't|that isn't) (?:probably |maybe |really )*not (?:really )?"
          r"(?:the (?:camera|time|fee|money|lateness|session|homework|sheet)|because of me)"),
    (0.7, rf"\byou're actually (?:quite |really |very |a bit )?{_EMOTION}"),
    (0.7, r"\b(?:isn't|wasn't|is not|was not) (?:that|so|very|really) (?:long|bad|much|big"
          r"|serious|late|important)\b"),
    (0.7, r"\b(?:come on|don't be (?:silly|daft|ridiculous))\b"),
))
_ATTRIBUTED = re.compile(
    r"\b(?:you're|you feel|you felt|you seem|you sound|you must be|you must feel|you were)"
    r" (?:(?:feeling|quite|really|so|very|a bit|pretty|kind of) )*([a-z']+)"
)


# One scan: a named group per strength (strongest first), as PatternDetector does.
_STRENGTHS = sorted({strength for strength, _ in _PATTERNS}, reverse=True)
_ONE = re.compile("|".join(
    f"(?P<s{i}>" + "|".join(regex.pattern for strength, regex in _PATTERNS if strength == s) + ")"
    for i, s in enumerate(_STRENGTHS)))


def contradictions(response: Utterance, client: Utterance) -> list[Hit]:
    """Places where the response denies or replaces what the client showed."""
    found = [Hit(_STRENGTHS[int((m.lastgroup or "s0")[1:])], m.span())
             for m in _ONE.finditer(response.norm)]
    shown = feeling_families(client.words)
    if shown:
        for m in _ATTRIBUTED.finditer(response.norm):
            named = feeling_families((m.group(1),))
            # a feeling of the opposite valence to everything the client showed
            if named and not named & shown and ("positive" in named) != ("positive" in shown):
                found.append(Hit(0.6, m.span()))
    return found


@register
class Contradiction(Detector):
    """Denying or replacing the client's feeling or view (see the module docstring)."""

    name = "contradiction"
    items = ("contradicting",)

    def hits(self, ctx: Context) -> list[Hit]:
        """Every contradiction of the client's line."""
        return contradictions(ctx.response, ctx.client)
