"""The admin's forms: one account's role and whether it may sign in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired

from simulator.models import ROLES


class AccountForm(FlaskForm):
    role = SelectField("Role", choices=list(ROLES),
                       validators=[InputRequired("Choose a role.")])
    active = BooleanField("Active")

    @classmethod
    def showing(cls, user) -> AccountForm:
        """The form filled in from the stored account, not from any request."""
        return cls(formdata=None, data={"role": user.role, "active": user.active})
