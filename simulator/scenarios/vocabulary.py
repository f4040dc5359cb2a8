"""The fixed vocabulary of rupture families and 3RS marker forms that scenarios may use."""

from __future__ import annotations

RUPTURE_TYPES = ("withdrawal", "confrontation", "testing", "mixed")
NOTICE_FAMILIES = ("withdrawal", "confrontation", "testing")
DIRECTIONS = ("away", "against")
OUTCOMES = ("repaired", "partly-repaired", "unresolved", "escalated")
RESPOND_MODES = ("free", "choice", "both")

MARKERS: dict[str, tuple[str, ...]] = {
    "withdrawal": (
        "denial-of-feeling",
        "minimal-response",
        "abstract-talk",
        "storytelling",
        "shifting-topic",
        "deferential-appeasing",
        "content-affect-split",
        "self-criticism-hopelessness",
    ),
    "confrontation": (
        "complaint-about-therapist",
        "rejecting-intervention",
        "complaint-about-activities",
        "complaint-about-parameters",
        "complaint-about-progress",
        "defending-self",
        "control-pressure",
    ),
    "testing": (
        "shame-disclosure",
        "reassurance-seeking",
        "provocative-statement",
        "boundary-push",
    ),
    "any": ("cultural-misattunement", "therapist-error"),
}

ALL_MARKERS: tuple[str, ...] = tuple(m for group in MARKERS.values() for m in group)

MARKER_LABELS: dict[str, str] = {m: m.replace("-", " ").capitalize() for m in ALL_MARKERS}


def family_of(marker: str) -> str | None:
    """The rupture family a marker belongs to, 'any' for cross-family markers, None if unknown."""
    for family, markers in MARKERS.items():
        if marker in markers:
            return family
    return None

# What a scenario is: a branching conversation, or a drill (single statements, one marker,
# answered in turn until a stated mastery criterion is met; docs/authoring.md).
KINDS = ("scenario", "drill")

# Where the session takes place (docs/scenario-format.md).
SETTINGS = ("individual", "couple", "group", "telehealth", "school", "inpatient", "interpreted",
            "mandated")

# The client's age band, with the ages it covers (checked against client.age).
AGE_BANDS: dict[str, tuple[int, int]] = {
    "adolescent": (13, 17),
    "young-adult": (18, 25),
    "adult": (26, 64),
    "older-adult": (65, 120),
}

# The kinds of risk cue a client node can carry (`risk:`): the safety layer (docs/scoring.md).
RISK_KINDS = ("suicidal-ideation", "self-harm", "harm-to-others", "child-safeguarding",
              "domestic-abuse")

# The 3RS resolution strategies a node's repairing move can use (`repair:`).
STRATEGIES: dict[str, str] = {
    "clarify-misunderstanding": "Clarifying a misunderstanding",
    "change-task-or-goal": "Changing or re-negotiating the task or goal",
    "give-rationale": "Illustrating a task or giving its rationale",
    "invite-relationship-talk": "Inviting talk about the relationship or the therapy",
    "acknowledge-contribution": "Acknowledging one's own contribution",
    "disclose-own-reaction": "Disclosing one's own reaction, in the client's service",
    "link-to-patterns": "Linking the rupture to patterns in the client's relationships",
    "validate-defensive-posture": "Validating the defensive posture",
    "redirect-refocus": "Redirecting or refocusing",
}

DIFFICULTY_LEVELS = (1, 2, 3)
