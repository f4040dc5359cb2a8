"""Preview play: the author plays a saved version as a trainee would, with a debug panel.

Nothing is stored: the page carries the answers given so far in hidden inputs and each request
replays them (simulator.authoring.preview), so a preview leaves no attempt, turn, snapshot,
audit entry or statement behind, and never logs what was written.
"""

from __future__ import annotations

from dataclasses import replace

from flask import abort, render_template, request, url_for
from wtforms import FieldList, StringField

from simulator.authoring import preview
from simulator.authoring.drafts import scenario_of
from simulator.authoring.preview import Preview, PreviewBroken
from simulator.fields import ascii_int
from simulator.library import shipped_library
from simulator.models import AuthoredScenario, ScenarioVersion
from simulator.practice import alliance_words
from simulator.practice.annotated import annotate
from simulator.practice.answers import MAX_RESPONSE_CHARS, Answer, AnswerRefused
from simulator.practice.feedback import feedback_for
from simulator.roles import role_required
from simulator.scenarios.model import ClientNode, Scenario
from simulator.scenarios.vocabulary import MARKERS, NOTICE_FAMILIES
from simulator.supervisor import bp
from simulator.supervisor.authoring_access import authored_or_404, version_or_404
from simulator.supervisor.home import SUPERVISORS
from simulator.trainee.choices_view import choices_view
from simulator.trainee.forms import NOTE_LIMIT, AnswerForm
from simulator.web import render_page_or_fragment

PAGE, FRAGMENT = "supervisor/preview.html", "supervisor/_preview_play.html"
OUT_OF_STEP = "this page's answers and its form are out of step"


class PreviewForm(AnswerForm):
    """One answer, as real play takes it, with the answers before it carried by the page."""

    prior = FieldList(StringField())


@bp.get("/scenarios/<scenario_id>/preview")
@role_required(*SUPERVISORS)
def preview_scenario(scenario_id: str):
    """The start of a preview of one saved version (the newest unless ?version=N)."""
    authored, version, scenario = _previewed(scenario_id)
    if scenario is None:
        return _invalid(authored, version)
    return _render(authored, version, preview.start(scenario))


@bp.post("/scenarios/<scenario_id>/preview")
@role_required(*SUPERVISORS)
def preview_answer(scenario_id: str):
    """Replay the carried answers, then take this one: the page after it, or why not."""
    authored, version, scenario = _previewed(scenario_id)
    if scenario is None:
        return _invalid(authored, version, status=409)
    form = PreviewForm()
    try:
        so_far = preview.replay(scenario, [preview.decode(text) for text in form.prior.data])
    except PreviewBroken as broken:
        return _broken(authored, version, _not_replayed(version, str(broken)))
    valid = form.validate()
    if form.turn.errors or form.node.errors or not _in_step(form, so_far):
        return _broken(authored, version, _not_replayed(version, OUT_OF_STEP))
    if so_far.ended:
        return _broken(authored, version, preview.AT_AN_ENDING)
    sent = form.answer()
    if not valid:  # the typed words stay in the boxes
        return _render(authored, version, so_far, status=422, form_error=form.first_error(),
                       draft=sent, answer_form=form)
    try:
        after = preview.answer(so_far, sent)
    except AnswerRefused as refused:
        return _render(authored, version, so_far, status=422, form_error=str(refused),
                       draft=sent)
    return _render(authored, version, after, just_answered=True)


def _previewed(scenario_id: str) -> tuple[AuthoredScenario, ScenarioVersion, Scenario | None]:
    """The author's scenario, the version asked for, and what it builds (None with errors)."""
    authored = authored_or_404(scenario_id)
    version = version_or_404(authored, _wanted_version())
    built = scenario_of(version.source_text, rubrics=shipped_library().rubrics) \
        if version.valid else None
    return authored, version, built


def _wanted_version() -> int | None:
    raw = request.args.get("version", "")
    if not raw:
        return None
    try:
        return ascii_int(raw)
    except ValueError:
        abort(404)


def _in_step(form: PreviewForm, so_far: Preview) -> bool:
    """The form was drawn for the moment the carried answers lead to (else forged or mixed)."""
    return form.turn.data == len(so_far.turns) and form.node.data == so_far.node_id


def _links(authored: AuthoredScenario, version: ScenarioVersion) -> dict:
    editor = url_for("supervisor.edit_scenario", scenario_id=authored.scenario_id)
    again = url_for("supervisor.preview_scenario", scenario_id=authored.scenario_id,
                    version=version.number)
    return {"editor_url": editor, "start_url": again, "post_url": again}


def _invalid(authored: AuthoredScenario, version: ScenarioVersion, *, status: int = 200):
    """A version with errors cannot be played: say so and point to the editor."""
    return render_template(PAGE, authored=authored, version=version, invalid=True,
                           **_links(authored, version)), status


def _not_replayed(version: ScenarioVersion, reason: str) -> str:
    return (f"The answers this page carried could not be replayed on version "
            f"{version.number}: {reason.rstrip('.')}.")


def _broken(authored: AuthoredScenario, version: ScenarioVersion, message: str):
    """A page that cannot go on (edited hidden answers, a form at an ending): say so, 400."""
    return render_template(PAGE, authored=authored, version=version, broken=message,
                           **_links(authored, version)), 400


def _render(authored: AuthoredScenario, version: ScenarioVersion, now: Preview, *,
            status: int = 200, **extra):
    context = _context(now, **extra)
    return render_page_or_fragment(PAGE, FRAGMENT, status, authored=authored, version=version,
                                   **_links(authored, version), **context)


def _context(now: Preview, *, form_error: str | None = None, draft: Answer | None = None,
             **extra) -> dict:
    """What the page shows: the play page's parts, each answer's debug panel, the form."""
    scenario, node = now.scenario, now.node
    last = now.turns[-1] if now.turns else None
    context = {
        "scenario": scenario, "client": scenario.client, "preview": now, "node": node,
        "conversation": [(annotate(scenario, t, number=t.number), t) for t in now.turns],
        "alliance": None if scenario.is_drill else alliance_words.meter(
            now.state.salience, last.before.salience if last else None, scenario.client.name),
        "strength": alliance_words.strength, "carried": [preview.encode(a) for a in now.answers],
        "families": NOTICE_FAMILIES, "markers": MARKERS, "note_limit": NOTE_LIMIT,
        "max_chars": MAX_RESPONSE_CHARS, "form_error": form_error, "draft": draft,
        "answer_form": None, "just_answered": False, "choices": None, **_feedback(scenario, last),
        **extra,
    }
    if isinstance(node, ClientNode) and node.respond in ("choice", "both"):
        context["choices"] = choices_view(preview.SEED, node, draft, form_error)
    return context


def _feedback(scenario: Scenario, last) -> dict:
    """The practice-mode feedback on the last answer, as the trainee's play page shows it."""
    node = scenario.nodes.get(last.node_id) if last else None
    if not isinstance(node, ClientNode):
        return {"feedback": None, "feedback_words": None, "last_exchange": None}
    return {"feedback": feedback_for(scenario, node, last.scores, last.response_text),
            "feedback_words": replace(annotate(scenario, last, number=last.number),
                                      anchor=f"feedback-{last.number}"),
            "last_exchange": {"turn": last}}
