"""Query budget: each page issues the same number of SQL statements however much data exists.

The data grows tenfold (2 → 20 trainees in the cohort, about 2 → 20 attempts each); a page
whose count grows with it is running a query per row (N+1).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from simulator import create_app, migrate, seeding
from simulator.db import get_engine
from simulator.models import Attempt, Cohort, User
from simulator.seeding import cohort_name, supervisor_email, trainee_email
from tests.conftest import reset_postgres, sign_in
from tests.helpers import make_user
from tests.scale.conftest import seed

# The most statements any page may issue (sign-in check, library, the page's own queries,
# and an audit insert for pages that record one). A page that needs more is doing too much.
BUDGET = 12
# The pages a supervisor or an admin opens most, held to exactly what they need after the
# sign-in check. Home: cohorts, head counts, queue length. Queue: the queue (trainees picked
# inside it), library. Cohort: the cohort, library, the scenarios published to the cohort (what
# can be assigned there), trainees, assignments, attempts, their turn totals, members,
# invitations not answered yet, and the LMS courses the cohort came from (one query when none;
# at most four, whatever the data, when it is linked to an LMS).
TIGHT = {"supervisor home": 4, "queue": 3, "cohort": 11}
TRAINEE_PAGES = ("dashboard", "library", "play", "debrief", "progress")
SUPERVISOR_PAGES = ("supervisor home", "cohort", "review", "transcript", "queue", "blind",
                    "agreement", "gradebook")


def _urls(session: Session) -> dict[str, str]:
    """One URL per page, for the first seeded trainee and cohort."""
    cohort = session.exec(select(Cohort).where(Cohort.name == cohort_name(1))).one()
    trainee = session.exec(select(User).where(User.email == trainee_email(1))).one()
    mine = session.exec(select(Attempt).where(Attempt.trainee_id == trainee.id)
                        .order_by(col(Attempt.started_at))).all()
    done = next(a for a in mine if a.status == "completed")
    latest = mine[-1]
    return {
        "dashboard": "/", "library": "/scenarios", "play": f"/attempts/{latest.id}",
        "debrief": f"/attempts/{done.id}/debrief", "progress": "/progress",
        "supervisor home": "/supervise/", "cohort": f"/supervise/cohorts/{cohort.id}",
        "review": f"/supervise/attempts/{done.id}",
        "transcript": f"/supervise/attempts/{done.id}/transcript",
        "queue": "/supervise/queue", "blind": "/supervise/blind",
        "agreement": "/supervise/agreement",
        "gradebook": f"/supervise/cohorts/{cohort.id}/gradebook.csv",
    }


@contextlib.contextmanager
def counting(app) -> Iterator[list[str]]:
    """Collect every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def _count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = get_engine(app)
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def page_counts(app, browser, urls: dict[str, str], pages: tuple[str, ...]) -> dict[str, int]:
    """Statements per page, after one warm-up request fills the per-process caches."""
    counts = {}
    for page in pages:
        browser.get(urls[page])
        with counting(app) as statements:
            response = browser.get(urls[page])
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(statements)
    return counts


def measure(config: dict, trainees: int) -> dict[str, dict[str, int]]:
    """Seed a fresh database with `trainees` and count each page's statements per role."""
    app = create_app(config)
    engine = get_engine(app)
    migrate.upgrade(engine)
    try:
        with Session(engine, expire_on_commit=False) as session:
            seed(app, session, trainees=trainees, turns_per_trainee=10 * trainees)
            admin = make_user(session, role="admin")
            urls = _urls(session)
        return {
            who: page_counts(app, _signed_in(app, email), urls, pages)
            for who, email, pages in (
                ("trainee", trainee_email(1), TRAINEE_PAGES),
                ("supervisor", supervisor_email(1), SUPERVISOR_PAGES),
                ("admin", admin.email, SUPERVISOR_PAGES),
            )
        }
    finally:
        engine.dispose()


def _signed_in(app, email: str):
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    return browser


@pytest.fixture
def fresh_config(app_config, tmp_path) -> Callable[[str], dict]:
    """A config for another empty database (PostgreSQL: the one test database, emptied)."""

    def _make(name: str) -> dict:
        url = app_config["DATABASE_URL"]
        if url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / name}.db"
        else:
            reset_postgres(url)
        return {**app_config, "DATABASE_URL": url}

    return _make


def test_pages_issue_a_bounded_number_of_queries_whatever_the_data_size(fresh_config,
                                                                       monkeypatch):
    # Enough reviews in the small data too, so no page skips a query only for lack of rows.
    monkeypatch.setattr(seeding, "REVIEWED_SHARE", 0.25)
    small = measure(fresh_config("small"), trainees=2)
    large = measure(fresh_config("large"), trainees=20)
    grew = {f"{who} {page}": (small[who][page], large[who][page])
            for who in small for page in small[who] if large[who][page] != small[who][page]}
    assert grew == {}, f"statements per page grew with the data (small, large): {grew}"
    over = {f"{who} {page}": count for who in large for page, count in large[who].items()
            if count > BUDGET}
    assert over == {}, f"pages over the budget of {BUDGET} statements: {over}"
    over_tight = {f"{who} {page}": (count, TIGHT[page]) for who in ("supervisor", "admin")
                  for page, count in large[who].items() if count > TIGHT.get(page, BUDGET)}
    assert over_tight == {}, f"pages over their own budget (count, budget): {over_tight}"
