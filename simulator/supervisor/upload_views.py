"""Uploading a scenario: the same validator as the command line; nothing saved unless valid."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from simulator.audit import record
from simulator.db import get_session
from simulator.library import shipped_library
from simulator.models import ScenarioSnapshot
from simulator.roles import role_required
from simulator.scenarios.library import check_scenario_bytes
from simulator.scenarios.problems import Problem
from simulator.supervisor import bp
from simulator.supervisor.home import SUPERVISORS

MAX_UPLOAD_BYTES = 256 * 1024


def _uploads():
    return get_session().exec(
        select(ScenarioSnapshot).where(ScenarioSnapshot.origin == "upload")
        .order_by(ScenarioSnapshot.created_at.desc())  # type: ignore[union-attr]
    ).all()


def _refuse(problems: list[Problem], filename: str):
    return render_template("supervisor/upload.html", problems=problems, filename=filename,
                           uploads=_uploads()), 422


@bp.get("/scenarios/upload")
@role_required(*SUPERVISORS)
def upload_form():
    """The upload form and the uploaded versions so far."""
    return render_template("supervisor/upload.html", problems=[], filename="",
                           uploads=_uploads())


@bp.post("/scenarios/upload")
@role_required(*SUPERVISORS)
def upload():
    """Validate an uploaded YAML file and store it as a new version if it is valid."""
    file = request.files.get("scenario")
    filename = (file.filename or "") if file else ""
    if not filename:
        return _refuse([Problem("upload", None, None, "", "choose a .yaml file")], "")
    data = file.read(MAX_UPLOAD_BYTES + 1)
    checked = check_scenario_bytes(data, name=filename, rubrics=shipped_library().rubrics)
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors or checked.result is None:
        return _refuse(checked.problems, filename)
    scenario = checked.result
    if scenario.id in shipped_library().scenarios:
        return _refuse([Problem(filename, 1, 1, "id", f"'{scenario.id}' is a shipped scenario; "
                                "give the uploaded one its own id and file name")], filename)
    session = get_session()
    if session.get(ScenarioSnapshot, scenario.content_hash) is None:
        session.add(ScenarioSnapshot(
            content_hash=scenario.content_hash, scenario_id=scenario.id, title=scenario.title,
            source_text=scenario.source_text, origin="upload", uploaded_by=current_user.id))
        record(session, actor_id=current_user.id, action="scenario.upload",
               object_type="scenario", object_id=scenario.id, version=scenario.content_hash[:12])
        session.commit()
    flash(f"“{scenario.title}” is in the library (version {scenario.content_hash[:12]}).", "info")
    return redirect(url_for("supervisor.upload_form"), code=303)
