"""Detectors for the relational repair moves: ownership, metacommunication, collaboration."""

from __future__ import annotations

import re

from simulator.scoring.detectors.base import (
    Context,
    Detector,
    Hit,
    PatternDetector,
    group,
    register,
)

_MISSTEP = (
    r"(?:pushed|pushing|rushed|rushing|interrupted|forgot|forgotten|cancell?ed|misunderstood"
    r"|misread|jumped|assumed|overlooked|dismissed|ignored|lectured|missed|brushed|glossed"
    r"|talked over|cut you off|pressured|pressed|steamrolled|minimi[sz]ed|got (?:[a-z']+ ){1,3}?"
    r"wrong|made (?:a|that) mistake|let you down|dropped the ball"
    r"|wasn't (?:listening|there|clear|paying attention|on time)|didn't (?:listen|hear|ask|check"
    r"|notice|realise|understand|get it|explain|follow up|take|say|tell|mention|warn|let you"
    r"|apologise|stop|give you)|haven't (?:been|listened|asked|heard|understood)"
    r"|kept (?:at you|on at you|pushing|pressing|going on|asking|interrupting|you waiting)"
    r"|(?:started|was|came|turned up|ran) (?:[a-z]+ )?late|ran over|mixed (?:up|you up)"
    r"|called (?:you|her|him|them) |used the wrong|laughed|smirked|yawned|sighed"
    r"|looked at (?:my|the) (?:phone|clock|watch)|checked (?:my|the) (?:phone|clock|watch)"
    r"|took over|talked (?:over|down to) you|made (?:a|that) (?:joke|comment|assumption)"
    r"|brushed (?:it|that|you) off|changed the subject|moved on too|skipped|cut (?:you|it) short"
    r"|ended (?:early|it early)|double-booked|forgot|made (?:it|this|things) (?:harder|worse)"
    r"|put (?:it|that|this|everything) (?:all )?down to)"
)


@register
class OwnershipAdmission(PatternDetector):
    """The therapist names their own part: "I pushed too fast", "I got her name wrong"."""

    name = "ownership_admission"
    items = ("ownership",)
    cues = group(0.9, [
        rf"i(?:'ve| have)? (?:really |totally |completely |clearly )?{_MISSTEP}",
        r"(?:that|this|it) (?:was|is) (?:my|a) (?:mistake|fault|error|doing|responsibility)",
        r"my (?:fault|mistake|bad|error)", r"that(?:'s| is) on me",
        r"(?:that|it|this) (?:wasn't|isn't) (?:fair|okay|right|good enough) (?:of me|to you"
        r"|for you|on you)", r"(?:that|it) was (?:unfair|wrong|careless|thoughtless|unkind) of me",
        r"i was (?:wrong|out of line|careless|unfair|too harsh|rude)", r"i got (?:it|that) wrong",
        r"i handled (?:that|it|this) (?:badly|poorly)", r"i let you down",
        r"i take (?:responsibility|that on)",
        r"(?:part|some|a lot|most) of (?:it|that|this) (?:is|was) (?:on )?(?:mine|me|my doing)",
        r"i(?:'m| am| was) the one (?:who|that) (?:started|was|kept|made|forgot|cancell?ed|got|did"
        r"|said|left|ran|came|set|pushed|missed|changed|brought|chose|decided)",
        r"i(?:'ve| have)(?: never|n't) (?:once |really |even )?(?:stopped|checked|asked|reviewed"
        r"|looked|said|told you|explained|thought)",
        r"i should(?:n't)? have", r"i could have", r"i (?:don't|do not) think i (?:listened|heard"
        r"|got|understood|was|did|handled|explained|really)",
        r"i (?:was|have been|was being|'ve been) "
        r"(?:too|so|a bit|really|very) (?:quick|fast|pushy|focused|keen|eager|caught up|directive"
        r"|busy)",
        r"you(?:'re| are) right,? i", r"i (?:can )?see (?:now )?(?:that |how )?i",
        r"i(?:'m| am) sorry (?:that |for |about )?(?:i|my|what i|the way i|how i|pushing|rushing"
        r"|missing|forgetting|cancell?ing|not|interrupting|getting)",
        r"(?:sorry|apologies|i apologi[sz]e) (?:for|that i|about (?:my|that|what i|the way))",
        r"i (?:owe you|want to) (?:an )?apolog",
        r"i (?:didn't|did not) (?:handle|do) (?:that|it) well",
        r"i (?:went|moved|jumped) (?:too|ahead)", r"i got ahead of",
    ])


@register
class OwnershipTentative(PatternDetector):
    """A hedged acknowledgement: "maybe I missed something", "I might have pushed"."""

    name = "ownership_tentative"
    items = ("ownership",)
    cues = group(0.6, [
        rf"(?:maybe|perhaps|possibly) i(?:'ve| have)? {_MISSTEP}",
        rf"i (?:might|may|must) have (?:been )?{_MISSTEP}",
        r"(?:maybe|perhaps) i (?:was|wasn't|didn't|got|missed|haven't|should)",
        r"i (?:might|may) have (?:got|been|missed|come across|sounded)",
        r"i wonder if i", r"i(?:'m| am) wondering if i",
        r"if i (?:came across|sounded|seemed|made you)",
        r"i can see how (?:that|i|it) (?:came|sounded)",
        r"i(?:'m| am) (?:so |really |very )?sorry(?! (?:that |if )?you (?:feel|felt|see|think|took"
        r"|'re|are|were))", r"i apologi[sz]e(?! if)",
    ])


@register
class PseudoApology(PatternDetector):
    """An apology for the client's reaction, not one's own act: "I'm sorry you feel that way"."""

    name = "pseudo_apology"
    items = ("dismissing", "defensiveness")
    cues = group(0.9, [
        r"sorry (?:that |if )?you (?:feel|felt|see|think|took|are|were|'re|got|find)",
        r"sorry (?:if|that) (?:that|it|this|anything|you)", r"sorry you(?:'re| are)",
        r"sorry (?:about )?(?:how|the way) you (?:feel|see|took)",
        r"apologi[sz]e if (?:you|that|it)",
    ])


@register
class HereAndNow(PatternDetector):
    """Talk about what is happening between client and therapist, now (3RS metacommunication)."""

    name = "here_and_now"
    items = ("metacommunication",)
    cues = group(0.9, [
        r"between (?:us|you and me|the two of us)",
        r"(?:in|with) (?:here|this room) (?:with me|now)",
        r"(?:right )?now,? (?:in here|with me|between us|as we talk|in this room)",
        r"(?:with|about|towards?|toward) me (?:right now|just now|today|in here|here)",
        r"(?:what(?:'s| is)|what was) (?:happening|going on) (?:for you )?(?:right now|just now"
        r"|between|in here|as we|when i)",
        r"what happened (?:for you )?(?:just then|just now|when i)",
        r"i (?:notice|noticed|am noticing|'m noticing)", r"i(?:'m| am) aware (?:that|of)",
        r"(?:when|after|as) i (?:said|asked|mentioned|suggested|brought up|raised|pushed|brought)",
        r"how (?:is|was|does) (?:it|this|that) (?:for you )?(?:to (?:talk|be|say|hear|sit)|talking"
        r"|being here|hearing|sitting)",
        r"how (?:are|were) you (?:finding|feeling about) (?:this|our|me|working|talking)",
        r"(?:how|what) (?:do|did) you (?:feel|think) about (?:me|us|our|working with me"
        r"|coming here|these sessions|this session|what i)",
        r"(?:you and me|you and i|the two of us)", r"in (?:the|this) room",
        r"(?:talk|talking|tell me) about (?:us|how (?:we|this is|it is)|what(?:'s| is) happening)",
        r"with me\b", r"(?:feel|felt|feels|being|be) (?:towards?|about) me",
        r"(?:agreed|gone along) with (?:everything|anything|all|whatever) i(?:'ve)? "
        r"(?:said|suggested|asked)",
        r"(?:my|our) (?:relationship|work together|connection)",
        r"how we(?:'re| are) (?:working|doing|getting on)",
    ])
    cues += group(0.5, [
        r"(?:our|these|this) (?:work|sessions?|conversation|time together)",
        r"(?:in|during) (?:our|the) session",
        r"(?:coming|being|come) (?:here|to see me|to these)", r"\bus\b", r"the way i",
        r"how i(?:'ve| have)? (?:been|said|asked|came across|handled|responded)", r"in here",
    ])


@register
class Collaboration(PatternDetector):
    """Renegotiating tasks or goals, asking the client's view, respecting autonomy."""

    name = "collaboration"
    items = ("collaboration",)
    cues = group(0.9, [
        r"would (?:it|that) (?:help|be (?:okay|better|more useful|helpful)) if we",
        r"would you (?:rather|prefer|like (?:to|us to|me to)|want (?:to|us to|me to))",
        r"what would (?:be|feel|make (?:this|it|these|the|our) (?:[a-z]+ )?)(?:most |more "
        r"|really )?"
        r"(?:helpful|useful|right|worth|better|okay|work)",
        r"what would you (?:like|want|prefer|need)",
        r"(?:it's|it is|that's|that is) (?:your|entirely your|totally your|completely your) "
        r"(?:call|choice|decision)",
        r"(?:it's|that's|it is|that is) (?:entirely |totally |really )?up to you",
        r"how would you like (?:to|us to|me to)",
        r"what do you (?:want|need|hope) (?:to|from|out of)",
        r"do you want (?:to|us to|me to) (?:carry on|keep|stop|change|leave|drop|try|talk"
        r"|come back|slow)",
        r"we (?:could|can|don't have to) (?:drop|leave|change|pause|slow|put|stop|try something"
        r"|set aside"
        r"|come back|go back|skip|park)", r"we don't have to", r"you don't have to",
        r"(?:at|in) your (?:own )?(?:pace|time)", r"how do you want to (?:use|spend|go)",
        r"what feels (?:right|useful|manageable|okay)",
        r"(?:is|would) (?:that|it) (?:be )?(?:okay|alright|all right) (?:with you|if)",
        r"(?:can|could|may) i (?:suggest|offer|share|ask you something|check)",
        r"would it be (?:okay|alright) if i",
        r"(?:let's|let us) (?:work out|figure out|decide|think about|look at) (?:together|what you"
        r"|how we)",
        r"(?:decide|figure (?:it |this )?out|work (?:it |this )?out) together",
        r"what do you think we",
        r"(?:shall|should) we", r"how (?:shall|should|could|can) we",
        r"you (?:choose|decide|pick|say which|tell me which)\b",
        r"(?:whichever|whatever) you (?:prefer|choose|decide|want)",
        r"what(?:'s| is) (?:most )?important to you (?:here|now|in)",
    ])
    cues += group(0.5, [
        r"\btogether\b", r"we could", r"we can", r"if you (?:want|like|'d like|would like|prefer)",
        r"does (?:that|this) (?:sound|feel) (?:okay|alright|right|like)", r"what do you think\b",
        r"(?:your|the) (?:choice|decision)", r"let's",
    ])


_OWNING = re.compile(
    r"\b(?:sorry|apologi[sz]e|apology|mistake|my fault|my bad|on me|wrong of me|not fair"
    r"|wasn't fair|unfair|shouldn't have|should have|wasn't (?:okay|ok|right|good|a good)"
    r"|not (?:okay|right|good enough)|my call|i got (?:it|that|this) wrong|i was wrong"
    r"|wasn't listening|not listening|i missed|i let you down|i owe you|without (?:really |even )?"
    r"(?:asking|checking|telling|talking to)|instead of (?:asking|listening|checking))\b"
)
_IRREGULAR_PAST = frozenset([
    "said", "made", "told", "sent", "wrote", "put", "took", "got", "gave", "let", "left",
    "forgot", "brought", "went", "ran", "kept", "thought", "heard", "saw", "did", "didn't",
    "wasn't", "was", "cut", "set", "moved", "spoke", "answered", "asked", "called", "used",
    "treated", "turned", "parked", "dropped", "lost", "missed", "pushed", "rushed", "jumped",
    "assumed", "talked", "joked", "laughed", "commented", "mentioned", "suggested", "started",
    "ended", "booked", "changed", "raised", "brought", "reacted", "responded", "looked",
    "checked", "read", "wrote", "gave", "ignored", "skipped", "cancelled", "interrupted",
])
# "I sent...", and after a short lead-in: "last week I kept at you", "earlier today I said"
_I_PAST = re.compile(r"^(?:(?:and|so|but|well|yes|no|okay|you're right|right|last|this|that"
                     r"|week|session|time|earlier|today|yesterday|before|just|then|on|at|in"
                     r"|monday|tuesday|wednesday|thursday|friday|the)[ ,]+){0,4}i "
                     r"(?:(?:just|really|only|then|also|even|completely|totally) )?([a-z']+)")


@register
class OwnedAct(Detector):
    """The therapist narrating their own act in an answer that owns it ("I sent that note, and
    I didn't think who'd see it. I'm sorry."): plain ownership names what was done."""

    name = "owned_act"
    items = ("ownership",)

    def hits(self, ctx: Context) -> list[Hit]:
        """First-person past-tense sentences, when the answer also takes responsibility."""
        if not _OWNING.search(ctx.response.norm):
            return []
        found = []
        for sentence in ctx.response.sentences:
            m = _I_PAST.match(sentence.text)
            if m and (m.group(1) in _IRREGULAR_PAST or m.group(1).endswith("ed")):
                found.append(Hit(0.7, (sentence.start, sentence.end)))
        return found
