"""Downloads: a cohort's gradebook as CSV, and xAPI statements for a learning record store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask import Response, render_template, request
from flask_login import current_user

from simulator.audit import record
from simulator.courses.gradebook import gradebook_csv, gradebook_rows
from simulator.courses.xapi import statements_since
from simulator.db import get_session
from simulator.library import get_library
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404, visible_attempts
from simulator.supervisor.home import SUPERVISORS
from simulator.supervisor.review_forms import XapiQuery


def _download(body: bytes, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cohorts/<int:cohort_id>/gradebook.csv")
@role_required(*SUPERVISORS)
def gradebook(cohort_id: int):
    """One row per trainee and assignment, safe to open in a spreadsheet."""
    cohort = cohort_or_404(cohort_id)
    session = get_session()
    rubric = get_library().rubrics["repair-core"]
    rows = gradebook_rows(session=session, cohort_id=cohort.id, rubric=rubric)
    record(session, actor_id=current_user.id, action="export.gradebook", object_type="cohort",
           object_id=str(cohort.id))
    session.commit()
    body = gradebook_csv(rows, criterion_ids=rubric.criterion_ids)
    return _download(body, f"gradebook-cohort-{cohort.id}.csv", "text/csv")


DEFAULT_SINCE = timedelta(days=30)
SINCE_REFUSED = "That date cannot be used"


def _refused(form: XapiQuery):
    """A 400 page naming the parameter and the format it needs; nothing is exported."""
    message = " ".join(form.since.errors)
    return render_template("error.html", title=SINCE_REFUSED, message=message), 400


@bp.get("/xapi.json")
@role_required(*SUPERVISORS)
def xapi():
    """xAPI 1.0.3 statements about the work the supervisor may see, since a date (default 30
    days); an admin's hold every attempt."""
    query = XapiQuery(formdata=request.args)
    if not query.validate():
        return _refused(query)
    since = query.since.data or datetime.now(UTC) - DEFAULT_SINCE
    session = get_session()
    statements = statements_since(
        session=session, since=since, base_url=request.host_url.rstrip("/"),
        rubrics=get_library().rubrics,
        attempts_where=None if current_user.role == "admin" else visible_attempts())
    record(session, actor_id=current_user.id, action="export.xapi", count=len(statements))
    session.commit()
    return _download(json.dumps(statements, indent=2).encode("utf-8"), "statements.json",
                     "application/json")
