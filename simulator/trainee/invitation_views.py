"""Answering an invitation to join a cohort: from its link (/join/<token>) or the dashboard.

Only the invitee answers, signed in. A link for an account that has never had a password
sets the password first, and setting it accepts. The token is in the URL, so the link's pages
send no referrer and are not cached; nothing here logs it.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from simulator.audit import record
from simulator.courses.invitations import (
    InvitationError,
    accept,
    decline,
    find_invitation,
    pending_for,
)
from simulator.courses.tokens import TokenError, redeem_token, user_for_token
from simulator.db import get_session
from simulator.models import Cohort, CohortInvitation, User
from simulator.trainee import bp
from simulator.users import MIN_PASSWORD_LENGTH, UserError
from simulator.web import wants_fragment

UNKNOWN_LINK = ("This link does not open an invitation. Check that it was copied whole, or ask "
                "the person who invited you for a new one.")
SHORT = f"Passwords need at least {MIN_PASSWORD_LENGTH} characters."


class AnswerForm(FlaskForm):
    """Accept or decline: the URL says which, so the form carries only its CSRF token."""

    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


class JoinPasswordForm(FlaskForm):
    """A first password, set through an invitation link."""

    password = PasswordField("New password", validators=[
        DataRequired(SHORT), Length(min=MIN_PASSWORD_LENGTH, max=512, message=SHORT)])
    confirm = PasswordField("Type the password again", validators=[
        DataRequired("Type the password a second time."),
        EqualTo("password", message="The two passwords do not match.")])

    class Meta:
        csrf = False  # the app's CSRFProtect already checks every POST, with its own message


# The link's pages, refusals included: no referrer to other sites, nothing kept in caches.
PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _join_page(invitation: CohortInvitation | None, status: int = 200, **context):
    session = get_session()
    cohort = session.get(Cohort, invitation.cohort_id) if invitation else None
    page = render_template("trainee/join.html", invitation=invitation, cohort=cohort,
                           form=context.pop("form", AnswerForm(formdata=None)), **context)
    return page, status, PRIVATE


def _sets_password(token: str, invitation: CohortInvitation) -> User | None:
    """The invitee, when this link can still set their first password."""
    try:
        user = user_for_token(session=get_session(), raw=token)
    except TokenError:
        return None
    return user if user.id == invitation.user_id and user.password_hash is None else None


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """The invitation link: set a first password and join, or sign in and answer."""
    invitation = find_invitation(session=get_session(), raw=token)
    if invitation is None:
        return _join_page(None, 404, state="unknown", message=UNKNOWN_LINK)
    if invitation.status != "pending":
        return _join_page(invitation, state="answered")
    if current_user.is_authenticated:
        mine = current_user.id == invitation.user_id
        return _join_page(invitation, state="answer" if mine else "someone else")
    newcomer = _sets_password(token, invitation)
    if newcomer is None:
        return _join_page(invitation, state="sign in",
                          login=url_for("auth.login", next=request.path))
    return _set_first_password(token, invitation, newcomer)


def _set_first_password(token: str, invitation: CohortInvitation, user: User):
    session = get_session()
    form = JoinPasswordForm()
    if form.validate_on_submit():
        try:
            redeem_token(session=session, raw=token, password=form.password.data)
            accept(session=session, invitation=invitation, user=user)
        except (TokenError, InvitationError):
            session.rollback()
            return _join_page(invitation, state="answered")
        except UserError as error:
            session.rollback()
            form.password.errors.append(str(error))
        else:
            _audit(invitation, user.id, "accepted")
            session.commit()
            cohort = session.get(Cohort, invitation.cohort_id)
            flash(f"Your password is set and you have joined {cohort.name}. Please sign in.",
                  "success")
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return _join_page(invitation, status, state="set password", form=form, email=user.email,
                      min_length=MIN_PASSWORD_LENGTH)


def _audit(invitation: CohortInvitation, actor_id: int, status: str) -> None:
    record(get_session(), actor_id=actor_id, action=f"cohort.invitation_{status}",
           object_type="cohort", object_id=str(invitation.cohort_id))


def _mine_or_404(invitation_id: int) -> CohortInvitation:
    invitation = get_session().get(CohortInvitation, invitation_id)
    if invitation is None or invitation.user_id != current_user.id:
        abort(404)
    return invitation


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id: int):
    """Join the cohort of one of your invitations."""
    return _answer(invitation_id, "accept")


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id: int):
    """Say no to one of your invitations."""
    return _answer(invitation_id, "decline")


def _answer(invitation_id: int, answer: str):
    invitation = _mine_or_404(invitation_id)
    if not AnswerForm().validate_on_submit():
        abort(400)
    session = get_session()
    cohort = session.get(Cohort, invitation.cohort_id)
    try:
        (accept if answer == "accept" else decline)(session=session, invitation=invitation,
                                                    user=current_user.user)
    except InvitationError as error:
        session.rollback()
        return _answered(str(error), "warning", 409)
    _audit(invitation, current_user.id, invitation.status)
    session.commit()
    if answer == "accept":
        return _answered(f"You have joined {cohort.name}.", "success")
    return _answered(f"You declined the invitation to {cohort.name}.", "info")


def _answered(message: str, category: str, status: int = 200):
    """The invitations again for an htmx swap; otherwise back to the dashboard."""
    if wants_fragment():
        response = make_response(render_template(
            "trainee/_invitations.html", invitation_message=(message, category),
            invitations=pending_for(session=get_session(), user_id=current_user.id)), status)
        response.vary.add("HX-Request")
        return response
    flash(message, category)
    return redirect(url_for("trainee.dashboard"), code=303)
