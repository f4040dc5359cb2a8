"""Roster upload: preview every row and problem first; nothing is written until confirmed.

A supervisor's roster invites its people (trainees only), and neither the preview nor the
result says who already had an account. An admin's roster adds people directly. Confirming the
same roster twice, even at the same moment, applies it once.
"""

from __future__ import annotations

import base64
import binascii

from flask import render_template, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from simulator.audit import record
from simulator.courses.cohorts import CohortError
from simulator.courses.invitations import invite, is_member
from simulator.courses.roster import apply_roster, parse_roster
from simulator.courses.roster_once import applied_at, claim_roster
from simulator.db import get_session
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404
from simulator.supervisor.cohort_views import cohort_page
from simulator.supervisor.forms import RosterConfirmForm, RosterUploadForm
from simulator.supervisor.home import SUPERVISORS
from simulator.users import UserError

MAX_ROSTER_BYTES = 512 * 1024
NO_FILE = "Choose a CSV file with the columns email, name, role."
TOO_BIG = "The file is larger than 512 KiB; split it into smaller rosters."
STILL_PROBLEMS = ("Nothing was imported: the roster still has problems. Fix them, or choose "
                  "to import only the good rows.")
CHANGED = ("Nothing was imported: some of these people changed while the roster was being "
           "imported. Preview the roster again.")


def _inviting() -> bool:
    return current_user.role != "admin"


def _uploaded(form: RosterUploadForm) -> bytes | None:
    """The file's bytes, or None with the message beside the file field."""
    upload = form.roster.data
    if upload is None or not getattr(upload, "filename", ""):
        form.roster.errors.append(NO_FILE)
        return None
    data = upload.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        form.roster.errors.append(TOO_BIG)
        return None
    return data


@bp.post("/cohorts/<int:cohort_id>/roster")
@role_required(*SUPERVISORS)
def roster_preview(cohort_id: int):
    """Show what the roster would do, and every bad row with its line number."""
    cohort = cohort_or_404(cohort_id)
    form = RosterUploadForm()
    form.validate_on_submit()
    data = _uploaded(form)
    if data is None:
        return cohort_page(cohort, 422, roster_form=form)
    preview = parse_roster(data, session=get_session(), invite=_inviting())
    return render_template("supervisor/roster.html", cohort=cohort, preview=preview, error=None,
                           filename=form.roster.data.filename,
                           form=RosterConfirmForm(formdata=None,
                                                  payload=base64.b64encode(data).decode("ascii")))


def _payload(form: RosterConfirmForm) -> bytes:
    try:
        return base64.b64decode(form.payload.data or "", validate=True)
    except (binascii.Error, ValueError):
        return b""


@bp.post("/cohorts/<int:cohort_id>/roster/confirm")
@role_required(*SUPERVISORS)
def roster_confirm(cohort_id: int):
    """Import the previewed roster (good rows only when asked to skip the bad ones)."""
    cohort = cohort_or_404(cohort_id)
    form = RosterConfirmForm()
    form.validate_on_submit()
    session = get_session()
    preview = parse_roster(_payload(form), session=session, invite=_inviting())  # re-checked
    if not preview.rows or (preview.problems and not form.skip_invalid.data):
        form.skip_invalid.errors.append(STILL_PROBLEMS)
        return render_template("supervisor/roster.html", cohort=cohort, preview=preview,
                               error=STILL_PROBLEMS, form=form), 422
    if not claim_roster(session=session, cohort=cohort, preview=preview,
                        actor_id=current_user.id):
        return _already_imported(cohort, preview)
    try:
        links = _apply(cohort, preview)
        session.commit()
    except (IntegrityError, CohortError, UserError):
        session.rollback()
        return render_template("supervisor/roster.html", cohort=cohort, preview=preview,
                               error=CHANGED, form=form), 409
    return render_template("supervisor/roster_done.html", cohort=cohort, preview=preview,
                           links=links, base_url=request.host_url, already=None)


def _apply(cohort, preview) -> list:
    session = get_session()
    if not preview.invite:
        return apply_roster(session=session, cohort=cohort, preview=preview,
                            actor_id=current_user.id)
    # Someone already in the cohort is on the member list the supervisor sees: no invitation.
    links = [invite(session=session, cohort=cohort, email=row.email, name=row.name,
                    invited_by=current_user.id) for row in preview.rows
             if not is_member(session=session, cohort=cohort, email=row.email)]
    session.flush()
    record(session, actor_id=current_user.id, action="cohort.roster_invite",
           object_type="cohort", object_id=str(cohort.id), invited=len(links),
           skipped=len(preview.bad_lines), user_ids=[link.user_id for link in links])
    return links


def _already_imported(cohort, preview):
    """The answer to a second confirm of the same roster: said plainly, nothing written."""
    when = applied_at(session=get_session(), cohort=cohort, preview=preview)
    return render_template("supervisor/roster_done.html", cohort=cohort, preview=preview,
                           links=[], base_url=request.host_url, already=when)
