"""Detectors for premature advice: directives, suggestions, instructions (MITI Persuade)."""

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
from simulator.scoring.lexicon import IMPERATIVE_VERBS


@register
class AdviceDirective(PatternDetector):
    """Telling the client what to do: "you should", "I'd suggest", "the best thing is"."""

    name = "advice_directive"
    items = ("advice",)
    cues = group(0.9, [
        r"you (?:really )?(?:should|ought to|need to|have to|'ve got to|have got to|got to|gotta)"
        r"(?! (?:feel|be) (?:bad|ashamed|sorry))",
        r"you (?:really )?must(?! (?:feel|be|have|think|know|wonder|hate|miss|wish|sometimes)\b)",
        r"you(?:'d| had) better",
        r"i(?:'d| would)? (?:strongly )?(?:suggest|recommend|advise|encourage)",
        r"my (?:advice|suggestion|recommendation)",
        r"the (?:best|only|right) (?:thing|way|option|approach)",
        r"(?:it's|it is|it would be|it'd be) (?:best|better|wise|a good idea|important|essential) "
        r"(?:to|that you|if you|for you to)", r"make sure (?:you|to)",
        r"i (?:want|need|'d like|would like) you to(?! (?:tell|say|let me|feel|know|ask|stop me"
        r"|correct|pull me|be able to say|have a say))",
        r"what you need (?:is|to do)", r"if i (?:were|was) you", r"the trick is",
        r"you (?:can|could) always",
        r"(?<![a-z'] )(?:just|simply) (?:tell|try|ignore|do|go|say|ask|stop|relax"
        r"|breathe|talk|call|write|leave|let it go|get)",
        r"i(?:'d| would) (?:really )?(?:encourage|urge|invite) you to",
        r"i(?:'m| am) going to ask you to",
        r"i think (?:it(?:'s| is| would be|'d be) )?(?:a good idea|best|important|wise"
        r"|helpful) (?:to|that"
        r" you|if you|for you)", r"the best (?:thing|way|option) (?:you can|to|for you|would be)",
        r"you should (?:probably|definitely|really|also|maybe)",
    ], negatable=True, reportable=True)
    cues += group(0.7, [
        r"you (?:could|might|may) (?:try|want to|wish to|consider|find it helpful|benefit)",
        r"(?:maybe|perhaps|possibly) (?:you (?:could|should|can|might want to|need to|try)|try"
        r"|it would"
        r" help|it might help|just (?:try|tell|ask|go|do|say))",
        r"(?:it|that) (?:might|may|could|would|can|will) (?:help|be worth|be useful|be good)"
        r" (?:to|if you)",
        r"i(?:'d| would) (?:probably |definitely |really )?(?:try|start|cut|go|talk|get"
        r"|think about|look into|consider)",
        r"one (?:thing|option|idea) (?:you could|you might|you can|that might help|that could help"
        r"|to try|is to|would be)", r"(?:maybe|perhaps|just|please|could|should|might) try",
        r"a good (?:idea|way|step|start) (?:would be|is|might be) to",
        r"worth (?:trying|a try|considering)",
        r"(?:you|people) (?:can|could) (?:try|use|start|stop|cut|reduce|set|plan|write|keep)",
        r"(?:some|a lot of|lots of|many|most) (?:people|clients|folks|patients) (?:find|have found"
        r"|say) (?:it )?(?:helpful|useful"
        r"|that|it)", r"what i(?:'d| would) (?:like|suggest|recommend|encourage)",
        r"one (?:of the )?things? (?:that )?(?:might|could|can|would|you could|you can|you might)",
        r"the (?:goal|idea|key|important thing|first step|next step) (?:is|would be|will be) (?:to"
        r"|that you)",
        r"you(?:'re| are) going to (?:want|need|have) to", r"(?:i|we) (?:recommend|suggest|advise)",
        r"(?:cut|cutting) (?:down|back)",
        r"(?:a|one|another) (?:good )?(?:option|strategy|idea|thing to"
        r" try|alternative) (?:is|would be|might be|could be)", r"you (?:want|need) to (?:make sure"
        r"|be careful|think about|start|stop|try)",
        r"(?:should|could|might) (?:try|consider|think about)",
        r"it(?:'s| is) (?:really |very )?(?:important|essential|vital|key|crucial) (?:to (?!you\b)"
        r"|that"
        r"|for you to)",
        r"you (?:can|could|might) also",
        r"another (?:thing|option|idea|way) (?:you|would|is|might)",
        r"(?:it|that) (?:would|could|might|may) be (?:helpful|useful|good|beneficial|wise|worth"
        r" (?:it|trying|thinking))(?: for you)? (?:to|if you)",
        r"you (?:may|might) (?:want|wish|like)"
        r" to (?:think|consider|try|look|talk|start|cut|keep)",
        r"start (?:by|with) (?:cutting|trying|writing"
        r"|making|setting|taking|keeping)",
        r"(?:i'd|i would) like (?:to see )?you (?:to )?(?:try|start|cut"
        r"|keep|make|write|call|think)",
        r"(?:we|i) (?:usually |generally |often |would |'d )?(?:recommend|suggest|advise"
        r"|encourage)",
        r"(?:it's|it is|is) recommended", r"you(?:'d| would| will|'ll) (?:probably )?want to",
        r"go ahead and",
        r"if you could (?:just )?(?:try|start|cut|keep|write|make|take|think|stop)",
        r"i(?:'d| would) say (?:that )?(?:you|maybe|try|it's best)", r"no more than",
    ], negatable=True, reportable=True)
    cues += group(0.6, [
        r"you (?:could|can|might|may|should) (?:just |also |maybe |perhaps )?(?:try"
        r"|start|stop|cut|go|take|call|talk|write|keep|use|make|get|set|join|find|ask|look into"
        r"|think about|consider|plan|practi[sc]e|avoid|limit|reduce|switch|replace|schedule|book)",
    ], negatable=True, reportable=True)


    def hits(self, ctx: Context) -> list[Hit]:
        """Cue matches, less those inside an indirect question or a relative clause ("whether
        you should have...", "nothing you could write...") or about the past ("you should
        have"): neither tells the client what to do."""
        text = ctx.response.norm
        return [hit for hit in super().hits(ctx)
                if not _EMBEDDED.search(text, 0, hit.span[0])
                and not _PAST.match(text, hit.span[0])]


_EMBEDDED = re.compile(r"\b(?:whether|if|nothing|anything|whatever|something|everything|what)"
                       r" $")
_PAST = re.compile(r"you (?:really )?(?:should|ought to|could|might|must) have\b")


@register
class Imperative(Detector):
    """A sentence that opens with an instruction verb ("Try writing it down")."""

    name = "imperative"
    items = ("advice",)

    def hits(self, ctx: Context) -> list[Hit]:
        """Sentences headed by an instruction verb."""
        found = []
        for s in ctx.response.sentences:
            head = s.head
            if s.is_question:
                continue
            if head and head[0] in IMPERATIVE_VERBS and (len(head) < 2 or head[1] not in (
                "you", "i", "we", "me", "it's", "that's",
            )):
                found.append(Hit(0.8, (s.start, s.end)))
        return found
