"""Realistic data at scale for benchmarks: cohorts of trainees with scored attempts, in bulk.

Every scenario is played a few ways once, through the real scorer and engine; the stored turns
reuse those plays with their scores jittered, so 100,000 turns cost a few hundred scorer calls.
Rows go in with bulk INSERTs. Nothing here imports Flask or commits: the caller commits per
cohort, so memory stays flat however many cohorts are seeded.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, text
from sqlmodel import Session, select

from simulator.engine import AllianceState, advance
from simulator.models import (
    Assignment,
    Attempt,
    AttemptShare,
    Cohort,
    CohortMember,
    Review,
    Turn,
    User,
    utcnow,
)
from simulator.models.people import new_session_token
from simulator.models.practice import new_attempt_id
from simulator.practice.answers import Answer, Scored, score_answer
from simulator.practice.snapshots import pin_snapshot
from simulator.rubric import Rubric
from simulator.scenarios.library import Library
from simulator.scenarios.model import ClientNode, Ending, Scenario

DOMAIN = "scale.example.org"
COHORT_PREFIX = "Scale cohort"
MAX_SCRIPT_TURNS = 20
ASSIGNED_SHARE = 0.5
JITTER = 0.08  # how far a reused score may move, so no two turns look identical
REVIEWED_SHARE = 0.02  # free-text turns a supervisor has rated
REWOUND_SHARE = 0.05  # attempts with one answer set aside and answered again
ASSIGNMENTS_PER_COHORT = 3
HISTORY = timedelta(days=60)


@dataclass(frozen=True)
class PlayedTurn:
    """One answered moment of a scripted play, exactly as the app would store it."""

    node_id: str
    client_line: str
    response_text: str | None
    choice_index: int | None
    scores: dict
    overall: float
    confidence: float
    next_node: str
    salience: int
    direction: str


@dataclass(frozen=True)
class Script:
    """A whole play of one scenario, and a weaker answer per moment for rewound turns."""

    scenario: Scenario
    turns: tuple[PlayedTurn, ...]
    outcome: str | None
    ending: str
    weaker: dict[str, PlayedTurn]


@dataclass
class Counts:
    """What was created."""

    cohorts: int = 0
    supervisors: int = 0
    trainees: int = 0
    assignments: int = 0
    attempts: int = 0
    turns: int = 0
    reviews: int = 0

    def add(self, other: Counts) -> None:
        """Add another cohort's counts to these."""
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Accounts:
    """Password hashes for seeded accounts (hashed once: scrypt per user would take minutes)."""

    trainee_hash: str
    supervisor_hash: str


def trainee_email(number: int) -> str:
    """The email of the seeded trainee `number` (1-based)."""
    return f"trainee{number:05d}@{DOMAIN}"


def supervisor_email(number: int) -> str:
    """The email of the supervisor of seeded cohort `number` (1-based)."""
    return f"supervisor{number:03d}@{DOMAIN}"


def cohort_name(number: int) -> str:
    """The name of seeded cohort `number` (1-based)."""
    return f"{COHORT_PREFIX} {number:03d}"


def refresh_statistics(*, session: Session) -> None:
    """Let PostgreSQL plan with the new row counts now rather than when autovacuum gets to it,
    and mark the new rows visible so the review queue can be read from its index alone."""
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":
        # VACUUM cannot run inside a transaction: its own connection, in autocommit.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))


def already_seeded(*, session: Session) -> bool:
    """True when seeded cohorts exist (seeding twice would collide on emails)."""
    return session.exec(select(Cohort).where(Cohort.name == cohort_name(1))).first() is not None


# --- scripted plays -------------------------------------------------------------------------

Picker = Callable[[ClientNode, int], Answer]
# For free-text moments without model answers (an uploaded scenario may have none).
_FALLBACK = {True: "It sounds like that hurt. What was it like for you when I said it?",
             False: "Let's move on to the next thing on the list."}


def _answer(node: ClientNode, strong: bool) -> Answer:
    if node.respond == "choice":
        return Answer(choice=0)
    if node.exemplars is None:
        return Answer(response=_FALLBACK[strong], mode="free")
    texts = node.exemplars.strong if strong or not node.exemplars.weak else node.exemplars.weak
    return Answer(response=texts[0], mode="free")


def _strong(node: ClientNode, _turn: int) -> Answer:
    return _answer(node, True)


def _weak(node: ClientNode, _turn: int) -> Answer:
    return _answer(node, False)


def _mixed(node: ClientNode, turn: int) -> Answer:
    return _answer(node, turn % 2 == 0)


def _choosing(node: ClientNode, turn: int) -> Answer:
    if node.respond in ("choice", "both"):
        return Answer(choice=turn % len(node.choices), mode="choice")
    return _mixed(node, turn + 1)


PICKERS: tuple[Picker, ...] = (_strong, _weak, _mixed, _choosing)


def scripted_plays(library: Library) -> list[Script]:
    """Play every scenario with strong, weak, mixed and chosen answers, through the scorer."""
    memo: dict[tuple, Scored] = {}
    return [_play(scenario, pick, memo) for scenario in library.scenarios.values()
            for pick in PICKERS]


def _scored(scenario: Scenario, node: ClientNode, answer: Answer, memo: dict) -> Scored:
    key = (scenario.content_hash, node.id, answer.response, answer.choice)
    if key not in memo:
        memo[key] = score_answer(scenario, node, answer)
    return memo[key]


def _played(scenario: Scenario, node: ClientNode, answer: Answer, state: AllianceState,
            memo: dict) -> PlayedTurn:
    scored = _scored(scenario, node, answer, memo)
    choice = answer.choice if node.respond in ("choice", "both") else None
    step = advance(scenario, node.id, scored.measures, state, choice_index=choice)
    return PlayedTurn(
        node.id, node.say, answer.response, choice, scored.stored, scored.measures["overall"],
        scored.stored.get("confidence", 1.0), step.next_node, step.alliance.salience,
        step.alliance.direction)


def _play(scenario: Scenario, pick: Picker, memo: dict) -> Script:
    state, node_id = AllianceState.initial(scenario), scenario.start
    turns, weaker = [], {}
    for number in range(MAX_SCRIPT_TURNS):
        node = scenario.node(node_id)
        if isinstance(node, Ending):
            break
        turn = _played(scenario, node, pick(node, number), state, memo)
        weaker[node.id] = _played(scenario, node, _weak(node, number), state, memo)
        turns.append(turn)
        state, node_id = AllianceState(turn.salience, turn.direction), turn.next_node
    ending = scenario.node(node_id)
    outcome = ending.outcome if isinstance(ending, Ending) else None
    return Script(scenario, tuple(turns), outcome, node_id, weaker)


# --- jittered scores ------------------------------------------------------------------------

def jittered(turn: PlayedTurn, rubric: Rubric, rng: random.Random) -> tuple[dict, float, float]:
    """The turn's stored scores moved a little, levels and overall recomputed; and confidence."""
    if turn.scores.get("kind") != "free":
        return turn.scores, turn.overall, turn.confidence
    scores = copy.deepcopy(turn.scores)
    values: dict[str, dict[str, float]] = {"criteria": {}, "flags": {}}
    for group, moved in values.items():
        for item_id, stored in scores[group].items():
            score = round(min(1.0, max(0.0, stored["score"] + rng.uniform(-JITTER, JITTER))), 4)
            level = rubric.item(item_id).level_for(score)
            stored.update(score=score, level=level.level, label=level.label,
                          feedback=level.feedback)
            moved[item_id] = score
    overall = rubric.overall(values["criteria"], values["flags"], scores.get("needs"))
    confidence = round(min(1.0, max(0.0, turn.confidence + rng.uniform(-0.25, 0.1))), 4)
    scores.update(overall=overall, confidence=confidence)
    return scores, overall, confidence


# --- rows -----------------------------------------------------------------------------------

_FIRST = ("Ada", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jude", "Kai", "Lena",
          "Milo", "Nia", "Omar", "Pia", "Quinn", "Rae", "Sol", "Tess", "Uma", "Vik", "Wren", "Yara")
_LAST = ("Abbott", "Baines", "Chen", "Dlamini", "Evans", "Farouk", "Gallo", "Haddad", "Ito",
         "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nwosu", "Okafor", "Petrov", "Quist")
_REFLECTIONS = (
    "I rushed to explain myself when she said I was late. Next time: name it first, then ask.",
    "Slowing down helped. The moment I asked what it was like with me, he softened.",
    "I noticed I wanted to fix it. Staying curious felt awkward but it kept her talking.",
)


@dataclass(frozen=True)
class CohortPlan:
    """One cohort to seed: its number, its first trainee's number, and how much history."""

    number: int
    first_trainee: int
    trainees: int
    turns_per_trainee: int


def plans(trainees: int, turns_per_trainee: int, cohort_size: int = 25) -> list[CohortPlan]:
    """Split `trainees` into cohorts of about `cohort_size`, as even as possible."""
    count = max(1, math.ceil(trainees / max(cohort_size, 1)))
    sizes = [trainees // count + (1 if n < trainees % count else 0) for n in range(count)]
    firsts = [1 + sum(sizes[:n]) for n in range(count)]
    return [CohortPlan(n + 1, firsts[n], sizes[n], turns_per_trainee)
            for n in range(count) if sizes[n]]


def _name(number: int) -> str:
    return f"{_FIRST[number % len(_FIRST)]} {_LAST[(number // len(_FIRST)) % len(_LAST)]}"


def _insert(session: Session, model, rows: list[dict], *, ids: bool = False) -> list:
    if not rows:
        return []
    table = model.__table__
    if not ids:
        session.execute(insert(table), rows)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def _users(session: Session, numbers: list[int], role: str, password_hash: str,
           now: datetime) -> list[int]:
    email = trainee_email if role == "trainee" else supervisor_email
    rows = [{"email": email(n), "name": _name(n), "role": role, "active": True,
             "password_hash": password_hash, "session_token": new_session_token(),
             "created_at": now - HISTORY} for n in numbers]
    return _insert(session, User, rows, ids=True)


def seed_cohort(*, session: Session, plan: CohortPlan, scripts: list[Script], accounts: Accounts,
                rng: random.Random, now: datetime | None = None) -> Counts:
    """Insert one cohort with its supervisor, trainees, assignments, attempts, turns, reviews."""
    if not scripts:
        raise ValueError("no scripted plays: the library has no valid scenario to play")
    now = now or utcnow()
    for scenario in {s.scenario.content_hash: s.scenario for s in scripts}.values():
        pin_snapshot(session=session, scenario=scenario)
    cohort = Cohort(name=cohort_name(plan.number), description="Seeded for benchmarks.",
                    created_at=now - HISTORY)
    session.add(cohort)
    session.flush()
    [supervisor] = _users(session, [plan.number], "supervisor", accounts.supervisor_hash, now)
    numbers = list(range(plan.first_trainee, plan.first_trainee + plan.trainees))
    trainees = _users(session, numbers, "trainee", accounts.trainee_hash, now)
    _insert(session, CohortMember, [
        {"cohort_id": cohort.id, "user_id": uid, "role": role, "added_at": now - HISTORY}
        for uid, role in [(supervisor, "supervisor"), *((t, "trainee") for t in trainees)]])
    assignments = _assignments(session, cohort.id, supervisor, scripts, rng, now)
    attempts, turns, rubrics = [], [], {}
    for trainee in trainees:
        history = _History(trainee, scripts, assignments, rng, now)
        history.play(plan.turns_per_trainee)
        attempts += history.attempts
        turns += history.turns
        rubrics.update(history.rubrics)
    _insert(session, Attempt, attempts)
    # Seeded trainees joined before their first attempt and share all their practice with
    # their cohort, so its supervisor sees the whole history (assigned work they see anyway).
    _insert(session, AttemptShare, [
        {"attempt_id": a["id"], "cohort_id": cohort.id, "shared_at": a["started_at"]}
        for a in attempts if a["assignment_id"] is None])
    turn_ids = _insert(session, Turn, turns, ids=True)
    reviews = _reviews(turns, turn_ids, supervisor, rubrics, rng, now)
    _insert(session, Review, reviews)
    return Counts(1, 1, len(trainees), len(assignments), len(attempts), len(turns), len(reviews))


def _assignments(session: Session, cohort_id: int, supervisor: int, scripts: list[Script],
                 rng: random.Random, now: datetime) -> dict[str, int]:
    scenario_ids = sorted({s.scenario.id for s in scripts})
    chosen = rng.sample(scenario_ids, min(ASSIGNMENTS_PER_COHORT, len(scenario_ids)))
    rows = [Assignment(scenario_id=sid, cohort_id=cohort_id, mode="practice", attempts_allowed=3,
                       due_at=now + timedelta(days=14 * n - 14), created_by=supervisor,
                       created_at=now - HISTORY) for n, sid in enumerate(chosen)]
    session.add_all(rows)
    session.flush()
    return {row.scenario_id: row.id for row in rows}


class _History:
    """One trainee's attempts, oldest first, filled until the turn budget is spent."""

    def __init__(self, trainee: int, scripts: list[Script], assignments: dict[str, int],
                 rng: random.Random, now: datetime) -> None:
        self.trainee, self.scripts, self.assignments = trainee, scripts, assignments
        self.rng, self.now = rng, now
        self.attempts: list[dict] = []
        self.turns: list[dict] = []
        self.rubrics: dict[str, Rubric] = {}  # attempt id -> the rubric its turns were scored on

    def play(self, budget: int) -> None:
        """Add attempts until `budget` turns exist; the last one may stop midway."""
        per_turn = HISTORY / max(budget, 1)
        moment = self.now - HISTORY
        # Trainees play what they were assigned about half the time (and anything else
        # otherwise), so supervisors' pages have assigned work whatever the library's size.
        assigned = [s for s in self.scripts if s.scenario.id in self.assignments]
        while budget > 0:
            script = self.rng.choice(assigned if assigned and self.rng.random() < ASSIGNED_SHARE
                                     else self.scripts)
            played = script.turns[:budget]
            finished = len(played) == len(script.turns) and script.outcome is not None
            moment = self._attempt(script, played, finished, moment, per_turn)
            budget -= len(played)

    def _attempt(self, script: Script, played: tuple[PlayedTurn, ...], finished: bool,
                 moment: datetime, per_turn: timedelta) -> datetime:
        attempt_id, scenario = new_attempt_id(), script.scenario
        self.rubrics[attempt_id] = scenario.rubric
        started = moment
        rewind = (self.rng.randrange(len(played)) if len(played) > 1 and
                  self.rng.random() < REWOUND_SHARE else None)
        index = 0
        for position, turn in enumerate(played):
            if position == rewind:
                moment += per_turn / 4
                self._turn(attempt_id, index, script.weaker[turn.node_id], moment, True)
                index += 1
            moment += per_turn
            self._turn(attempt_id, index, turn, min(moment, self.now), False)
            index += 1
        last = played[-1]
        reflection = self.rng.choice(_REFLECTIONS) if finished and self.rng.random() < 0.3 else None
        self.attempts.append({
            "id": attempt_id, "trainee_id": self.trainee, "scenario_id": scenario.id,
            "scenario_hash": scenario.content_hash, "assignment_id": self._assignment(scenario),
            "mode": "practice", "status": "completed" if finished else "in_progress",
            "current_node": script.ending if finished else last.next_node,
            "salience": last.salience, "direction": last.direction,
            "outcome": script.outcome if finished else None, "reflection": reflection,
            "reflection_shared": reflection is not None and self.rng.random() < 0.5,
            "started_at": min(started, self.now),
            "finished_at": min(moment, self.now) if finished else None,
        })
        return moment

    def _assignment(self, scenario: Scenario) -> int | None:
        wanted = self.assignments.get(scenario.id)
        taken = sum(1 for a in self.attempts if a["assignment_id"] == wanted)
        return wanted if wanted is not None and taken < 3 else None

    def _turn(self, attempt_id: str, index: int, turn: PlayedTurn, at: datetime,
              superseded: bool) -> None:
        scores, overall, confidence = jittered(turn, self.rubrics[attempt_id], self.rng)
        self.turns.append({
            "attempt_id": attempt_id, "index": index, "node_id": turn.node_id,
            "client_line": turn.client_line, "response_text": turn.response_text,
            "choice_index": turn.choice_index, "notice": None, "scores": scores,
            "overall": overall, "confidence": confidence, "next_node": turn.next_node,
            "salience": turn.salience, "direction": turn.direction, "superseded": superseded,
            "created_at": at,
        })


def _reviews(turns: list[dict], turn_ids: list[int], supervisor: int,
             rubrics: dict[str, Rubric], rng: random.Random, now: datetime) -> list[dict]:
    reviews = []
    for turn, turn_id in zip(turns, turn_ids, strict=True):
        if turn["scores"].get("kind") != "free" or turn["superseded"]:
            continue
        if rng.random() >= REVIEWED_SHARE:
            continue
        scored = turn["scores"]["criteria"]  # only what was judged at that moment
        item = rng.choice([c for c in rubrics[turn["attempt_id"]].criteria if c.id in scored])
        engine = turn["scores"]["criteria"][item.id]["level"]
        levels = [level.level for level in item.levels]
        new = min(levels[-1], max(levels[0], engine + rng.choice((-1, 0, 1))))
        reviews.append({
            "turn_id": turn_id, "criterion": item.id, "old_level": engine, "new_level": new,
            "comment": "", "reviewer_id": supervisor, "blind": rng.random() < 0.3,
            "created_at": min(now, turn["created_at"] + timedelta(days=1)),
        })
    return reviews
