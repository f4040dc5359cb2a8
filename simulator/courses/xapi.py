"""Practice activity as xAPI 1.0.3 statements for a Learning Record Store.

Statements never carry response text or email addresses: the actor is an account id on this
site, and each answered moment is reported by its score, turn index and node id only.

Scores are the effective ones (simulator.practice.effective): a supervisor's review replaces the
engine's level. A reviewed score is a new statement (its id names the review), never a changed
copy of one already sent, and it is exported again once the review is newer than `since`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, or_, select

from simulator.courses.reviews import history_for
from simulator.models import Attempt, Review, ScenarioSnapshot, Turn, User
from simulator.practice.effective import EffectiveTurn, apply_reviews
from simulator.practice.progress import attempt_score
from simulator.rubric import Rubric
from simulator.scenarios.problems import Reporter
from simulator.scenarios.yaml_loader import load_yaml

XAPI_VERSION = "1.0.3"
LANGUAGE = "en-US"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
PLATFORM = "Holding Space"
RAW_MAX = 100  # raw scores are percentages; scaled is the 0..1 score itself
# Verb order within one instant, so a launch never sorts after its own first response.
VERB_ORDER = {"launched": 0, "responded": 1, "completed": 2}


@dataclass(frozen=True)
class ScenarioFacts:
    """What a statement says about the scenario, read from the version the attempt played."""

    title: str
    summary: str
    rupture: str
    markers: tuple[str, ...]
    start: str
    rubric_id: str = ""


@dataclass(frozen=True)
class _Played:
    """One attempt with everything its statements need."""

    attempt: Attempt
    trainee: User
    scenario: ScenarioFacts
    turns: list[EffectiveTurn]
    reviewed_at: dict[int, datetime]  # turn id -> when its newest review was made

    @property
    def last_review(self) -> datetime | None:
        return max(self.reviewed_at.values(), default=None)


# Snapshots never change (they are keyed by content hash), so a parse is kept for the process.
_facts_cache: dict[str, ScenarioFacts] = {}


def statements_since(*, session: Session, since: datetime, base_url: str,
                     rubrics: Mapping[str, Rubric],
                     attempts_where: ColumnElement[bool] | None = None) -> list[dict]:
    """Statements for attempts launched, turns answered or reviewed and attempts completed at or
    after since.

    `rubrics` are the library's, by id: a review is placed on the rubric of the version played.
    `attempts_where` (a condition on Attempt) keeps only those attempts, e.g. the ones a
    supervisor may see; None keeps every attempt. Five queries whatever the size; deleted
    trainees' attempts are skipped. Ids are uuid5 over the event, so exporting the same events
    again yields the same statements.
    """
    if since.tzinfo is None:
        raise ValueError("since must be timezone-aware (naive times are ambiguous)")
    base = base_url.rstrip("/")
    statements: list[tuple[datetime, int, dict]] = []
    for played in _played_since(session, since, attempts_where, rubrics):
        for moment, verb, statement in _events(played, since, base):
            statements.append((moment, VERB_ORDER[verb], statement))
    statements.sort(key=lambda item: (item[0], item[1], item[2]["id"]))
    return [statement for _, _, statement in statements]


def _played_since(session: Session, since: datetime, attempts_where,
                  rubrics: Mapping[str, Rubric]) -> list[_Played]:
    answered = select(Turn.attempt_id).where(
        col(Turn.created_at) >= since, col(Turn.superseded).is_(False))
    reviewed = (select(Turn.attempt_id).join(Review, col(Review.turn_id) == col(Turn.id))
                .where(col(Review.created_at) >= since, col(Turn.superseded).is_(False)))
    query = select(Attempt).where(
        col(Attempt.trainee_id).is_not(None),
        or_(col(Attempt.started_at) >= since, col(Attempt.finished_at) >= since,
            col(Attempt.id).in_(answered), col(Attempt.id).in_(reviewed)),
    )
    if attempts_where is not None:
        query = query.where(attempts_where)
    attempts = session.exec(query.order_by(col(Attempt.started_at))).all()
    if not attempts:
        return []
    turns: dict[str, list[Turn]] = defaultdict(list)
    for turn in session.exec(select(Turn).where(
        col(Turn.attempt_id).in_([a.id for a in attempts]), col(Turn.superseded).is_(False),
    ).order_by(col(Turn.index))):
        turns[turn.attempt_id].append(turn)
    users = {u.id: u for u in session.exec(
        select(User).where(col(User.id).in_({a.trainee_id for a in attempts})))}
    facts = scenario_facts(session=session, hashes={a.scenario_hash for a in attempts})
    history = history_for(session=session, turn_ids=[t.id for ts in turns.values() for t in ts])
    return [_Played(a, users[a.trainee_id], facts[a.scenario_hash],
                    _effective(turns[a.id], rubrics.get(facts[a.scenario_hash].rubric_id),
                               history),
                    {t.id: history[t.id][-1].created_at for t in turns[a.id] if history.get(t.id)})
            for a in attempts]


def _effective(turns: list[Turn], rubric: Rubric | None, history) -> list[EffectiveTurn]:
    if rubric is None:  # the rubric is gone from the library: no review can be placed on it
        return [EffectiveTurn(t, t.scores, t.overall) for t in turns]
    return [apply_reviews(t, rubric, history.get(t.id, ())) for t in turns]


def scenario_facts(*, session: Session, hashes: set[str]) -> dict[str, ScenarioFacts]:
    """Title, summary, rupture family, markers and start node of each pinned scenario version."""
    missing = hashes - _facts_cache.keys()
    if missing:
        for snapshot in session.exec(select(ScenarioSnapshot).where(
                col(ScenarioSnapshot.content_hash).in_(missing))):
            _facts_cache[snapshot.content_hash] = _read_facts(snapshot)
    return {h: _facts_cache[h] for h in hashes}


def _read_facts(snapshot: ScenarioSnapshot) -> ScenarioFacts:
    loaded = load_yaml(snapshot.source_text.encode("utf-8"),
                       Reporter(path=f"{snapshot.scenario_id}.yaml"))
    data = loaded.data if loaded and isinstance(loaded.data, dict) else {}
    marker = data.get("marker") or []
    return ScenarioFacts(
        title=str(data.get("title") or snapshot.title),
        summary=" ".join(str(data.get("summary") or "").split()),
        rupture=str(data.get("rupture") or ""),
        markers=(marker,) if isinstance(marker, str) else tuple(str(m) for m in marker),
        start=str(data.get("start") or ""),
        rubric_id=str(data.get("rubric") or ""),
    )


def _events(played: _Played, since: datetime, base: str):
    attempt = played.attempt
    if attempt.started_at >= since:
        yield attempt.started_at, "launched", _launched(played, base)
    for turn in played.turns:
        reviewed = played.reviewed_at.get(turn.id)
        if turn.created_at >= since or (reviewed and reviewed >= since):
            yield max(turn.created_at, reviewed or turn.created_at), "responded", \
                _responded(played, turn, base)
    last_review = played.last_review
    if attempt.status == "completed" and attempt.finished_at and (
            attempt.finished_at >= since or (last_review and last_review >= since)):
        yield max(attempt.finished_at, last_review or attempt.finished_at), "completed", \
            _completed(played, base)


def _launched(played: _Played, base: str) -> dict:
    return _statement(played, base, "launched", "launched", played.attempt.started_at,
                      node_id=played.attempt.start_node or played.scenario.start)


def _review_key(moment: datetime | None) -> str:
    """Part of a statement id: a reviewed score is a new statement, not a changed copy."""
    return f"/reviewed/{xapi_timestamp(moment)}" if moment else ""


def _responded(played: _Played, turn: EffectiveTurn, base: str) -> dict:
    extensions = {extension_iri(base, "response-kind"): turn.scores.get("kind", "")}
    if turn.reviewed:
        extensions[extension_iri(base, "reviewed-by-supervisor")] = True
    result = {"score": xapi_score(turn.overall), "extensions": extensions}
    key = f"responded/{turn.id}{_review_key(played.reviewed_at.get(turn.id))}"
    return _statement(played, base, "responded", key, turn.created_at,
                      node_id=turn.node_id, result=result,
                      extra={extension_iri(base, "turn-index"): turn.index})


def _completed(played: _Played, base: str) -> dict:
    attempt = played.attempt
    result: dict[str, Any] = {
        "completion": True,
        "success": attempt.outcome == "repaired",
        "duration": xapi_duration(attempt.finished_at - attempt.started_at),
        "extensions": {extension_iri(base, "outcome"): attempt.outcome or ""},
    }
    score = attempt_score(played.turns)
    if score is not None:
        result["score"] = xapi_score(score)
    # The finish time is in the key: a practice attempt rewound and finished again is a
    # second completion, not a changed copy of the first (an LRS rejects changed copies).
    key = f"completed/{xapi_timestamp(attempt.finished_at)}{_review_key(played.last_review)}"
    return _statement(played, base, "completed", key, attempt.finished_at,
                      node_id=attempt.current_node, result=result)


def _statement(played: _Played, base: str, verb: str, key: str, moment: datetime, *,
               node_id: str, result: dict | None = None, extra: dict | None = None) -> dict:
    attempt, trainee, scenario = played.attempt, played.trainee, played.scenario
    activity_id = f"{base}/scenarios/{attempt.scenario_id}"
    statement = {
        "id": statement_uuid(base, f"attempt/{attempt.id}/{key}"),
        "version": XAPI_VERSION,
        "actor": {"objectType": "Agent", "name": trainee.name,
                  "account": {"homePage": base, "name": str(trainee.id)}},
        "verb": {"id": ADL_VERBS + verb, "display": {LANGUAGE: verb}},
        "object": {"objectType": "Activity", "id": activity_id, "definition": {
            "name": {LANGUAGE: scenario.title}, "description": {LANGUAGE: scenario.summary},
            "type": SIMULATION}},
        "context": {
            "registration": statement_uuid(base, f"attempt/{attempt.id}"),
            "platform": PLATFORM,
            "language": LANGUAGE,
            "contextActivities": {"parent": [{"objectType": "Activity", "id": activity_id}]},
            "extensions": {**_context_extensions(base, scenario, attempt.mode, node_id),
                           **(extra or {})},
        },
        "timestamp": xapi_timestamp(moment),
    }
    if result is not None:
        statement["result"] = result
    return statement


def _context_extensions(base: str, scenario: ScenarioFacts, mode: str, node_id: str) -> dict:
    return {extension_iri(base, "rupture-markers"): list(scenario.markers),
            extension_iri(base, "rupture-family"): scenario.rupture,
            extension_iri(base, "mode"): mode,
            extension_iri(base, "node-id"): node_id}


def xapi_score(scaled: float) -> dict:
    scaled = round(min(1.0, max(0.0, scaled)), 4)
    return {"scaled": scaled, "raw": round(scaled * RAW_MAX, 2), "min": 0, "max": RAW_MAX}


def extension_iri(base: str, name: str) -> str:
    return f"{base}/xapi/extensions/{name}"


def statement_uuid(base: str, event: str) -> str:
    # Namespaced by site, so two deployments exporting to one LRS never collide.
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/xapi")
    return str(uuid.uuid5(namespace, event))


def xapi_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def xapi_duration(elapsed: timedelta) -> str:
    return f"PT{max(0.0, elapsed.total_seconds()):.2f}S"
