"""The supervisor's forms: a cohort, a person, assignments, and a roster.

Typed fields with their limits and messages; what depends on the data (which scenarios exist,
who is in the cohort, whether the signed-in user may add supervisors) is given as choices or
checked by the view, which puts the message beside the field all the same.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from simulator.courses.cohorts import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from simulator.fields import WholeNumberField, ascii_int
from simulator.models.types import utcnow
from simulator.users import EMAIL_PATTERN

MAX_ATTEMPTS_ALLOWED = 20
MAX_EMAIL_LENGTH = 254
MAX_PERSON_NAME = 120
ATTEMPTS_MESSAGE = f"Attempts allowed must be a whole number from 1 to {MAX_ATTEMPTS_ALLOWED}."
EMAIL_MESSAGE = "Type an email address such as name@example.org."
PAST_DUE = "The due date {day} has already passed; choose today or a later date."
MODES = [SelectChoice("practice", "Practice"), SelectChoice("assessment", "Assessment")]
COHORT_ROLES = [SelectChoice("trainee", "Trainee"), SelectChoice("supervisor", "Supervisor")]


def _stripped(value) -> str:
    return value.strip() if isinstance(value, str) else ""


class DayField(DateField):
    """A calendar date (YYYY-MM-DD), with the field's own message for anything else."""

    def end_of_day(self) -> datetime | None:
        """The last second of the day in UTC, or None when no date was given."""
        if self.data is None:
            return None
        return datetime.combine(self.data, time(23, 59, 59), tzinfo=UTC)

    def has_passed(self) -> bool:
        """True for a day before today; "today" is the UTC date, as end_of_day stores it."""
        return self.data is not None and self.data < utcnow().date()


class _Form(FlaskForm):
    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


class CohortForm(_Form):
    """A new cohort: its name and an optional description."""

    name = StringField("Name (for example, a course section)", id="cohort-name",
                       filters=[_stripped], validators=[
        DataRequired("A cohort needs a name."),
        Length(max=MAX_NAME_LENGTH,
               message=f"Cohort names can be at most {MAX_NAME_LENGTH} characters.")])
    description = StringField("Description (optional)", id="cohort-description",
                              filters=[_stripped], validators=[
        Length(max=MAX_DESCRIPTION_LENGTH,
               message=f"Descriptions can be at most {MAX_DESCRIPTION_LENGTH:,} characters.")])


class PersonForm(_Form):
    """One person to add to a cohort."""

    email = EmailField("Email", id="member-email", filters=[_stripped], validators=[
        DataRequired("Type the person's email address."),
        Length(max=MAX_EMAIL_LENGTH, message=f"Emails can be at most {MAX_EMAIL_LENGTH} "
                                             "characters."),
        Regexp(EMAIL_PATTERN, message=EMAIL_MESSAGE)])
    name = StringField("Name", id="member-name", filters=[_stripped], validators=[
        Length(max=MAX_PERSON_NAME, message=f"Names can be at most {MAX_PERSON_NAME} "
                                            "characters.")])
    role = SelectField("Role", id="member-role", choices=COHORT_ROLES, default="trainee",
                       invalid_choice_message="Choose trainee or supervisor.")


class AssignForm(_Form):
    """Scenarios to assign, to the whole cohort or to chosen trainees."""

    scenario = SelectMultipleField(
        "Scenarios", validators=[DataRequired("Choose at least one scenario from the library.")],
        invalid_choice_message="Choose scenarios from the library only.")
    trainee = SelectMultipleField(
        "Who (leave all unticked for the whole cohort)", coerce=ascii_int,
        invalid_value_message="Choose trainees from this cohort only.",
        invalid_choice_message="Choose trainees from this cohort only.")
    due = DayField("Due date (optional)", validators=[Optional()],
                   invalid_value_message="The due date must be a date such as 2026-12-01.")
    mode = SelectField("Mode", choices=MODES, default="practice",
                       invalid_choice_message="Mode must be practice or assessment.")
    attempts_allowed = WholeNumberField(
        "Attempts allowed", id="attempts", default=1, invalid_value_message=ATTEMPTS_MESSAGE,
        validators=[DataRequired(ATTEMPTS_MESSAGE),
                    NumberRange(1, MAX_ATTEMPTS_ALLOWED, ATTEMPTS_MESSAGE)])

    def validate_due(self, field: DayField) -> None:
        """A new assignment is due today or later (assignments are not edited once made)."""
        if field.has_passed():
            raise ValidationError(PAST_DUE.format(day=field.data.isoformat()))


class RosterUploadForm(_Form):
    """A roster CSV to preview."""

    roster = FileField("Roster CSV with the columns email, name, role", id="roster")


class RosterConfirmForm(_Form):
    """The previewed roster, sent back to be imported."""

    payload = HiddenField()
    skip_invalid = BooleanField("Import only the good rows and leave the others out",
                                false_values=("", "false", "no", "0"))
