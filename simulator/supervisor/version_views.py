"""A scenario's history: every saved version, what changed in each, and its YAML to download."""

from __future__ import annotations

from flask import Response, render_template
from sqlmodel import col, select

from simulator.authoring import store
from simulator.authoring.diff import counts, diff_lines
from simulator.db import get_session
from simulator.models import User
from simulator.roles import role_required
from simulator.supervisor import bp
from simulator.supervisor.authoring_access import authored_or_404, version_or_404
from simulator.supervisor.home import SUPERVISORS


def _names(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = get_session().exec(select(User.id, User.name).where(col(User.id).in_(wanted))).all()
    return dict(rows)


@bp.get("/scenarios/<scenario_id>/versions")
@role_required(*SUPERVISORS)
def scenario_versions(scenario_id: str):
    """Every version, newest first: who saved it, when, why, and whether it was valid."""
    authored = authored_or_404(scenario_id)
    versions = store.versions_of(get_session(), authored)
    return render_template("supervisor/versions.html", authored=authored, versions=versions,
                           names=_names({v.author_id for v in versions}))


@bp.get("/scenarios/<scenario_id>/versions/<int:number>")
@role_required(*SUPERVISORS)
def scenario_version(scenario_id: str, number: int):
    """One version and its changes against the version before it."""
    authored = authored_or_404(scenario_id)
    shown = version_or_404(authored, number)
    before = store.version(get_session(), authored, number - 1) if number > 1 else None
    lines = diff_lines(before.source_text if before else "", shown.source_text)
    added, removed = counts(lines)
    return render_template("supervisor/version.html", authored=authored, version=shown,
                           before=before, lines=lines, added=added, removed=removed,
                           names=_names({shown.author_id}))


@bp.get("/scenarios/<scenario_id>/versions/<int:number>.yaml")
@role_required(*SUPERVISORS)
def download_version(scenario_id: str, number: int):
    """The version's YAML exactly as saved, as a file."""
    authored = authored_or_404(scenario_id)
    shown = version_or_404(authored, number)
    filename = f"{authored.scenario_id}-v{shown.number}.yaml"
    return Response(shown.source_text, mimetype="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
