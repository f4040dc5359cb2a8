"""What queueing xAPI statements adds to a trainee's answer (issue 17).

    .venv/bin/python bench/delivery_cost.py [--turns 300]

Plays the same free-text answers through the Flask test client on a fresh SQLite database,
three ways: no LRS configured (nothing queued: the default), an LRS configured with
SIMULATOR_DELIVERY_MODE=off (each answer builds and queues its statements in its own
transaction; nothing is sent), and the same with the trainee's words left out. Reports CPU
milliseconds per answer (process time, so other load on the machine counts less) and the
statements queued per answer. Sending is not timed here: it runs after the response, in a
background thread (docs/lms.md). A benchmark, not a test: it reports and never asserts.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, table
from sqlmodel import select

from simulator import create_app, migrate
from simulator.db import get_engine, get_session
from simulator.library import shipped_library
from simulator.models import Attempt, User, XapiOutbox
from simulator.scenarios.model import ClientNode
from simulator.users import hash_password

PASSWORD = "bench-password-long-enough"  # noqa: S105 (a throwaway local account)
SCENARIO = "you-started-late-again"
CONFIGS = {
    "no LRS (default)": {},
    "LRS set, queued, words included": {"LRS_URL": "http://127.0.0.1:9/xAPI"},
    "LRS set, queued, words left out": {"LRS_URL": "http://127.0.0.1:9/xAPI",
                                        "XAPI_RESPONSE_TEXT": False},
}


def _token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def run(settings: dict, turns: int, folder: Path) -> tuple[list[float], float]:
    config = {"TESTING": True, "SECRET_KEY": "b" * 40, "INSTANCE_PATH": str(folder),
              "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "DELIVERY_MODE": "off",
              "BASE_URL": "https://sim.example.ac.uk", **settings}
    app = create_app(config)
    migrate.upgrade(get_engine(app))
    with app.app_context():
        session = get_session()
        session.add(User(email="bench@example.org", name="Bench", role="trainee",
                         password_hash=hash_password(PASSWORD)))
        session.commit()
    scenario = shipped_library(app).scenarios[SCENARIO]
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD,
                                "csrf_token": _token(client, "/login")})
    costs: list[float] = []
    while len(costs) < turns:
        started = client.post(f"/scenarios/{SCENARIO}/attempts", data={
            "mode": "practice", "csrf_token": _token(client, f"/scenarios/{SCENARIO}")})
        url = started.headers["Location"]
        for _ in range(20):
            with app.app_context():
                attempt = get_session().get(Attempt, url.rsplit("/", 1)[-1])
                node = scenario.node(attempt.current_node)
            if not isinstance(node, ClientNode) or len(costs) >= turns:
                break
            page = client.get(url).get_data(as_text=True)
            form = {"turn": re.search(r'name="turn" value="(\d+)"', page).group(1),
                    "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
                    "response": node.exemplars.strong[0]}
            if node.respond == "both":
                form["mode"] = "free"
            before = time.process_time()
            answered = client.post(f"{url}/turns", data=form)
            costs.append((time.process_time() - before) * 1000)
            assert answered.status_code == 303, answered.status_code
    with app.app_context():
        queued = len(get_session().exec(select(XapiOutbox.id)).all())
    get_engine(app).dispose()
    return costs, queued / len(costs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=300)
    args = parser.parse_args()
    rows = []
    for name, settings in CONFIGS.items():
        with tempfile.TemporaryDirectory() as folder:
            costs, per_turn = run(settings, args.turns, Path(folder))
        costs = costs[10:]  # the first answers pay for imports and template compiles
        rows.append([name, len(costs), f"{statistics.median(costs):.2f}",
                     f"{statistics.quantiles(costs, n=20)[18]:.2f}", f"{per_turn:.2f}"])
    print(machine())
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(table(["configuration", "answers timed", "CPU ms per answer p50", "p95",
                 "statements queued per answer (launches included)"], rows))


if __name__ == "__main__":
    main()
