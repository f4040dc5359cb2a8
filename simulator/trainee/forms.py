"""The trainee's forms: starting an attempt and answering a moment.

Typed fields with their limits; what a field may hold beyond its type (which choices this
moment offers, whether it wants words or a choice) is the practice package's check, which
knows the moment.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from simulator.fields import WholeNumberField
from simulator.practice.answers import ANSWER_MODES, MAX_NOTE_CHARS, PICK_A_MODE, Answer
from simulator.scenarios.vocabulary import RUPTURE_TYPES

NOTE_LIMIT = MAX_NOTE_CHARS  # shown in the form, refused beyond it (never cut)
MAX_TURNS = 10_000
MAX_CHOICES = 100
MODES = ["practice", "assessment"]  # plain values: the template writes the labels
NOT_YOURS = "That is not one of your assignments."
NOT_A_CHOICE = "That option is not one of the choices."
STALE = "This page is out of date. Reload it to see where the session stands."


class StartForm(FlaskForm):
    """Start an attempt: at an assignment (its id) or on one's own (practice or assessment)."""

    assignment = WholeNumberField(
        validators=[Optional(), NumberRange(min=1, message=NOT_YOURS)],
        invalid_value_message=NOT_YOURS)
    mode = RadioField("Mode", choices=MODES, default="practice",
                      validators=[Optional()], validate_choice=True)

    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


class AnswerForm(FlaskForm):
    """One answer to the client's current line."""

    turn = WholeNumberField(validators=[InputRequired(STALE), NumberRange(0, MAX_TURNS, STALE)])
    node = HiddenField(validators=[Optional(), Length(max=100, message=STALE)])
    response = TextAreaField(validators=[Optional()])
    choice = WholeNumberField(validators=[Optional(), NumberRange(0, MAX_CHOICES, NOT_A_CHOICE)],
                              invalid_value_message=NOT_A_CHOICE)
    # Where a moment offers both, which one counts; whether it is needed is the moment's check.
    mode = RadioField(choices=list(ANSWER_MODES), validate_choice=False,
                      validators=[Optional(), AnyOf(ANSWER_MODES, message=PICK_A_MODE)])
    notice_family = RadioField(choices=list(RUPTURE_TYPES),
                               validators=[Optional()], validate_choice=True)
    notice_markers = SelectMultipleField(validate_choice=False)
    notice_reaction = TextAreaField(validators=[Length(
        max=NOTE_LIMIT, message=f"Your note is longer than {NOTE_LIMIT:,} characters. It is "
                                "still in the box: please shorten it.")])  # beside the box

    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message

    def answer(self) -> Answer:
        """What was sent, as the practice package takes it."""
        markers = tuple(m for m in (self.notice_markers.data or []) if isinstance(m, str))
        return Answer(response=self.response.data, choice=self.choice.data,
                      mode=self.mode.data if self.mode.data in ANSWER_MODES else None,
                      notice_family=self.notice_family.data or None,
                      notice_markers=tuple(dict.fromkeys(markers)),
                      notice_reaction=self.notice_reaction.data or "")

    def first_error(self) -> str | None:
        """The message for the form as a whole (hidden fields and choices have no box)."""
        if self.turn.errors or self.node.errors:  # hidden: only a stale or forged page
            return STALE
        for field in (self.mode, self.choice, self.notice_family, self.notice_markers):
            if field.errors:
                return field.errors[0]
        return None
