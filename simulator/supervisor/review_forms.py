"""The reviewer's forms: an override of one criterion, blind ratings, and the xAPI date.

Which criteria and levels exist comes from the rubric of the version the trainee played, so
the forms are built for it (`override_form`, `blind_form`); each bad field gets its own message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import TextInput

from simulator.courses.moments import MomentError, shown, utc_moment
from simulator.courses.reviews import effective_level
from simulator.models import Review, Turn
from simulator.rubric import Rubric, RubricItem
from simulator.supervisor.forms import ascii_int

MAX_COMMENT = 2000
COMMENT_TOO_LONG = f"Comments are limited to {MAX_COMMENT:,} characters."


def _scale(levels: list[int]) -> str:
    return f"({levels[0]}–{levels[-1]})"


class _LevelMixin:
    """A level on a rubric's scale, in ASCII digits; its messages name the scale.

    The scale is known only once the form is built (it depends on the chosen criterion), so
    text that is no whole number is remembered here and refused in pre_validate.
    """

    unreadable = False

    def process_formdata(self, valuelist):
        self.unreadable = bool(valuelist and valuelist[0].strip())
        if self.unreadable:
            try:
                self.data, self.unreadable = ascii_int(valuelist[0]), False
            except ValueError:
                self.data = None

    def pre_validate(self, form):
        levels = [choice.value for choice in self.choices]
        if self.unreadable or (self.data is None and self.flags.required):
            raise StopValidation(f"Choose a level on the scale {_scale(levels)}.")
        if self.data is not None and self.data not in levels:
            raise ValidationError(f"Level {self.data} is not on the scale {_scale(levels)}.")


class LevelSelectField(_LevelMixin, SelectField):
    """A level chosen from a list."""


class LevelRadioField(_LevelMixin, RadioField):
    """A level chosen with radio buttons."""


class ChoiceField(SelectField):
    """One of a list of choices, refused with the field's own message ({value} is the text)."""

    def __init__(self, *args, unknown: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unknown = unknown

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.unknown.format(value=str(self.data)[:40]))


class _Form(FlaskForm):
    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


class OverrideForm(_Form):
    criterion = ChoiceField("Criterion", unknown="Unknown criterion '{value}'.")
    level = LevelSelectField("Level", coerce=int, validators=[InputRequired()])
    comment = TextAreaField("Comment for the trainee", description=f"Up to {MAX_COMMENT:,} "
                            "characters.", validators=[
                                Length(max=MAX_COMMENT, message=COMMENT_TOO_LONG)])
    blind = BooleanField("Rated without seeing the engine's scores", false_values=("", "no"))
    next = ChoiceField("Then go to", default="review",
                       choices=[SelectChoice("review", "the review page"),
                                SelectChoice("blind", "blind rating")],
                       unknown="After saving, the page to go to is 'review' or 'blind', not "
                               "'{value}'.")


def _levels(item: RubricItem) -> list[SelectChoice]:
    return [SelectChoice(level.level, f"{level.level} · {level.label}") for level in item.levels]


def judged_criteria(rubric: Rubric, turn: Turn | None = None) -> list[RubricItem]:
    """The rubric's criteria that were judged at this turn (safety only at a risk cue); all of
    them for a turn stored without scores or when no turn is given."""
    stored = (turn.scores or {}).get("criteria") if turn is not None else None
    return [item for item in rubric.criteria if not stored or item.id in stored]


def override_form(rubric: Rubric, turn: Turn | None = None, **kwargs) -> OverrideForm:
    """An override form for this rubric; the levels offered are those of the chosen criterion."""
    form = OverrideForm(**kwargs)
    form.criterion.choices = [SelectChoice(item.id, item.name)
                              for item in judged_criteria(rubric, turn)]
    chosen = form.criterion.data if form.criterion.data in rubric.criterion_ids else None
    form.level.choices = _levels(rubric.item(chosen) if chosen else rubric.criteria[0])
    return form


def starting_override_forms(rubric: Rubric, turns: list[Turn],
                            history: Mapping[int, list[Review]]) -> dict[int, OverrideForm]:
    """A blank override form per turn that starts at the current level, not the lowest.

    The first criterion is chosen, its level preselected at the current effective level (the
    newest review's, else the engine's): a form saved without touching the level keeps that
    level instead of lowering it to the bottom of the scale.
    """
    forms = {}
    for turn in turns:
        judged = judged_criteria(rubric, turn)
        first = judged[0]
        current = {item.id: effective_level(turn, item.id, history.get(turn.id, []))
                   for item in judged}
        form = OverrideForm(formdata=None, criterion=first.id, level=current[first.id])
        form.criterion.choices = [SelectChoice(item.id, item.name) for item in judged]
        form.level.choices = _levels(first)
        # read by static/js/override.js when another criterion is chosen
        form.current_levels = {cid: level for cid, level in current.items() if level is not None}
        forms[turn.id] = form
    return forms


class BlindForm(_Form):
    """One optional level per criterion, as fields named level_<criterion id>."""

    def rated(self) -> list[tuple[str, int]]:
        """The (criterion, level) pairs the supervisor chose."""
        return [(name.removeprefix("level_"), field.data) for name, field in self._fields.items()
                if name.startswith("level_") and field.data is not None]


def blind_form(rubric: Rubric, turn: Turn | None = None, **kwargs) -> BlindForm:
    """A blind-rating form with a radio group for each criterion judged at the turn."""
    fields = {f"level_{item.id}": LevelRadioField(item.name, choices=_levels(item), coerce=int,
                                                  validators=[Optional()])
              for item in judged_criteria(rubric, turn)}
    return type("BlindRatingForm", (BlindForm,), fields)(**kwargs)


class MomentField(Field):
    """An ISO 8601 date or date-time, read as UTC when it names no zone."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = utc_moment(valuelist[0])
            except MomentError as error:
                raise ValueError(f"The {self.name} parameter {shown(valuelist[0])} {error}.") \
                    from None

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, datetime) else ""


class XapiQuery(_Form):
    """The xAPI download's query string."""

    since = MomentField("since", validators=[Optional()])
