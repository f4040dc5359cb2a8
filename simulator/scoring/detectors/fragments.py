"""Regular-expression fragments shared by the detectors."""

from __future__ import annotations

from simulator.scoring.lexicon import FEELINGS

YOU_ARE = r"(?:you're|you are|youre)"
I_AM = r"(?:i'm|i am)"
I_HAVE = r"(?:i've|i have)"
_MULTIWORD_FEELINGS = (
    r"fed up", r"let down", r"worn (?:out|down)", r"burnt out", r"burned out", r"sick of",
    r"tired of", r"done with", r"on edge", r"shut (?:out|down)", r"left out", r"brushed off",
    r"talked down to", r"put on the spot", r"pushed away", r"not (?:heard|listened to|seen)",
    r"taken for granted", r"out of your depth", r"at a loss", r"beside yourself",
    r"not good enough", r"like a failure", r"like a burden", r"on your own",
)
FEEL = "(?:" + "|".join(sorted(FEELINGS) + list(_MULTIWORD_FEELINGS)) + ")"
# Up to three filler words between a verb and the feeling ("you feel really quite let down").
GAP = r"(?:[a-z']+ ){0,3}?"
HARD = (
    r"(?:hard|difficult|tough|painful|awful|rough|a lot|heavy|frustrating|exhausting|upsetting"
    r"|scary|unfair|horrible|confusing|lonely|overwhelming|hurtful|distressing|draining"
    r"|discouraging|disheartening|terrifying|frightening|infuriating|maddening|annoying)"
)
DEGREE = r"(?:really |so |incredibly |pretty |very |quite |such |a bit |totally |kind of )?"
