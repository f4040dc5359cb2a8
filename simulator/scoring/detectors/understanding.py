"""Detectors for reflection (saying back feeling and meaning) and validation."""

from __future__ import annotations

import re

from simulator.scoring.detectors.base import (
    Context,
    Detector,
    Hit,
    PatternDetector,
    group,
    register,
    reported,
)
from simulator.scoring.detectors.fragments import DEGREE, FEEL, GAP, HARD, I_AM, YOU_ARE
from simulator.scoring.lexicon import STOPWORDS, stem

_YOU_VERB = (
    rf"(?:{YOU_ARE}|you (?:feel|felt|were|seem|seemed|sound|sounded|must (?:be|feel|have felt)"
    r"|might (?:be|feel)|may (?:be|feel)|get|got|kind of feel|still feel|really feel)"
    r"|you(?:'ve| have) (?:been|felt|become|got|gotten)|you(?:'d| would) (?:be|feel))"
)


@register
class ReflectionStem(PatternDetector):
    """Stems that introduce a reflection: "it sounds like", "what I'm hearing is"."""

    name = "reflection_stem"
    items = ("reflection",)
    cues = group(0.9, [
        r"(?:it |that |this )?sounds? (?:like|as if|as though)",
        rf"(?:it |that |this )?sounds? {DEGREE}(?:{HARD}|{FEEL})",
        r"what i(?:'m| am) hearing", r"i(?:'m| am) hearing (?:that|you)", r"what i hear (?:is|you)",
        r"so you(?:'re| are) saying", r"what you(?:'re| are) saying is", r"you(?:'re| are) saying",
        r"if i(?:'ve| have)? (?:understand|understood|got (?:that|this|it) right)",
        r"if i(?:'m| am) hearing you", r"let me (?:see|check) (?:if|whether) i",
        r"i get the (?:sense|feeling|impression)", r"i(?:'m| am) getting the (?:sense|feeling)",
        r"i sense", r"my sense is", r"(?:it|this) (?:seems|sounds) (?:like|as if|that)",
        r"seems (?:like|as if|as though) you", r"it(?:'s| is) as if", r"it(?:'s| is) like you",
        r"so for you", r"for you,? (?:it|this|that)",
    ])
    cues += group(0.7, [
        r"i hear (?:that|how|what)", r"you sound", r"i imagine (?:that |it |you )",
        r"i wonder if (?:you|it|that|part)",
        rf"(?:it|that|this) must (?:be|have been|feel) {DEGREE}",
        r"i can (?:see|hear|tell) (?:that |how |what )", r"i guess (?:you|it|that)",
        r"so (?:you|it|that|this)(?:'re|'ve| are| have| were| was| feel| felt| think)",
    ])


@register
class FeelingNamed(PatternDetector):
    """A feeling word attributed to the client: "you're fed up", "it left you feeling alone"."""

    name = "feeling_named"
    items = ("reflection",)
    cues = group(0.85, [
        rf"{_YOU_VERB} (?:(?:feeling|getting|being|made to feel) )?{GAP}{FEEL}",
        rf"(?:left|leaves|leaving|made|makes|making|leave|make) you (?:feel(?:ing)? )?{GAP}{FEEL}",
        rf"you(?:'re| are) (?:not )?feeling {GAP}{FEEL}",
        r"(?:your|the) (?:anger|frustration|hurt|fear|worry|sadness|shame|disappointment"
        r"|exhaustion|loneliness|grief|embarrassment|guilt|distrust|doubt)",
    ])
    cues += group(0.6, [rf"{FEEL} (?:about|that|when|with|because|after)"], negatable=True)


@register
class ComplexReflection(PatternDetector):
    """Cues of a reflection that adds meaning: two sides, what lies underneath, what matters."""

    name = "complex_reflection"
    items = ("reflection",)
    cues = group(0.8, [
        r"part of you", r"(?:on the )?one hand", r"on the other hand", r"at the same time",
        r"and yet", r"even though you", r"underneath", r"almost (?:like|as if)",
        r"(?:it|this) (?:isn't|is not|wasn't) (?:really |just )?(?:about|only)", r"not just",
        r"(?:it|that|this) (?:really )?matters to you", r"important to you",
        r"you (?:really )?want(?:ed)? (?:me|someone|people|them|him|her|to be|to feel|to know)",
        r"you(?:'d| would) rather", r"you don't want", r"you(?:'re| are) not sure",
        r"you(?:'re| are) (?:wondering|questioning|torn|caught)", r"including (?:by )?me",
        r"(?:with|from|by) me too", r"the worry (?:is|being)",
        r"you(?:'re| are) afraid (?:that|of)",
        r"you(?:'re| are) (?:worried|scared) (?:that|of|about)", r"a lot (?:to carry|on you)",
        r"you(?:'ve| have) been (?:carrying|holding|trying|struggling|dealing|managing)",
        r"you (?:wish|hoped|hope|need|needed|care|cared|miss|missed)",
        r"there(?:'s| is) a (?:part|side) of you", r"what (?:you|it) (?:really )?(?:means|meant)",
        r"(?:it|that) (?:feels|felt) like", r"(?:kind|sort) of (?:pointless|hopeless|unfair)",
    ])


_SECOND_PERSON_HEAD = re.compile(
    r"^(?:(?:so|and|okay|um|mm|yes|right|well|it sounds like|sounds like|it seems|seems like"
    r"|i guess|i think|i wonder if|i imagine)[ ,]+)*(?:you|your|you're|you've|you'd|for you)\b"
)
_DIRECTIVE = re.compile(
    r"\byou(?:'d| would)? (?:should|need to|have to|must|could|can|might want|'d better|ought"
    r"|always|never|just need|will)\b(?!')|\byou(?:'ll| will) (?:be|feel|get)\b"
    r"|\byou(?:'re| are) being\b"
)


def directs(sentence: str) -> bool:
    """Whether the sentence tells the client what to do (not just reports their own "should")."""
    return any(not reported(sentence, m.start()) for m in _DIRECTIVE.finditer(sentence))


@register
class YouStatement(Detector):
    """A declarative sentence about the client ("You've had enough of this"): a reflection form."""

    name = "you_statement"
    items = ("reflection",)

    def hits(self, ctx: Context) -> list[Hit]:
        """Every non-question, non-directive sentence whose subject is the client."""
        found = []
        for sentence in ctx.response.sentences:
            if sentence.is_question or len(sentence.words) < 3:
                continue
            if _SECOND_PERSON_HEAD.match(sentence.text) and not directs(sentence.text):
                found.append(Hit(0.6, (sentence.start, sentence.end)))
        return found


_CONTENT = re.compile(r"[a-z]{3,}")
_YOU_ANYWHERE = re.compile(r"\b(?:you|your|you're|you've|you'd|yourself)\b")
_NOT_ABOUT_CLIENT = re.compile(
    r"^(?:(?:so|and|but|well|okay|um|mm|yes)[ ,]+)*(?:i|i'm|i've|i'd|me|my|let's|let me|we|please"
    r"|thank|thanks)\b"
)


@register
class AboutClient(Detector):
    """Any statement (not a question, not the therapist's own view or a directive) about the
    client: spoken reflections often open with "and", "it's", "that's" or the client's words."""

    name = "about_client"
    items = ("reflection",)

    def hits(self, ctx: Context) -> list[Hit]:
        """Statements mentioning the client that are not about the therapist or instructions."""
        return [
            Hit(0.5, (s.start, s.end)) for s in ctx.response.sentences
            if not s.is_question and len(s.words) >= 3 and _YOU_ANYWHERE.search(s.text)
            and not _NOT_ABOUT_CLIENT.match(s.text) and not directs(s.text)
        ]


_BACKCHANNEL = frozenset([
    "okay", "mm", "yes", "right", "sure", "alright", "no", "um", "so", "well", "good", "great",
    "oh",
])


@register
class Statement(Detector):
    """A declarative sentence in the client's world, whatever its subject ("It's been a hard
    year"): what remains once questions, the therapist's own view and instructions are set aside."""

    name = "statement"
    items = ("reflection",)

    def hits(self, ctx: Context) -> list[Hit]:
        """Statements of four words or more that are not about the therapist or instructions."""
        return [
            Hit(0.4, (s.start, s.end)) for s in ctx.response.sentences
            if not s.is_question and len([w for w in s.words if w not in _BACKCHANNEL]) >= 4
            and not _NOT_ABOUT_CLIENT.match(s.text) and not directs(s.text)
        ]


@register
class Echo(Detector):
    """Content words the response takes up from the client line (a simple reflection's core)."""

    name = "echo"
    items = ("reflection",)

    def hits(self, ctx: Context) -> list[Hit]:
        """One hit per content word shared with the client line."""
        client_stems = {stem(w) for w in _CONTENT.findall(ctx.client.norm) if w not in STOPWORDS}
        if not client_stems:
            return []
        found = []
        statements = [(s.start, s.end) for s in ctx.response.sentences if not s.is_question]
        for m in _CONTENT.finditer(ctx.response.norm):
            if m.group() not in STOPWORDS and stem(m.group()) in client_stems:
                # said back in a statement (a reflection) weighs more than asked back
                stated = any(start <= m.start() < end for start, end in statements)
                found.append(Hit(0.6 if stated else 0.3, (m.start(), m.end())))
        return found


_GROUNDS = r"(?:given|after|since|because|with (?:all|everything|what|how)|when you|considering)"


@register
class Validation(PatternDetector):
    """Treating the client's reaction as understandable; warmth and acceptance."""

    name = "validation"
    items = ("validation",)
    cues = group(0.9, [
        rf"(?:makes?|made) (?:total |complete |a lot of |perfect |so much )?sense[^.!?]{{0,40}}"
        rf"{_GROUNDS}",
        rf"(?:understandable|no wonder|of course)[^.!?]{{0,40}}{_GROUNDS}",
        rf"{_GROUNDS} (?:what|everything|how|the way|all)[^.!?]{{0,60}}"
        r"(?:makes sense|understandable|no wonder|of course)",
        r"you have (?:every|a) right", r"i don't blame you", r"no wonder",
        r"anyone (?:would|might|in your)", r"(?:any|most) (?:one|people) would",
    ], negatable=True)
    cues += group(0.7, [
        r"(?:makes?|made) (?:total |complete |a lot of |perfect |so much )?sense",
        r"(?:that's|it's|that is|it is) (?:completely |totally |really |very |so |entirely )?"
        r"(?:understandable|reasonable|valid|natural|human)",
        r"of course (?:you|it|that)", r"i (?:can )?(?:see|understand|get) why",
        r"you(?:'re| are) (?:right|allowed|entitled) to", r"(?:it's|it is) (?:okay|alright) to "
        r"(?:feel|be|say|not|want|have)",
        r"(?:that |it )?(?:took|takes) (?:a lot of )?(?:courage|guts)",
        r"(?:that's|it's) a (?:fair|good|reasonable|valid|really important) (?:point|question"
        r"|thing)",
        r"(?:thank you|thanks) for (?:telling|saying|sharing|being|letting|trusting|bringing|your)",
        r"i appreciate (?:you|your|that you|how)", r"i(?:'m| am) (?:really )?glad you",
        rf"(?:that|it|this)(?:'s| is| was| must be| must have been| sounds"
        rf"| would be) {DEGREE}{HARD}",
        r"you(?:'re| are)? (?:right|correct)(?:,|\.| about| that)",
    ], negatable=True)
    cues += group(0.4, [r"fair enough", r"(?:that's|that is) fair", r"i understand"],
                  negatable=True)


@register
class NegatedJudgement(PatternDetector):
    """Explicitly refusing a judgement: "I don't think you're being difficult at all"."""

    name = "negated_judgement"
    items = ("validation",)
    cues = group(0.7, [
        rf"(?:don't|do not) think (?:that )?{YOU_ARE} (?:being )?(?:[a-z]+ ){{0,2}}?"
        r"(?:difficult|unreasonable|stupid|silly|weird|crazy|dramatic|rude|wrong|too much"
        r"|overreacting|disgusting|bad|broken|weak|a burden|a failure|ungrateful|awkward)",
        rf"{YOU_ARE} not (?:being )?(?:[a-z]+ )?(?:difficult|unreasonable|stupid|silly|weird"
        r"|crazy|dramatic|rude|wrong|too much|overreacting|disgusting|bad|broken|weak|a burden"
        r"|a failure|ungrateful|alone in)",
        r"there(?:'s| is) nothing wrong with",
        r"(?:it's|it is) not (?:your fault|silly|stupid|weird|wrong)",
        r"(?:that |it )?doesn't make you", r"nothing to (?:be ashamed|apologi[sz]e)",
        rf"{I_AM} not (?:judging|going anywhere|shocked|disgusted)",
        r"i don't think (?:any )?less of you",
    ])
