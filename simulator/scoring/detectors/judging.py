"""Detectors for judging the client: minimising their feeling, or blaming them."""

from __future__ import annotations

from simulator.scoring.detectors.base import (
    PatternDetector,
    group,
    register,
)
from simulator.scoring.detectors.fragments import I_AM, YOU_ARE


@register
class Minimising(PatternDetector):
    """Minimising or false reassurance: "at least", "don't worry", "everyone feels like that"."""

    name = "minimising"
    items = ("dismissing",)
    cues = group(0.9, [
        r"at least", r"don't (?:you )?worry", r"(?:no|nothing) (?:need )?to worry",
        r"not (?:that|so) bad",
        r"could (?:be|have been) (?:a lot |much |so much )?worse",
        r"(?:look|looking) on the bright side",
        r"(?:everyone|everybody|we all|all of us|lots of people|most people|plenty of people) "
        r"(?:feels?|gets?|goes|go|has|have|struggles?|experiences?|does|do)",
        r"happens to (?:everyone|everybody|all of us|the best)",
        r"(?:it's|that's|it is|that is) (?:totally |completely |perfectly )?normal",
        r"(?:you'll|it'll|you will|it will|things will|everything will) (?:(?:be|feel) (?:fine|okay"
        r"|alright|all right|better|great)|get (?:through|over|better)|work out|turn out|sort)",
        r"i(?:'m| am) sure (?:it'll|you'll|it will|you will|it's|they|that|everything)",
        r"cheer up", r"chin up", r"calm down", r"(?:just )?relax",
        r"try not to (?:think|worry|dwell|let)",
        r"no big deal", r"not a big deal", r"(?:it's|that's) (?:just|only) (?:a|one|the)",
        r"(?:you're|you are) (?:overthinking|overreacting|making a big deal)", r"silver lining",
        r"(?:think|stay|be) positive", r"(?:it'll|this will|it will) pass", r"no harm done",
        r"(?:don't|do not) (?:be so hard on yourself|take it (?:so )?personally|let it get to you)",
        r"you(?:'ve| have) (?:got )?(?:so much|a lot) (?:to be|going for)", r"(?:it's|it is) fine",
        r"(?:forget|put) (?:about )?(?:it|that) (?:behind|out)", r"(?:it's|that's) in the past",
        r"(?:but|still),? you(?:'re| are) doing (?:so |really )?(?:well|great)",
        r"(?:don't|do not|shouldn't|should not) (?:feel|be) (?:bad|ashamed|sorry|silly"
        r"|embarrassed)",
        r"you shouldn't (?:feel|worry|think)", r"no need to (?:feel|be|apologi)",
        r"it happens", r"(?:you're|you are) in good company",
        r"i(?:'ve| have) (?:heard|seen) (?:much |far |a lot )?worse",
        r"you(?:'ve| have) (?:made|done) (?:so much|loads of|lots of|a lot of|real|great"
        r"|good) (?:progress|work)",
        r"(?:you're|you are) doing (?:so |really )?(?:great|well|fine|amazing|brilliantly)",
        r"(?:i'm|i am) sure (?:she|he|they|you|it|that|everything)", r"no harm in",
        r"(?:most|lots of|many|plenty of) (?:people|clients|of us) (?:need|take|find|get|are|will"
        r"|feel|go)",
        r"(?:it's|that's|it is) (?:just|only|simply) (?:part of|how|what)",
        r"(?:you're|you are) not (?:a|an) (?:mess|failure|burden|idiot|bad person)",
        r"i promise", r"(?:this time|it|things) (?:will|'ll) be different",
        r"you(?:'re| are) (?:totally |completely )?(?:fine|okay|alright|all right"
        r"|grand)\b(?!\s+to)",
        r"you(?:'ll)? get used to it", rf"(?:glad|good) (?:that )?{YOU_ARE} (?:doing )?(?:okay|well"
        r"|good|fine|alright|better)", r"of course i (?:believe|like|care|want|don't)",
        r"i (?:won't|will never|would never|'d never) (?:get bored|leave|give up on|judge"
        r"|think less)",
        r"my favourite", r"(?:please )?don't give up",
        r"(?:we're|we are) (?:just )?(?:starting to )?"
        r"(?:getting|get) somewhere",
        r"where were we", r"(?:shall|let's|can) we get back to",
        r"(?:back|return) to (?:what|the|your)",
        r"(?:sorry|my bad|oops)(?: about that| for that)? (?:shall we|let's|anyway|go on"
        r"|carry on|moving on|right so|okay so)",
        r"(?:shall|let's|can|should) we (?:just )?(?:carry on|move on|keep going"
        r"|continue|get on|crack on)", r"let's not (?:get hung up|dwell|worry|focus|go there|make)",
        r"don't be (?:daft|silly|ridiculous|soft)",
        r"(?:it|things|this) (?:will |'ll )?(?:gets?|got)"
        r" (?:easier|better)", r"the first [a-z]+ (?:is|are) (?:always )?the (?:hardest|worst)",
        r"that's what i(?:'m| am) here for", rf"of course {I_AM} not",
        r"you should be (?:grateful|glad"
        r"|thankful|proud)", rf"{I_AM} glad (?:it|that) (?:wasn't|isn't|was not|is not)",
        r"(?:we're|we are) here to (?:talk|focus) (?:about|on) you",
    ])
    cues += group(0.6, [
        r"anyway", r"moving on", r"let's (?:move on|not dwell|focus on (?:the positive|what's going"
        r" well)|get back to|go back to (?:the|your)|talk about something|get on with)",
        r"on (?:a|another) (?:brighter|different|happier) note",
        r"(?:it's|that's) (?:okay|alright) (?!to|if|with|for)", r"(?:you're|you are) not alone",
    ])


@register
class Blame(PatternDetector):
    """Attributing the rupture to the client, judging or shaming them."""

    name = "blame"
    items = ("blame",)
    cues = group(0.9, [
        rf"{YOU_ARE} (?:being )?(?:so |very |too |really |quite |a bit |a little )?(?:resistant"
        rf"|defensive"
        r"|difficult|stubborn|negative|unreasonable|dramatic|oversensitive|touchy|rude|hostile"
        r"|aggressive"
        r"|unmotivated|lazy|avoidant|manipulative|childish|ungrateful|closed off|not trying"
        r"|not engaging"
        r"|not committed|not putting|in denial|sabotaging|making excuses|making this|playing)",
        r"you (?:always|never|keep|constantly) (?:do|say|miss|avoid|come|blame|push|turn|make|find"
        r"|cancel|change|forget|refuse|complain|get)", r"you (?:always|never)\b",
        r"you need to (?:take responsibility|be honest|commit|try harder|engage|do the work|stop"
        r"|own|accept|face|want|put|actually|be more)",
        r"(?<!what )if you(?:'d| had| would have)? (?:done|tried|did|put|actually|just|bothered"
        r"|listened"
        r"|followed|come|been)",
        r"you (?:didn't|did not|haven't|have not|never) (?:do|did|complete|try|bother|engage|put"
        r"|follow|practi[sc]e)",
        r"(?:it's|that's|it is|that is) (?:your|on you|up to you to) (?:fault|responsibility"
        r"|problem|job)",
        r"you (?:won't|refuse to|don't) (?:let|engage|open|commit|try|listen|want to change"
        r"|want to get)",
        r"(?:that's|this is) (?:a|your|the) (?:defen[cs]e|resistance|avoidance|pattern)",
        r"you(?:'re| are) (?:making|choosing) (?:this|it|to)", r"you chose (?:to|not)",
        r"you brought (?:this|it)",
        r"you(?:'re| are) the one (?:who|that)", r"this is why",
        r"you have to (?:want|be willing|take|accept)",
        r"nothing will change (?:if|unless)",
        r"(?:that's|that is|it's|it is|this is) (?:a bit |pretty |quite |very |rather |so "
        r"|really )?"
        r"(?:self-defeating|avoidant|dramatic|unhelpful|irrational|selfish|immature|childish|rude"
        r"|ridiculous|not great|not okay|not acceptable|unacceptable|abuse|abusive|an excuse"
        r"|excuses"
        r"|a cop-out|on you)",
        r"don't be (?:silly|ridiculous|daft|stupid|dramatic|like that)",
        r"you need to (?:recognise|recognize|realise|realize|admit|understand|accept|see|grow"
        r"|calm)",
        r"you (?:might|may|must) have (?:misheard|misunderstood|forgotten|got (?:it|that) wrong)",
        r"(?:glad|good that|good) you (?:see|admit|realise|realize|agree|finally)",
        rf"{YOU_ARE} (?:just |clearly |obviously |probably )?(?:deflecting|projecting|transferring"
        r"|resisting|catastrophi[sz]ing|being (?:a bit |too |very )?sensitive|(?:a bit |too |very )"
        r"?sensitive|clearly not|obviously not|in denial|minimi[sz]ing)",
        r"if you (?:knew|really|actually|cared|wanted|had (?:done|listened|tried))",
        r"(?:might|may) be (?:deflecting|projecting|avoiding|resisting|in denial)",
        r"(?:that's|that is|it's|it is|this is) (?:a bit |pretty |quite |very |rather |so |really "
        r"|not"
        r" very |not a very |a very )?(?:lazy|harsh|unkind|mean|irresponsible|disrespectful"
        r"|inappropriate|out of order|unfair|not fair|extreme|(?:an? )?(?:awful|terrible|horrible"
        r"|nasty|cruel|unfair|strange|odd|weird) (?:thing|way))",
        r"(?:isn't|is not|not) (?:really |very )?appropriate", r"(?:in fairness|to be fair),? you",
        r"you do (?:show|go|tend|have|seem|get|make|keep|always)",
        r"if you(?:'re| are)? (?:not|never) (?:honest|willing|going to|prepared|open|trying)",
        r"if you (?:go in|keep|carry on|expect|don't|won't)[^.!?]{0,40}(?:won't|can't|will never"
        r"|not going to|no point)", r"(?:only|just) (?:hurts|harms) you",
        r"(?:we|i) can't (?:do|help|work|get)[^.!?]{0,30} if you", r"you should be (?:grateful"
        r"|ashamed|thankful|more)",
        r"(?:a )?(?:really |very )?(?:common|classic|typical) (?:part|sign"
        r"|symptom|pattern) of", r"you(?:'re| are) (?:being )?(?:hard work|a lot of work|too much)",
        r"you(?:'re| are) not (?:going to|gonna) get (?:better|anywhere)",
    ], negatable=True, reportable=True)
