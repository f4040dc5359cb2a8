"""Issuing a fresh set-password link from a page: the button, and the link shown once.

Admins (simulator/admin) may issue one for any account; supervisors (simulator/supervisor/
link_views.py) only for their cohorts' trainees who have never set a password. Both show the
result with the same partial, which owns its swap target and works as a plain form post.
"""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from flask_wtf import FlaskForm

from simulator.courses.tokens import DEFAULT_TTL, reissue_token, set_password_path
from simulator.db import get_session
from simulator.models import User
from simulator.users import UserError
from simulator.web import render_page_or_fragment


class LinkForm(FlaskForm):
    """The 'new link' button: nothing to fill in, but a CSRF token to check."""


def needs_first_link(user: User) -> bool:
    """A trainee who has never set a password: their supervisor may send them a new link."""
    return user.role == "trainee" and user.active and not user.password_hash


def show_link(person: User, *, action: str, back: tuple[str, str], status: int = 200,
              url: str | None = None, error: str | None = None):
    """The button (with `error` above it) or the issued link: a fragment for htmx, else a page."""
    response = render_page_or_fragment(
        "auth/reset_link.html", "auth/_reset_link.html", status, person=person,
        link_action=action, link_url=url, link_error=error, ttl_days=DEFAULT_TTL.days,
        back_url=back[0], back_label=back[1])
    response.headers["Cache-Control"] = "no-store"  # the page holds a secret link
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def issue_and_show(person: User, *, action: str, via: str, back: tuple[str, str]):
    """Issue a link for `person` (killing older ones), record who did it, and show it once."""
    if not LinkForm().validate_on_submit():
        abort(400)  # only a post without a valid CSRF token gets here, and CSRFProtect stops it
    session = get_session()
    try:
        raw = reissue_token(session=session, user=person, actor_id=current_user.id, via=via)
    except UserError as refused:
        session.rollback()
        return show_link(person, action=action, back=back, status=409, error=str(refused))
    session.commit()
    url = request.host_url.rstrip("/") + set_password_path(raw)
    return show_link(person, action=action, back=back, url=url)
