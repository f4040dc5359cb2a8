"""xAPI delivery tests: one real LRS for the run, and apps configured to send to it.

When node or npm is missing the tests that need the LRS are skipped, and pytest's summary
says why (-ra); nothing is skipped quietly.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select

from simulator.models import XapiOutbox
from simulator.scenarios.model import Scenario
from tests.trainee.conftest import answer, play_to_end, start
from tests.xapi.lrs import Lrs, install

LRS_USER, LRS_PASSWORD = "holding-space", "lrs-test-password"
SCENARIO = "you-must-be-sick-of-me"  # its first moment has a notice step and takes both modes
WORDS = "It sounds like you worry you're a burden to me, and I'm glad you said so."
HOME = "https://sim.example.ac.uk"


@pytest.fixture(scope="session")
def lrs_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    reason = install()
    if reason:
        pytest.skip(f"xAPI delivery tests skipped: {reason}")
    lrs = Lrs(tmp_path_factory.mktemp("lrs"))
    lrs.start()
    yield lrs
    lrs.stop()


@pytest.fixture
def lrs(lrs_process: Lrs) -> Lrs:
    """The LRS, running (a test that stopped it may have failed before starting it again)."""
    if not lrs_process.running:
        lrs_process.start()
    return lrs_process


@pytest.fixture
def xapi_settings() -> dict:
    """Settings a test changes by parametrizing this fixture (e.g. {"LRS_URL": None})."""
    return {}


@pytest.fixture
def app_config(app_config: dict, lrs: Lrs, xapi_settings: dict) -> dict:
    """Delivery to the test LRS, inline, so what was sent is known when a response arrives."""
    return {**app_config, "LRS_URL": lrs.url, "LRS_USERNAME": LRS_USER,
            "LRS_PASSWORD": LRS_PASSWORD, "DELIVERY_MODE": "inline", **xapi_settings}


def outbox(session: Session, **where) -> list[XapiOutbox]:
    """The outbox rows (matching `where`), oldest first, as the database holds them now."""
    session.expire_all()
    query = select(XapiOutbox).order_by(col(XapiOutbox.id))
    for name, value in where.items():
        query = query.where(getattr(XapiOutbox, name) == value)
    return list(session.exec(query))


def token(client, path: str) -> str:
    """The CSRF token of the first form on `path`."""
    return re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get(path).get_data(as_text=True)).group(1)


def first_attempt(client, session: Session, scenario: Scenario) -> str:
    """Launch, a free-text answer with its notice step, a rewind, a chosen answer, the end;
    the attempt's URL."""
    url = start(client, scenario.id)
    noticed = answer(client, url, {"mode": "free", "response": WORDS, "notice_family": "testing",
                                   "notice_markers": ["reassurance-seeking"]})
    assert noticed.status_code == 303
    rewound = client.post(f"{url}/rewind", data={"csrf_token": token(client, url)})
    assert rewound.status_code == 303
    assert answer(client, url, {"mode": "choice", "choice": "0"}).status_code == 303
    play_to_end(client, session, url, scenario)
    return url


def small_statement(response: str = "fine", scaled: float = 0.5) -> dict:
    """A minimal valid statement with a fresh id, for queueing by hand."""
    return {"id": str(uuid.uuid4()), "version": "1.0.3",
            "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": "7"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/responded",
                     "display": {"en-US": "responded"}},
            "object": {"objectType": "Activity", "id": f"{HOME}/scenarios/s/moments/m"},
            "result": {"response": response, "score": {"scaled": scaled}}}
