"""Detectors for the therapist turning to themselves: defending, justifying, self-focus."""

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
from simulator.scoring.detectors.fragments import FEEL, I_AM, YOU_ARE

_ACK = (
    r"(?:i (?:hear|get|understand|know|see|appreciate) (?:you|that|what you|where you|it|how you)"
    r"|i (?:hear|understand|appreciate|get|see|know)|(?:okay|yes|right|sure|fair enough|that's fair"
    r"|that's true|true|i'm sorry|sorry))"
)
_BUT = r"(?:but|however|though|although|yet)"


@register
class YesBut(PatternDetector):
    """Polite defensiveness: an acknowledgement undone by "but" ("I hear you, but I was...")."""

    name = "yes_but"
    items = ("defensiveness",)
    cues = group(0.9, [
        rf"{_ACK}[^.!?]{{0,40}}?,? {_BUT},? (?:i|i'm|i've|i was|i did|i only|i just|i think you|it"
        r"|that|the|this|my|we|there|honestly|actually|to be fair|you (?:have|need|should|did|said"
        r"|were|agreed|know))",
    ])
    cues += group(0.5, [rf"{_ACK}[^.!?]{{0,40}}?,? {_BUT}\b"])


@register
class Justifying(PatternDetector):
    """Explaining one's intent, correcting or arguing with the client."""

    name = "justifying"
    items = ("defensiveness",)
    cues = group(0.9, [
        r"i (?:was|'m|am) (?:only|just) (?:trying|saying|asking|doing|suggesting|wanting|following"
        r"|pointing)", r"i (?:only|just) (?:meant|wanted|said|asked|suggested|mentioned)",
        r"i (?:didn't|did not|never) (?:mean|intend)(?! to (?:hurt|upset|push|rush|forget|leave))",
        r"i (?:didn't|never) (?:say|said) (?:that|you|it was|anything like)",
        r"that(?:'s| is|'s not| is not) not "
        r"what i (?:said|meant)", r"that(?:'s| is) not what i", r"i never said", r"to be fair",
        r"in my defen[cs]e", r"i did (?:tell|say|explain|mention|ask|warn)",
        r"as i (?:said|told you"
        r"|explained|mentioned)", r"like i (?:said|told you|mentioned)",
        r"with (?:all due )?respect",
        r"(?:it|the (?:exercise|technique|homework|approach|method|worksheet|model))(?:'s| is"
        r"| does| do)"
        r" (?:actually |really )?(?:work|proven|evidence|helpful|effective|based)",
        r"(?:it|this) works if", r"my (?:intention|job|role) (?:was|is)",
        r"i(?:'m| am) (?:trained|qualified|a professional)",
        r"(?:that's|that is|it's|it is) not (?:fair|true|right|accurate)",
        r"you(?:'ve| have)? (?:misunderstood|misheard|got (?:it|me|that) wrong)",
        rf"{YOU_ARE} (?:misremembering|mistaken|wrong about)",
        r"i(?:'ve| have) (?:been|done|tried) (?:everything|my best|nothing but)",
        r"(?:actually|in fact),? (?:i|that's|it's|we|you)",
        r"(?:i|we) (?:agreed|discussed|talked about) (?:this|that) (?:last|before)",
        r"(?:it's|that's) (?:just )?(?:the|our) (?:policy|rule|process|procedure)",
        r"(?:there's|there is) a reason (?:i|we|for)",
        r"i had (?:to|no choice)", r"(?:i|we) (?:always|usually) (?:do|ask|start)",
        r"(?:the|my) reason (?:i|was|for)",
        r"(?:that's|it's) (?:not|hardly) my fault", r"i (?:can't|couldn't) (?:help|have known)",
    ])
    cues += group(0.8, [
        r"(?:it|therapy|change|this|these things|progress|recovery|healing) (?:takes|take|can take)"
        r" (?:time|a while)", r"(?:not|isn't|is not) a quick fix",
        r"give it (?:a chance|time|a go)",
        r"(?:it|this|therapy) (?:is|does) (?:actually |really )?work",
        r"it(?:'s| is) (?:not|nothing)"
        r" personal", r"(?:it's|that's|it was) just (?:a|my|the|how|because)",
        r"(?:those|these) are the rules", r"you just can't see it", r"of course not",
        rf"{I_AM} not (?:bored|judging|laughing|ignoring|trying to|saying that|here to)",
        r"i (?:didn't|did not|wasn't) (?:laugh|smirk|yawn|look|roll|mean|ignore|judg)",
        r"if you (?:practi[cs]e|do|did|use|used|try|tried) (?:it|them|this|the [a-z]+) (?:properly"
        r"|right|correctly|regularly)", r"what makes you (?:think|say) (?:that |i )",
        r"(?:lots of|many|most|other) (?:people|clients|men|women) (?:say|said|feel|think) (?:that"
        r"|this)",
    ])
    cues += group(0.6, [r"\bbut i\b", r"i (?:thought|was hoping) (?:it|this|that) would"])


@register
class SelfFocus(PatternDetector):
    """The therapist's own needs, feelings or story taking over the turn."""

    name = "self_focus"
    items = ("self_focus",)
    cues = group(0.9, [
        r"when i (?:was|went|had|lost|did|got|used)", r"i (?:went|have been|'ve been|was) through",
        r"me too", r"same (?:here|with me|thing happened)",
        r"i(?:'ve| have) (?:had|been having) (?:a|such a) "
        r"(?:long|hard|tough|rough|busy|bad|difficult)",
        rf"{I_AM} (?:really |so |very )?(?:tired|exhausted"
        r"|stressed|hurt|upset|offended|only human|doing my best|trying my best|trying here|under "
        r"(?:a lot of )?pressure|not a robot|not perfect|human too)",
        r"(?:that|it|this) (?:really )?(?:hurts|hurt|upsets|upset|offends|offended|frustrates"
        r"|annoys|stings) me", r"my (?:own )?(?:feelings|day|week|mum|mom|dad|father|mother|husband"
        r"|wife|partner|kids|son|daughter|experience|life|family|friend|sister|brother|divorce"
        r"|therapist)",
        r"i (?:feel|felt) (?:really |so |quite |a bit )?(?:hurt|attacked|offended|unappreciated"
        r"|disrespected|bad|terrible|awful|like a failure|useless|under pressure|criticised"
        r"|criticized"
        r"|frustrated|annoyed|upset|defensive)", r"i know exactly (?:how|what) you",
        r"i(?:'ve| have) (?:also|been there|felt the same|had the same|gone through)", r"i used to",
        r"in my (?:own )?(?:experience|life|family)", r"i need you to",
        r"i can't (?:help|do this|work) (?:you )?if",
        r"(?:it's|this is) (?:hard|difficult|frustrating) for me",
        r"i find (?:it|this|you) (?:hard|difficult|frustrating)",
        r"i (?:also|too) (?:struggle|have|had|feel|felt)",
    ])


_I_HEAD = re.compile(r"^(?:(?:so|and|but|well|okay|honestly|look)[ ,]+)*(?:i|i'm|i've|i'd|my|me)\b")
_I_FOR_CLIENT = re.compile(
    r"^(?:(?:so|and|but|well|okay)[ ,]+)*i(?:'m| am)? (?:wonder|hear|notice|noticed|imagine|sense"
    r"|sorry|so sorry|really sorry|glad|curious|wondering|aware|hearing|noticing|don't think you"
    r"|can (?:see|hear|tell|imagine|understand)|get (?:the|that|why)|understand|think you|guess"
    r"|'m (?:curious|wondering|hearing|noticing|sorry|glad|aware)|am (?:curious|wondering|sorry"
    r"|glad)"
    r"|appreciate|want to (?:understand|hear|make sure)|'d (?:like|love) to (?:hear|understand"
    r"|know)"
    r"|really want to|get it|see)"
)


@register
class SelfReference(Detector):
    """Sentences about the therapist that are not in the client's service ("I'm doing my best")."""

    name = "self_reference"
    items = ("self_focus", "defensiveness")

    def hits(self, ctx: Context) -> list[Hit]:
        """Every first-person sentence that is not a listening stem."""
        return [
            Hit(0.5, (s.start, s.end))
            for s in ctx.response.sentences
            if _I_HEAD.match(s.text) and not _I_FOR_CLIENT.match(s.text)
        ]


@register
class TherapistFeeling(PatternDetector):
    """The therapist names a feeling of their own (self-focus, or metacommunication in service)."""

    name = "therapist_feeling"
    items = ("self_focus", "metacommunication")
    cues = group(0.7, [
        rf"i (?:feel|felt|'m feeling|am feeling|'m|am) (?:a bit |really |so )?{FEEL}",
    ])
