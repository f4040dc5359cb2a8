"""One alliance measure for every page: strength, where higher is better.

The engine tracks 3RS rupture *salience* (1 not salient .. 5 very salient); a trainee reads the
opposite, how strong the working relationship is, so every meter, chart and sentence shows
strength = 6 - salience and uses the words here.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.alliance import MAX_SALIENCE, MIN_SALIENCE

STRENGTH_LABELS = {1: "at breaking point", 2: "strained", 3: "uncertain", 4: "steadier",
                   5: "strong"}
TOP = MAX_SALIENCE


def strength(salience: int) -> int:
    """Alliance strength 1..5 (higher is better) for a rupture salience 1..5."""
    clamped = min(MAX_SALIENCE, max(MIN_SALIENCE, int(salience)))
    return MAX_SALIENCE + MIN_SALIENCE - clamped


def change(before_salience: int | None, after_salience: int) -> str | None:
    """"stronger", "weaker" or "same" from one state to the next; None with nothing before."""
    if before_salience is None:
        return None
    delta = strength(after_salience) - strength(before_salience)
    return "stronger" if delta > 0 else "weaker" if delta < 0 else "same"


def change_words(before_salience: int | None, after_salience: int, client_name: str) -> str:
    """What just happened to the alliance, in a sentence that matches the direction."""
    now = strength(after_salience)
    label = STRENGTH_LABELS[now]
    moved = change(before_salience, after_salience)
    if moved == "stronger":
        return (f"The alliance with {client_name} grew stronger after your response: "
                f"{label} ({now} of {TOP}).")
    if moved == "weaker":
        return (f"The alliance with {client_name} weakened after your response: "
                f"{label} ({now} of {TOP}).")
    if moved == "same":
        return f"The alliance with {client_name} held where it was: {label} ({now} of {TOP})."
    return f"The alliance with {client_name} at the start: {label} ({now} of {TOP})."


@dataclass(frozen=True)
class AllianceMeter:
    """What a meter shows: the strength, its label, the sentence for everyone, the change."""

    strength: int
    label: str
    text: str
    change: str | None
    top: int = TOP


def meter(salience: int, previous_salience: int | None, client_name: str) -> AllianceMeter:
    """The meter after the latest answer (`previous_salience` is the state before it)."""
    now = strength(salience)
    return AllianceMeter(now, STRENGTH_LABELS[now],
                         change_words(previous_salience, salience, client_name),
                         change(previous_salience, salience))
