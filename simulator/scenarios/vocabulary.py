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
