"""Downloads: a cohort's gradebook as CSV, and xAPI statements for a learning record store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from flask import Response, request
from flask_login import current_user

from simulator.audit import record
from simulator.courses.gradebook import gradebook_csv, gradebook_rows
from simulator.courses.xapi import statements_since
from simulator.db import get_session
from simulator.library import get_library
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.access import cohort_or_404, supervised_trainee_ids
from simulator.supervisor.home import SUPERVISORS


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


def _since() -> datetime:
    value = request.args.get("since", "")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return datetime.now(UTC) - timedelta(days=30)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.get("/xapi.json")
@role_required(*SUPERVISORS)
def xapi():
    """xAPI 1.0.3 statements about the supervisor's trainees since a date (default 30 days)."""
    session = get_session()
    statements = statements_since(session=session, since=_since(),
                                  base_url=request.host_url.rstrip("/"))
    if current_user.role != "admin":
        allowed = {str(i) for i in supervised_trainee_ids()}
        statements = [s for s in statements if s["actor"]["account"]["name"] in allowed]
    record(session, actor_id=current_user.id, action="export.xapi", count=len(statements))
    session.commit()
    return _download(json.dumps(statements, indent=2).encode("utf-8"), "statements.json",
                     "application/json")
