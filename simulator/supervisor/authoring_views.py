"""Writing a scenario in the browser: the editor, its live check, saving, publishing.

Every save is a version (simulator.authoring.store), valid or not, so nothing typed is lost;
only a valid version can be published. The live check runs the same validator as
`simulator validate` on each pause in typing and returns the problem list (htmx).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from simulator.authoring import store
from simulator.authoring.drafts import check_text, starter, with_id
from simulator.db import get_session
from simulator.library import shipped_library
from simulator.models import AuthoredScenario, Cohort, ScenarioVersion
from simulator.resources import resource_dir
from simulator.roles import role_required
from simulator.scenarios.branch_map import BranchMap, map_of_data
from simulator.scenarios.library import Checked
from simulator.supervisor import bp
from simulator.supervisor.access import visible_cohorts
from simulator.supervisor.authoring_access import authored_or_404, is_admin, version_or_404
from simulator.supervisor.authoring_forms import CheckForm, EditorForm, PublishForm
from simulator.supervisor.home import SUPERVISORS

NEW_ID = "my-new-scenario"


def _guide() -> str | None:
    try:
        return (resource_dir("docs") / "authoring.md").read_text(encoding="utf-8")
    except OSError:
        return None


def _map(checked: Checked) -> BranchMap | None:
    """The branch map of the checked text, from the mapping the check already read."""
    return map_of_data(checked.loaded.data if checked.loaded is not None else None)


def _reserved() -> set[str]:
    return set(shipped_library().scenarios)


@bp.get("/scenarios")
@role_required(*SUPERVISORS)
def scenarios():
    """The scenarios this supervisor writes (every authored one for an admin)."""
    session = get_session()
    authored = store.owned_by(session, user_id=current_user.id, is_admin=is_admin())
    newest = store.newest_versions(session, authored)
    shipped = sorted(shipped_library().scenarios.values(), key=lambda s: s.title)
    return render_template("supervisor/scenarios.html", authored=authored, newest=newest,
                           shipped=shipped)


@bp.get("/scenarios/new")
@role_required(*SUPERVISORS)
def new_scenario():
    """A blank editor holding the guide's example, or a copy of a shipped or own scenario."""
    source = request.args.get("from", "")
    text, note = starter(_guide(), NEW_ID), "the authoring guide's worked example"
    shipped = shipped_library().scenarios.get(source)
    own = store.find(get_session(), source) if source and shipped is None else None
    if shipped is not None:
        text, note = with_id(shipped.source_text, f"{shipped.id}-copy"), f"“{shipped.title}”"
    elif own is not None and store.may_edit(own, user_id=current_user.id, is_admin=is_admin()):
        newest = store.version(get_session(), own)
        text, note = with_id(newest.source_text, f"{own.scenario_id}-copy"), own.scenario_id
    form = EditorForm(data={"text": text, "message": f"started from {note}"})
    return _editor(form, None)


@bp.post("/scenarios/new")
@role_required(*SUPERVISORS)
def create_scenario():
    """Save the first version of a new scenario (refused for a taken or shipped id)."""
    return _save(EditorForm(), None)


@bp.get("/scenarios/<scenario_id>/edit")
@role_required(*SUPERVISORS)
def edit_scenario(scenario_id: str):
    """The newest version in the editor (or an older one: ?version=N, to restore it)."""
    authored = authored_or_404(scenario_id)
    wanted = request.args.get("version", type=int)
    shown = version_or_404(authored, wanted)
    message = f"restored version {shown.number}" if wanted else ""
    return _editor(EditorForm(data={"text": shown.source_text, "message": message}), authored)


@bp.post("/scenarios/<scenario_id>/edit")
@role_required(*SUPERVISORS)
def save_scenario(scenario_id: str):
    """Save the text as the next version."""
    return _save(EditorForm(), authored_or_404(scenario_id))


@bp.post("/scenarios/check")
@role_required(*SUPERVISORS)
def check_draft():
    """The live check: the problem list and the branch map for the text as typed."""
    form = CheckForm()
    if not form.validate():
        return render_template("supervisor/_problems.html", problems=[], too_long=True,
                               checked=False), 200
    text = form.text.data or ""
    checked = check_text(text, rubrics=shipped_library().rubrics)
    return render_template("supervisor/_problems.html", problems=checked.problems,
                           checked=True, too_long=False, live=True,
                           branch_map=_map(checked))


def _save(form: EditorForm, authored: AuthoredScenario | None):
    if not form.validate():
        return _editor(form, authored, status=422)
    session = get_session()
    try:
        saved = store.save(session, text=form.text.data, user_id=current_user.id,
                           is_admin=is_admin(), message=form.message.data or "",
                           rubrics=shipped_library().rubrics, reserved=_reserved(),
                           authored=authored)
    except store.Refused as refused:
        session.rollback()
        return _editor(form, authored, status=409, refusal=str(refused))
    except IntegrityError:  # another save took this id or version number a moment ago
        session.rollback()
        return _editor(form, authored, status=409, refusal=store.RACED)
    session.commit()
    number, errors = saved.version.number, sum(1 for p in saved.problems if p.is_error)
    if errors:
        flash(f"Saved as version {number}, a draft with {errors} problem"
              f"{'' if errors == 1 else 's'} to fix before it can be previewed or published.",
              "warning")
    else:
        flash(f"Saved version {number}. Preview it, or publish it to your cohorts.", "info")
    return redirect(url_for("supervisor.edit_scenario", scenario_id=saved.authored.scenario_id),
                    code=303)


def _publish_form(authored: AuthoredScenario, versions: list[ScenarioVersion]) -> PublishForm:
    form = PublishForm(data={"version": next((v.number for v in versions if v.valid), None),
                             "cohorts": store.audience_of(get_session(), authored),
                             "everyone": authored.everyone})
    form.cohorts.choices = [(c.id, c.name) for c in visible_cohorts()]
    return form


def _editor(form: EditorForm, authored: AuthoredScenario | None, *, status: int = 200,
            refusal: str | None = None, publish_form: PublishForm | None = None):
    session = get_session()
    text = form.text.data or ""
    checked = check_text(text, rubrics=shipped_library().rubrics)
    versions = store.versions_of(session, authored) if authored else []
    audience = []
    if authored is not None and authored.published_version is not None:
        ids = store.audience_of(session, authored)
        audience = [c.name for c in session.exec(select(Cohort).where(
            Cohort.id.in_(ids)).order_by(Cohort.name)).all()] if ids else []  # type: ignore
    return render_template(
        "supervisor/editor.html", form=form, authored=authored, versions=versions,
        problems=checked.problems, checked=True, too_long=False, refusal=refusal,
        branch_map=_map(checked), audience=audience,
        publish_form=publish_form or (_publish_form(authored, versions) if authored else None),
        previewable=any(v.valid for v in versions)), status


@bp.post("/scenarios/<scenario_id>/publish")
@role_required(*SUPERVISORS)
def publish_scenario(scenario_id: str):
    """Publish a valid version to the chosen cohorts (the author's own; any, for admins)."""
    authored = authored_or_404(scenario_id)
    session = get_session()
    form = PublishForm()
    form.cohorts.choices = [(c.id, c.name) for c in visible_cohorts()]
    if not form.validate():
        return _editor_for(authored, form, status=422)
    chosen = store.version(session, authored, form.version.data)
    try:
        if chosen is None:
            raise store.Refused(f"there is no version {form.version.data}")
        store.publish(session, authored, chosen, cohort_ids=form.cohorts.data or [],
                      everyone=bool(form.everyone.data), actor_id=current_user.id,
                      allowed_cohorts=[c for c, _ in form.cohorts.choices], is_admin=is_admin())
    except store.Refused as refused:
        session.rollback()
        return _editor_for(authored, form, status=409, refusal=str(refused))
    session.commit()
    flash(f"Version {chosen.number} is published. New attempts start on it; attempts already "
          "started keep their own version.", "info")
    return redirect(url_for("supervisor.edit_scenario", scenario_id=scenario_id), code=303)


@bp.post("/scenarios/<scenario_id>/unpublish")
@role_required(*SUPERVISORS)
def unpublish_scenario(scenario_id: str):
    """Stop offering it: no new attempts; attempts under way finish on their version."""
    authored = authored_or_404(scenario_id)
    if not CheckForm().validate():
        return redirect(url_for("supervisor.edit_scenario", scenario_id=scenario_id), code=303)
    session = get_session()
    store.unpublish(session, authored, actor_id=current_user.id)
    session.commit()
    flash("Unpublished: trainees can no longer start it. Attempts already under way can be "
          "finished.", "info")
    return redirect(url_for("supervisor.edit_scenario", scenario_id=scenario_id), code=303)


def _editor_for(authored: AuthoredScenario, publish_form: PublishForm, *, status: int,
                refusal: str | None = None):
    newest = version_or_404(authored)
    form = EditorForm(formdata=None, data={"text": newest.source_text, "message": ""})
    return _editor(form, authored, status=status, refusal=refusal, publish_form=publish_form)

