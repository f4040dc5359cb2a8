"""Seeded data for the scale tests: cohorts of trainees with scored history, in bulk."""

from __future__ import annotations

import random

from sqlmodel import Session

from simulator import seeding
from simulator.library import shipped_library
from tests.helpers import PASSWORD, _hash

_scripts: dict[str, list[seeding.Script]] = {}


def seed(app, session: Session, *, trainees: int, turns_per_trainee: int) -> seeding.Counts:
    """Seed `trainees` in cohorts of 25 (password PASSWORD) and commit."""
    library = shipped_library(app)
    key = library.scenarios and next(iter(library.scenarios.values())).content_hash
    if key not in _scripts:  # scoring the plays once per test session keeps the tests quick
        _scripts.clear()
        _scripts[key] = seeding.scripted_plays(library)
    accounts = seeding.Accounts(_hash(PASSWORD), _hash(PASSWORD))
    rng, total = random.Random(3), seeding.Counts()
    for plan in seeding.plans(trainees, turns_per_trainee):
        total.add(seeding.seed_cohort(session=session, plan=plan, scripts=_scripts[key],
                                      accounts=accounts, rng=rng))
        session.commit()
    return total
