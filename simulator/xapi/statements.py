"""xAPI 1.0.3 statements about practice as it happens, for delivery to a learning record store.

Pure: rows and the scenario version played come in, dicts go out; no Flask, no database.

Ids are uuid5 over the site and the event (the export's scheme, simulator.courses.xapi), so
building a statement again gives the same id; they differ from the export's own ids, because
these statements carry more (an LRS refuses a different statement under an id it holds). All
statements of one attempt share the export's `context.registration`, so both can be read
together. The actor is an account on this site, never an email address. The trainee's words
(free text, or the text of the option chosen) appear only when `Site.with_text` is true.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from simulator.courses.xapi import (
    ADL_VERBS,
    LANGUAGE,
    PLATFORM,
    SIMULATION,
    XAPI_VERSION,
    extension_iri,
    statement_uuid,
    xapi_duration,
    xapi_score,
    xapi_timestamp,
)
from simulator.models import Attempt, Review, Turn, User
from simulator.practice.feedback import Point, TurnFeedback
from simulator.rubric import Rubric
from simulator.scenarios.model import ClientNode, Scenario

INTERACTION = "http://adlnet.gov/expapi/activities/interaction"
LANDS = " This part may land that way: "  # the play page's words before a flag's quotes


@dataclass(frozen=True)
class Site:
    """Where the ids live (`base`, no trailing slash) and whether the trainee's words go out."""

    base: str
    with_text: bool = True


@dataclass(frozen=True)
class Played:
    """One attempt with what every statement about it names."""

    attempt: Attempt
    trainee: User
    scenario: Scenario
    cohorts: tuple[tuple[int, str], ...] = ()  # (id, name): the statements' grouping


def registration(site: Site, attempt_id: str) -> str:
    """The attempt's registration, the same as the export's."""
    return statement_uuid(site.base, f"attempt/{attempt_id}")


def statement_id(site: Site, attempt_id: str, key: str) -> str:
    """The id of the statement about event `key` of an attempt (stable across rebuilds)."""
    return statement_uuid(site.base, f"attempt/{attempt_id}/delivered/{key}")


def responded_id(site: Site, attempt_id: str, turn_id: int) -> str:
    """The id of a turn's "responded" statement, for StatementRefs to it."""
    return statement_id(site, attempt_id, f"responded/{turn_id}")


def launched(site: Site, played: Played) -> dict:
    """An attempt was started (the export's shape)."""
    attempt = played.attempt
    return _statement(site, played, "launched", _adl("launched"), _scenario_activity(
        site, played.scenario, described=True), attempt.started_at,
        node_id=attempt.start_node or played.scenario.start, about_scenario=True)


def responded(site: Site, played: Played, turn: Turn, feedback: TurnFeedback | None) -> dict:
    """One stored answer: its score, levels, flags, the choice, the feedback shown, the words."""
    scores = turn.scores or {}
    extensions: dict[str, Any] = {
        extension_iri(site.base, "response-kind"): scores.get("kind", ""),
        extension_iri(site.base, "criteria"): _levels(scores.get("criteria", {})),
        extension_iri(site.base, "flags"): _levels(scores.get("flags", {})),
    }
    if scores.get("shown_order"):
        extensions[extension_iri(site.base, "choice")] = {
            "authored_index": turn.choice_index, "shown_position": scores.get("shown_position"),
            "shown_order": scores["shown_order"]}
    if feedback is not None:
        extensions[extension_iri(site.base, "feedback")] = feedback_lines(feedback, site.with_text)
    result: dict[str, Any] = {"score": xapi_score(turn.overall), "extensions": extensions}
    words = _words(site, played.scenario, turn)
    if words is not None:
        result["response"] = words
    return _statement(site, played, f"responded/{turn.id}", _adl("responded"),
                      _moment(site, played.scenario, turn.node_id), turn.created_at,
                      node_id=turn.node_id, result=result,
                      extra={extension_iri(site.base, "turn-index"): turn.index})


def noticed(site: Site, played: Played, turn: Turn) -> dict | None:
    """The notice step of a turn: what the trainee named, and whether it matched; None if none."""
    notice = turn.notice
    if not notice:
        return None
    family_correct = bool(notice.get("family_correct"))
    marker_correct = bool(notice.get("marker_correct"))
    result = {
        "success": family_correct and marker_correct,
        "score": xapi_score(float(notice.get("score") or 0.0)),
        "extensions": {  # picked from the scenario vocabulary, not the trainee's own words
            extension_iri(site.base, "named-family"): notice.get("family") or "",
            extension_iri(site.base, "named-markers"): list(notice.get("markers") or []),
            extension_iri(site.base, "family-correct"): family_correct,
            extension_iri(site.base, "marker-correct"): marker_correct,
        },
    }
    return _statement(site, played, f"noticed/{turn.id}", _own(site, "noticed"),
                      _moment(site, played.scenario, turn.node_id), turn.created_at,
                      node_id=turn.node_id, result=result)


def rewound(site: Site, played: Played, turn: Turn, at: datetime) -> dict:
    """The trainee set `turn` aside and went back to its moment."""
    return _statement(site, played, f"rewound/{turn.id}", _own(site, "rewound"),
                      _moment(site, played.scenario, turn.node_id), at, node_id=turn.node_id,
                      ref=responded_id(site, played.attempt.id, turn.id))


def completed(site: Site, played: Played, score: float | None, *,
              review_id: int | None = None) -> dict:
    """The attempt reached an ending, with its effective score (supervisors' reviews applied).

    After a review, a new statement (its id names the review) reports the changed score.
    """
    attempt = played.attempt
    finished = attempt.finished_at or attempt.started_at
    result: dict[str, Any] = {
        "completion": True, "success": attempt.outcome == "repaired",
        "duration": xapi_duration(finished - attempt.started_at),
        "extensions": {extension_iri(site.base, "outcome"): attempt.outcome or ""},
    }
    if score is not None:
        result["score"] = xapi_score(score)
    key = f"completed/{xapi_timestamp(finished)}" + (f"/review/{review_id}" if review_id else "")
    return _statement(site, played, key, _adl("completed"),
                      _scenario_activity(site, played.scenario), finished,
                      node_id=attempt.current_node, result=result, about_scenario=True)


def scored(site: Site, played: Played, turn: Turn, review: Review, supervisor: User,
           rubric: Rubric) -> dict:
    """A supervisor set a criterion's level on a turn (their comment stays out)."""
    levels = [level.level for level in rubric.item(review.criterion).levels]
    low, high = min(levels), max(levels)
    scaled = (review.new_level - low) / (high - low) if high > low else 1.0
    result = {
        "score": {"scaled": round(scaled, 4), "raw": review.new_level, "min": low, "max": high},
        "extensions": {extension_iri(site.base, "criterion"): review.criterion,
                       extension_iri(site.base, "old-level"): review.old_level,
                       extension_iri(site.base, "new-level"): review.new_level,
                       extension_iri(site.base, "blind"): bool(review.blind)},
    }
    return _statement(site, played, f"scored/{review.id}", _adl("scored"),
                      _moment(site, played.scenario, turn.node_id), review.created_at,
                      node_id=turn.node_id, result=result, actor=supervisor,
                      ref=responded_id(site, played.attempt.id, turn.id))


def feedback_lines(feedback: TurnFeedback, with_text: bool) -> list[str]:
    """The feedback the play page showed after the answer, as plain lines of text."""
    lines = [feedback.choice_feedback] if feedback.choice_feedback else []
    lines += [f"What worked: {p.name} ({p.label}){_quotes(p, with_text, ': ')}. {p.feedback}"
              for p in feedback.strengths]
    lines += [f"Watch for: {p.name.lower()}.{_quotes(p, with_text, LANDS)} {p.feedback}"
              for p in feedback.flags]
    if feedback.miss is not None:
        lines.append(f"The most useful thing to try next: {feedback.miss.name.lower()}. "
                     f"{feedback.miss.feedback}")
    if feedback.model_response:
        lines.append(f"One response that might help here: {feedback.model_response}")
    return [" ".join(line.split()) for line in lines]


def _quotes(point: Point, with_text: bool, lead: str) -> str:
    if not with_text or not point.quotes:
        return ""
    return lead + ", ".join(f"“{q}”" for q in point.quotes) + ("" if lead.endswith(": ") else ".")


def _words(site: Site, scenario: Scenario, turn: Turn) -> str | None:
    """What the trainee answered: their words, or the chosen option's text."""
    if not site.with_text:
        return None
    if turn.response_text:
        return turn.response_text
    node = scenario.nodes.get(turn.node_id)
    if turn.choice_index is not None and isinstance(node, ClientNode) \
            and 0 <= turn.choice_index < len(node.choices):
        return node.choices[turn.choice_index].text
    return None


def _levels(items: dict) -> dict:
    return {item_id: {"level": item.get("level"), "label": item.get("label", ""),
                      "scaled": round(float(item.get("score", 0.0)), 4)}
            for item_id, item in sorted(items.items())}


def _adl(verb: str) -> dict:
    return {"id": ADL_VERBS + verb, "display": {LANGUAGE: verb}}


def _own(site: Site, verb: str) -> dict:
    return {"id": f"{site.base}/xapi/verbs/{verb}", "display": {LANGUAGE: verb}}


def _agent(site: Site, user: User) -> dict:
    return {"objectType": "Agent", "name": user.name,
            "account": {"homePage": site.base, "name": str(user.id)}}


def _scenario_activity(site: Site, scenario: Scenario, *, described: bool = False) -> dict:
    activity: dict[str, Any] = {"objectType": "Activity",
                                "id": f"{site.base}/scenarios/{scenario.id}"}
    if described:
        activity["definition"] = {"name": {LANGUAGE: scenario.title},
                                  "description": {LANGUAGE: " ".join(scenario.summary.split())},
                                  "type": SIMULATION}
    return activity


def _moment(site: Site, scenario: Scenario, node_id: str) -> dict:
    return {"objectType": "Activity",
            "id": f"{site.base}/scenarios/{scenario.id}/moments/{quote(node_id, safe='')}",
            "definition": {"name": {LANGUAGE: f"{scenario.title}: {node_id}"},
                           "type": INTERACTION}}


def _statement(site: Site, played: Played, key: str, verb: dict, obj: dict, moment: datetime,
               *, node_id: str, result: dict | None = None, extra: dict | None = None,
               actor: User | None = None, ref: str | None = None,
               about_scenario: bool = False) -> dict:
    attempt, scenario = played.attempt, played.scenario
    extensions = {extension_iri(site.base, "mode"): attempt.mode,
                  extension_iri(site.base, "node-id"): node_id, **(extra or {})}
    if about_scenario:
        extensions[extension_iri(site.base, "rupture-markers")] = list(scenario.markers)
        extensions[extension_iri(site.base, "rupture-family")] = scenario.rupture
    activities: dict[str, list] = {"parent": [_scenario_activity(site, scenario)]}
    if played.cohorts:
        activities["grouping"] = [
            {"objectType": "Activity", "id": f"{site.base}/cohorts/{cohort_id}",
             "definition": {"name": {LANGUAGE: name}}} for cohort_id, name in played.cohorts]
    context: dict[str, Any] = {
        "registration": registration(site, attempt.id), "platform": PLATFORM,
        "language": LANGUAGE, "contextActivities": activities, "extensions": extensions}
    if ref is not None:
        context["statement"] = {"objectType": "StatementRef", "id": ref}
    statement = {
        "id": statement_id(site, attempt.id, key), "version": XAPI_VERSION,
        "actor": _agent(site, actor or played.trainee), "verb": verb, "object": obj,
        "context": context, "timestamp": xapi_timestamp(moment),
    }
    if result is not None:
        statement["result"] = result
    return statement
