"""Helpers for playing scenarios through the Flask client, as a browser would."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from simulator.library import shipped_library
from simulator.models import Attempt
from simulator.scenarios.model import ClientNode, Scenario

HTMX = {"HX-Request": "true"}
MAX_TURNS = 20


def page_turn(html: str) -> str:
    """The hidden turn number of the answer form on a page or fragment."""
    match = re.search(r'name="turn" value="(\d+)"', html)
    assert match, "no answer form on the page"
    return match.group(1)


def start(client, scenario_id: str, mode: str = "practice") -> str:
    """Start an attempt through the scenario page's form; returns the attempt URL."""
    response = client.post(f"/scenarios/{scenario_id}/attempts", data={
        "mode": mode, "csrf_token": _token(client, f"/scenarios/{scenario_id}")})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def _token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def answer_for(node: ClientNode) -> dict:
    """A sensible answer: the author's strong exemplar, or the first choice."""
    if node.respond == "choice":
        return {"choice": "0"}
    words = {"response": node.exemplars.strong[0]}
    return {"mode": "free", **words} if node.respond == "both" else words


def answer(client, url: str, data: dict, *, htmx: bool = False):
    """Post one answer with the page's current turn number and CSRF token."""
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form = {"turn": page_turn(html), "csrf_token": token, **data}
    return client.post(f"{url}/turns", data=form, headers=HTMX if htmx else {})


def attempt_of(session: Session, url: str) -> Attempt:
    session.expire_all()
    return session.get(Attempt, url.rsplit("/", 1)[-1])


def play_to_end(client, session: Session, url: str, scenario: Scenario, *, htmx: bool = False):
    """Answer every moment until an ending; returns the responses posted."""
    responses = []
    for _ in range(MAX_TURNS):
        attempt = attempt_of(session, url)
        node = scenario.node(attempt.current_node)
        if node.is_ending:
            return responses
        response = answer(client, url, answer_for(node), htmx=htmx)
        assert response.status_code == (200 if htmx else 303), response.get_data(as_text=True)
        responses.append(response)
    raise AssertionError(f"{scenario.id}: no ending after {MAX_TURNS} turns")


@pytest.fixture
def library(app):
    return shipped_library(app)


@pytest.fixture
def trainee(login_as):
    return login_as("trainee")
