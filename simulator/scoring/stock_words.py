"""Stock counselling vocabulary: words that carry a move but never a moment.

A sentence made only of these (and stop words) would fit after any client line ("It sounds like
that's really hard. I hear you. What would be most useful?"): context.py calls it stock. Naming
a feeling is not here: it commits to something about this client and is checked against what
the client showed. The trained model adds the words the corpus shows trainees using after any
client line (`generic_words` in weights.json).
"""

from __future__ import annotations

_STOCK = """
sounds sound sounded like feel feels feeling feelings felt hard difficult tough lot lots sense
makes make made making notice noticing noticed happening happened happen happens between
something things thing everything anything nothing useful helpful help helping support
supporting supported explore exploring share sharing shared appreciate appreciated valid
validate validating validated okay alright sorry wrong mistake mistakes part apologise
apologising apology apologies hear hearing heard understand understanding understood
understandable really important matter matters mattered right now today here moment moments
space safe together want wanted wanting need needs needed work working best most way bit little
try trying talk talking talked say saying said tell telling told more sure totally completely
absolutely definitely certainly genuinely honestly thank thanks glad care caring cared
experience experiences experiencing emotion emotions natural normal human reaction reactions
respond response wonder wondering wondered curious seems seem seemed imagine must might perhaps
maybe going goes get got well good great much many present presence open openly honest process
journey heavy weight carry carrying holding hold whatever deal dealing challenging challenge
struggle struggling fault responsibility own owning acknowledge acknowledging acknowledged
accept accepting check checking pace call choice choices decide decision direction forward next
step steps goal goals focus priority able collaborate relationship connection dynamic shift
shifted shifting energy tension situation issue issues concern concerns point points
perspective view views side sides someone people person anyone everyone kind sort whole real
true clear course learn grow trust trusting judgement judge judging without allowed every
entitled listening listen listened words word mean means meant brave courage strength strong
proud effort wonderful amazing else again session sessions therapy counselling resonate
resonates narrative story stories unpack navigate growth healing heal wellbeing boundaries
boundary thoughts thought voice seen valued respected welcome meaningful significant powerful
complex entirely fully deeply truly clearly obviously simply quite pretty very also just still
even such whenever anytime always never sometimes often ever actually basically literally
certain stuff express expressing expressed acknowledgement validation empathy empathise
empathize compassion compassionate gentle kindness patience patient comfortable uncomfortable
focusing explored deeper deep level levels area areas aspect aspects factor factors approach
supportive hope hoping hoped wish sincerely apologize reflect reflecting reflection pause
pausing slow slowing worth spot check-in role parts honesty insensitive dynamics relatable
judgemental judgmental ready breath breathe breathing vulnerable vulnerability yourself respect
respecting pressure loving validity coming from safety secure hug cliche technology technical
difficulties inconvenience upset upsetting hurtful sincere worries worry worrying frustrating
stressful overwhelming overwhelmed discuss discussing chat chatting spaces there week heart
heartfelt strengths resilience resilient courageous incredible fine nice lovely appreciating
grateful thankful gratitude happy pleased path progress land landed lands landing shifts
contributed contribute contributing recognise recognised gotten ourselves rest ongoing position
missed missing earlier differently let's there's that's what's i'd you'd how's i'll it'll we'll
we'd they'd he's she's who's here's doesn't isn't aren't wasn't weren't haven't hasn't won't
wouldn't couldn't shouldn't through anyway however across only other others both each before
after around out while into either enough rather whether least somewhere doing done take takes
took taking see seeing looks look looking show showing shows find finding brings comes start
remember better harder different long last new self-care judgement-free openness comfort
comforting valuable value tools tool refocus counts count learning linear timeline personal
identity caused cause intention intentions handled handle expecting expect expectations asking
ask question questions reasons reason serious correcting safer sensing weighing absorbing
incredibly precisely total congrats congratulations everyone's somebody anybody nobody
everybody alot loads plenty couple few several entire complete given overall general generally
particular particularly specific specifically room rooms we're they're you're i'm it's
collaboratively preferably ideally painful awful rough exhausting scary horrible confusing
distressing draining discouraging disheartening terrifying frightening infuriating maddening
annoying ownership figure figuring tensions unheard proceed follow lead leading guide guiding
steer steering directions properly safely gently kindly non-judgemental
"""

# Verbs of talking, thinking, feeling and helping, in every form: they carry the move, never the
# moment ("I recognise I may have got something wrong", "what you're describing").
_VERBS = """
describe react recognise acknowledge express experience process explore navigate understand
mean notice wonder hear share talk tell say ask feel think know want need love like hope wish
care help support try work decide choose use make get go come take give find keep let seem
sound look happen change matter deal cope handle manage struggle carry hold open bring move own
apologise appreciate respect trust value validate accept allow pace rest continue pause slow
focus reflect imagine sense guess suppose believe realise consider mention check offer suggest
agree learn grow heal connect relate resonate witness honour welcome invite reach unpack sit
stay land shift contribute miss listen speak discuss clarify explain answer respond receive
leave stop start end begin become remain prefer collaborate
"""


def _forms(verb: str) -> set[str]:
    """A verb's everyday forms ("describe" -> describes, described, describing)."""
    stem_e = verb[:-1] if verb.endswith("e") else verb
    found = {verb, verb + "s", stem_e + "ed", stem_e + "ing", verb + "d"}
    if verb.endswith("y"):
        found |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return found


GENERIC_WORDS = frozenset(_STOCK.split()) | frozenset(
    form for verb in _VERBS.split() for form in _forms(verb))
