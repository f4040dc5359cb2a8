"""What the play page's options show: their shuffled order, what is ticked, the mode, errors."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.practice.answers import PICK_A_CHOICE, PICK_A_MODE, Answer
from simulator.practice.choice_order import shown_order
from simulator.scenarios.model import ClientNode


@dataclass(frozen=True)
class ShownOption:
    """One option as shown: its authored index (the value sent back), its text, whether ticked."""

    index: int
    text: str
    checked: bool


@dataclass(frozen=True)
class ChoicesView:
    """The options of the current moment and, where words are offered too, the mode question."""

    options: tuple[ShownOption, ...]
    both: bool
    mode: str | None
    mode_error: str | None
    choice_error: str | None


def choices_view(attempt_id: str, node: ClientNode, draft: Answer | None,
                 form_error: str | None) -> ChoicesView:
    """The options in this attempt's order for this moment, with the answer being retried."""
    picked = draft.choice if draft else None
    options = tuple(ShownOption(i, node.choices[i].text, picked == i)
                    for i in shown_order(attempt_id, node.id, len(node.choices)))
    return ChoicesView(
        options=options, both=node.respond == "both", mode=draft.mode if draft else None,
        mode_error=form_error if form_error == PICK_A_MODE else None,
        choice_error=form_error if form_error == PICK_A_CHOICE else None,
    )
