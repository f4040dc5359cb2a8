"""The LTI forms: an instructor's deep-linking choice, and an admin's platform registration."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, NumberRange, Optional

from simulator.fields import WholeNumberField
from simulator.supervisor.forms import MODES, PAST_DUE, DayField

MAX_ATTEMPTS = 10
ATTEMPTS_MESSAGE = f"Attempts allowed must be a whole number from 1 to {MAX_ATTEMPTS}."


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class _Form(FlaskForm):
    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


class PickForm(_Form):
    """The scenario an LMS activity will open, and how it is assigned to the course."""

    scenario = RadioField("Scenario", validators=[DataRequired("Choose a scenario.")],
                          invalid_choice_message="Choose a scenario from the library.")
    mode = SelectField("Mode", choices=MODES, default="practice",
                       invalid_choice_message="Mode must be practice or assessment.")
    attempts_allowed = WholeNumberField(
        "Attempts allowed", id="attempts", default=1, invalid_value_message=ATTEMPTS_MESSAGE,
        validators=[DataRequired(ATTEMPTS_MESSAGE), NumberRange(1, MAX_ATTEMPTS, ATTEMPTS_MESSAGE)])
    due = DayField("Due date (optional)", validators=[Optional()],
                   invalid_value_message="The due date must be a date such as 2026-12-01.")

    def validate_due(self, field: DayField) -> None:
        if field.has_passed():
            raise ValidationError(PAST_DUE.format(day=field.data.isoformat()))


class PlatformForm(_Form):
    """An LMS registration as the LMS shows it; simulator.lti.platforms checks the values."""

    name = StringField("Name (optional)", id="platform-name", filters=[_stripped])
    issuer = StringField("Issuer (platform ID)", id="platform-issuer", filters=[_stripped])
    client_id = StringField("Client ID", id="platform-client-id", filters=[_stripped])
    auth_url = StringField("Authentication request URL (OIDC auth URL)", id="platform-auth-url",
                           filters=[_stripped])
    token_url = StringField("Access token URL", id="platform-token-url", filters=[_stripped])
    jwks_url = StringField("Public keyset URL (JWKS)", id="platform-jwks-url",
                           filters=[_stripped])
    deployment_ids = TextAreaField("Deployment IDs (one per line)", id="platform-deployments")

    def deployments(self) -> list[str]:
        return [line.strip() for line in (self.deployment_ids.data or "").splitlines()
                if line.strip()]
