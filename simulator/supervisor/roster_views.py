"""Roster upload: preview every row and problem first; nothing is written until confirmed."""

from __future__ import annotations

import base64
import binascii

from flask import render_template, request
from flask_login import current_user

from simulator.courses.roster import apply_roster, parse_roster
from simulator.db import get_session
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404
from simulator.supervisor.home import SUPERVISORS

MAX_ROSTER_BYTES = 512 * 1024


def _uploaded() -> tuple[bytes | None, str | None]:
    upload = request.files.get("roster")
    if upload is None or not upload.filename:
        return None, "Choose a CSV file with the columns email, name, role."
    data = upload.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        return None, "The file is larger than 512 KiB; split it into smaller rosters."
    return data, None


@bp.post("/cohorts/<int:cohort_id>/roster")
@role_required(*SUPERVISORS)
def roster_preview(cohort_id: int):
    """Show what the roster would create, and every bad row with its line number."""
    cohort = cohort_or_404(cohort_id)
    data, error = _uploaded()
    if error:
        return render_template("supervisor/roster.html", cohort=cohort, preview=None,
                               error=error, payload=""), 422
    preview = parse_roster(data, session=get_session())
    return render_template("supervisor/roster.html", cohort=cohort, preview=preview, error=None,
                           filename=request.files["roster"].filename,
                           payload=base64.b64encode(data).decode("ascii"))


@bp.post("/cohorts/<int:cohort_id>/roster/confirm")
@role_required(*SUPERVISORS)
def roster_confirm(cohort_id: int):
    """Import the previewed roster (good rows only when asked to skip the bad ones)."""
    cohort = cohort_or_404(cohort_id)
    try:
        data = base64.b64decode(request.form.get("payload", ""), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    session = get_session()
    preview = parse_roster(data, session=session)  # re-checked: the data may have changed
    skip = request.form.get("skip_invalid") == "yes"
    if not preview.rows or (preview.problems and not skip):
        message = ("Nothing was imported: the roster still has problems. Fix them, or choose "
                   "to import only the good rows.")
        return render_template("supervisor/roster.html", cohort=cohort, preview=preview,
                               error=message, payload=request.form.get("payload", "")), 422
    links = apply_roster(session=session, cohort=cohort, preview=preview,
                         actor_id=current_user.id)
    session.commit()
    return render_template("supervisor/roster_done.html", cohort=cohort, preview=preview,
                           links=links, base_url=request.host_url)
