"""Question detectors: open and closed questions, invitations to say more, advice-questions."""

from __future__ import annotations

import re
from functools import lru_cache

from simulator.scoring.detectors.base import Context, Detector, Hit, register
from simulator.scoring.lexicon import AUXILIARIES, WH_WORDS
from simulator.scoring.text import Sentence

# Questions that are suggestions in disguise (MITI: Persuade, not Question).
ADVICE_QUESTION = re.compile(
    r"\b(?:have you (?:tried|thought about|considered|looked into)|what if you"
    r"|what about (?:trying|just|you"
    r" (?:try|just))|why don't you|why not (?:just |try|[a-z]+ )|how about (?:you|trying|just"
    r"|[a-z]+ing\b)|(?:could|can|would|will) you (?:maybe |perhaps |just |not |at least "
    r"|possibly )*"
    r"(?:try|consider|start|stop|make|write|keep|talk to|tell (?:him|her|them)|ask (?:him|her"
    r"|them)|give (?:it|them|him|her)|be willing to try|bring yourself)|(?:wouldn't|won't) it be"
    r" (?:better|easier|good)|don't you think (?:you|it would)|is there (?:any|a) way you could"
    r"|maybe (?:you )?(?:could |should )?try|did you (?:try|think about|consider)|couldn't you"
    r"|shouldn't you|would it (?:help|be worth)"
    r" (?:to|if you)|have you ever tried)"
)
# "Can you tell me more" is a closed form with an open function (MITI codes it open).
_INVITE = re.compile(
    r"\b(?:tell me (?:more|about|what|how|a bit|a little)|say (?:a (?:bit|little) )?more|(?:can"
    r"|could"
    r"|would) you (?:tell|say|describe|walk me|talk (?:to me |me )?(?:about|through)|explain|share"
    r"|put"
    r" (?:that|it) into words|help me understand)|help me understand|i(?:'m| am) (?:curious"
    r"|wondering)"
    r" (?:about|what|how|whether|if|why)|i wonder (?:what|how|whether|why)|what else|go on\b"
    r"|talk me through|describe)"
)
_FEELING_QUESTION = re.compile(
    r"\b(?:what (?:was|is|'s) (?:that|it|this) like|what(?:'s| is| was) (?:that|it) been like"
    r"|how (?:did|does|do|was|is) (?:that|it|this) (?:feel|for you|land|sit)|how (?:are|were) you"
    r" (?:feeling|finding)|what (?:does|did) (?:that|it) mean|what happened (?:for|inside|in) you"
    r"|what(?:'s| is) (?:going on|happening) for you|what (?:do|did) you (?:feel|make of|notice))"
)
_NOT_QUESTION_WH = re.compile(
    r"^(?:what|how) (?:i|you)(?:'m| am|'re| are)? (?:hearing|saying|said|mean|notice|feel)\b"
)
_LATE_WH = re.compile(r"(?:,|\b(?:and|so|then)) (?:what|how|why)\b(?! (?:if|about) you\b)")
_WH_CONTRACTED = frozenset(["what's", "how's", "where's", "who's", "why's", "when's"])
_TAG = re.compile(r"\b(?:right|isn't it|don't you|aren't you|yes|okay|no)\??$")


@lru_cache(maxsize=8192)  # several detectors ask about the same sentence
def question_kind(sentence: Sentence) -> str | None:
    """'advice', 'open', 'closed', 'invite' (tell me more...), or None for a statement."""
    text = sentence.text
    if ADVICE_QUESTION.search(text):
        return "advice"
    if _INVITE.search(text):
        return "invite"
    if not sentence.is_question:
        return None
    head = sentence.head
    if head and (head[0] in WH_WORDS or head[0] in _WH_CONTRACTED) and not _NOT_QUESTION_WH.match(
            " ".join(head)):
        return "open"
    if _LATE_WH.search(text):  # "And when you drink, how do you feel?"
        return "open"
    if head and head[0] in AUXILIARIES:
        return "closed"
    return "closed" if _TAG.search(text) else "reflective"


class QuestionDetector(Detector):
    """Sentences of one question kind; subclasses set `kind` and `strength`."""

    kind: str = ""
    strength: float = 0.5

    def hits(self, ctx: Context) -> list[Hit]:
        """Every sentence of this kind."""
        return [
            Hit(self.strength_for(s), (s.start, s.end))
            for s in ctx.response.sentences
            if question_kind(s) == self.kind
        ]

    def strength_for(self, sentence: Sentence) -> float:
        """How strongly this sentence shows the kind; the default is flat."""
        return self.strength


@register
class OpenQuestion(QuestionDetector):
    """Open question: "what", "how" (MITI open question; 3RS inviting the client to say more)."""

    name = "open_question"
    items = ("exploration",)
    kind = "open"
    strength = 0.8

    def strength_for(self, sentence: Sentence) -> float:
        """Questions about the client's experience count more than factual ones."""
        if _FEELING_QUESTION.search(sentence.text):
            return 1.0
        if sentence.head and sentence.head[0] in ("when", "where", "who", "which"):
            return 0.5
        return self.strength


@register
class InviteMore(QuestionDetector):
    """An invitation to say more ("tell me more", "I'm curious what..."), in any sentence form."""

    name = "invite_more"
    items = ("exploration",)
    kind = "invite"
    strength = 0.8


@register
class ClosedQuestion(QuestionDetector):
    """Closed question: "do you", "are you" (weak exploration)."""

    name = "closed_question"
    items = ("exploration",)
    kind = "closed"
    strength = 0.5


@register
class ReflectiveQuestion(QuestionDetector):
    """A statement asked as a question ("So it felt like I wasn't listening?")."""

    name = "reflective_question"
    items = ("reflection", "exploration")
    kind = "reflective"
    strength = 0.6


@register
class AdviceQuestion(QuestionDetector):
    """A suggestion phrased as a question: "have you tried...?", "what if you just...?"."""

    name = "advice_question"
    items = ("advice",)
    kind = "advice"
    strength = 0.9

    def hits(self, ctx: Context) -> list[Hit]:
        """The advice-question phrase itself, in any sentence."""
        return [
            Hit(self.strength, m.span())
            for s in ctx.response.sentences
            for m in ADVICE_QUESTION.finditer(ctx.response.norm, s.start, s.end)
        ]
