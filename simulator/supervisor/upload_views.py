"""Uploading a scenario file: the same check as the editor; a valid file becomes a new version.

An upload is a draft like any save in the editor: it reaches trainees only once published.
The file's name does not matter (the `id` inside it names the scenario); an id owned by
another author, or a shipped one, is refused (simulator.authoring.store).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from simulator.authoring import store
from simulator.authoring.drafts import check_text
from simulator.db import get_session
from simulator.library import shipped_library
from simulator.roles import role_required
from simulator.scenarios.problems import Problem
from simulator.supervisor import bp
from simulator.supervisor.authoring_access import is_admin
from simulator.supervisor.home import SUPERVISORS

MAX_UPLOAD_BYTES = 256 * 1024


def _refuse(problems: list[Problem], filename: str, status: int = 422):
    return render_template("supervisor/upload.html", problems=problems, filename=filename), status


@bp.get("/scenarios/upload")
@role_required(*SUPERVISORS)
def upload_form():
    """The upload form."""
    return render_template("supervisor/upload.html", problems=[], filename="")


@bp.post("/scenarios/upload")
@role_required(*SUPERVISORS)
def upload():
    """Check an uploaded YAML file; if valid, save it as the next version of its scenario."""
    file = request.files.get("scenario")
    filename = (file.filename or "") if file else ""
    if not filename:
        return _refuse([Problem("upload", None, None, "", "choose a .yaml file")], "")
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _refuse([Problem(filename, None, None, "", "the file is larger than 256 KiB")],
                       filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _refuse([Problem(filename, None, None, "", f"the file is not UTF-8 text "
                                f"(byte {exc.start + 1} cannot be read)")], filename)
    library = shipped_library()
    checked = check_text(text, rubrics=library.rubrics, label=filename)
    if checked.result is None:
        return _refuse(checked.problems, filename)
    session = get_session()
    try:
        saved = store.save(session, text=text, user_id=current_user.id, is_admin=is_admin(),
                           message=f"uploaded {filename}"[:500], rubrics=library.rubrics,
                           reserved=set(library.scenarios), checked=checked)
    except store.Refused as refused:
        session.rollback()
        return _refuse([Problem(filename, 1, 1, "id", str(refused))], filename, 409)
    except IntegrityError:  # another save took this id or version number a moment ago
        session.rollback()
        return _refuse([Problem(filename, None, None, "", store.RACED)], filename, 409)
    session.commit()
    flash(f"“{saved.version.title}” is saved as version {saved.version.number}, a draft. "
          "Preview it, then publish it to your cohorts.", "info")
    return redirect(url_for("supervisor.edit_scenario", scenario_id=saved.authored.scenario_id),
                    code=303)
