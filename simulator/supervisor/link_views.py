"""A new set-password link for a cohort's trainee who has never set a password.

A supervisor may not issue one for an account that has a password: whoever held the link could
take the account over. Those go through an administrator (the admin page or
`simulator users reset-link`).
"""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user
from sqlmodel import select

from simulator.auth.reset_links import issue_and_show, needs_first_link, show_link
from simulator.db import get_session
from simulator.models import CohortMember, User
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404
from simulator.supervisor.home import SUPERVISORS

ADMINS_ONLY = (
    "{email} has already set a password, so only an administrator can issue a new link: a link "
    "lets whoever holds it choose the password. If they have forgotten theirs, ask an "
    "administrator.")


def trainee_member_or_404(cohort_id: int, user_id: int) -> User:
    """A trainee of this cohort, or 404 (the same answer as for anyone else's account)."""
    found = get_session().exec(select(User).join(
        CohortMember, CohortMember.user_id == User.id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id,
        CohortMember.role == "trainee", User.role == "trainee")
        .execution_options(populate_existing=True)).first()
    if found is None:
        abort(404)
    return found


@bp.post("/cohorts/<int:cohort_id>/members/<int:user_id>/reset-link")
@role_required(*SUPERVISORS)
def reset_link(cohort_id: int, user_id: int):
    """Issue a fresh link (older ones stop working) and show it once, on the cohort page."""
    cohort = cohort_or_404(cohort_id)
    person = trainee_member_or_404(cohort.id, user_id)
    action = url_for("supervisor.reset_link", cohort_id=cohort.id, user_id=person.id)
    back = (url_for("supervisor.cohort", cohort_id=cohort.id), cohort.name)
    if not needs_first_link(person) and current_user.role != "admin":
        message = ADMINS_ONLY.format(email=person.email) if person.password_hash else \
            f"{person.email} is switched off, so a link would not work."
        return show_link(person, action=action, back=back, status=409, error=message)
    return issue_and_show(person, action=action, via="supervisor", back=back)


@bp.app_template_global()
def may_send_first_link(user: User) -> bool:
    """Whether the cohort page offers this member a new-link button."""
    return needs_first_link(user)
