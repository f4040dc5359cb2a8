"""The authoring forms: the editor (text and a note on the change) and publishing."""

from __future__ import annotations

from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from simulator.authoring.drafts import MAX_DRAFT_CHARS
from simulator.fields import WholeNumberField
from simulator.supervisor.forms import _Form  # noqa: PLC2701  (the shared CSRF rule)

MAX_MESSAGE = 500


class EditorForm(_Form):
    """The whole YAML text, and what changed in this save (kept with the version)."""

    text = TextAreaField("Scenario YAML", id="scenario-yaml", validators=[
        DataRequired("The scenario is empty; write or paste its YAML."),
        Length(max=MAX_DRAFT_CHARS, message=f"The text is longer than {MAX_DRAFT_CHARS // 1024}"
                                            " KiB; split the scenario into two.")])
    message = StringField("What changed (optional, kept with this version)",
                          id="version-message",
                          validators=[Length(max=MAX_MESSAGE, message="Keep the note under "
                                             f"{MAX_MESSAGE} characters.")])


class CheckForm(_Form):
    """The live check: only the text."""

    text = TextAreaField(validators=[Length(max=MAX_DRAFT_CHARS)])


class PublishForm(_Form):
    """Which version goes to which cohorts (choices are the cohorts this user supervises)."""

    version = WholeNumberField("Version to publish", id="publish-version",
                               validators=[DataRequired("Choose a version to publish.")])
    cohorts = SelectMultipleField("Cohorts whose trainees get it", id="publish-cohorts",
                                  coerce=int, choices=[], validate_choice=False)
    everyone = BooleanField("Every trainee, in every cohort (admins only)",
                            id="publish-everyone")
