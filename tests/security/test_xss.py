"""Hostile markup typed into every user-text field is shown escaped on every page that shows it.

The payloads go in through the web forms, the way an attacker would put them there: cohort
names and descriptions, a roster's names and emails, an uploaded scenario's text, a response,
a notice reaction, a reflection and an override comment.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from simulator.models import Turn
from simulator.users import find_user, set_password
from tests.helpers import PASSWORD, make_user
from tests.security.conftest import token_on
from tests.supervisor.conftest import browser_for
from tests.trainee.conftest import page_turn

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
RAW = ("<script>alert(", "<img src=x onerror", "<svg/onload")


def payload(field: str) -> str:
    """A script and an event-handler payload labelled with the field it was typed into."""
    return f'<script>alert("{field}")</script><img src=x onerror=alert(1)>'


def escaped(field: str) -> str:
    return f"&lt;script&gt;alert(&#34;{field}&#34;)&lt;/script&gt;"


EMAIL = '<svg/onload=alert("email")>@example.org'  # an email address may not contain spaces
EMAIL_SHOWN = "&lt;svg/onload=alert(&#34;email&#34;)&gt;@example.org"


def hostile_scenario() -> bytes:
    """The smallest valid scenario with markup in its title, summary, client and lines."""
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    for old, new in (("id: tiny", "id: xss-probe"), ("title: Tiny", f"title: '{payload('title')}'"),
                     ("summary: The smallest valid scenario, for tests.",
                      f"summary: '{payload('summary')}'"),
                     ("name: Sam Test", f"name: 'Sam {payload('client')}'"),
                     ("say: Fine.", f"say: 'Fine. {payload('say')}'")):
        text = text.replace(old, new)
    return text.encode("utf-8")


def roster_csv() -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerows([("email", "name", "role"), ("target@example.org", payload("name"), "trainee"),
                      (EMAIL, "Plain Name", "trainee")])
    return stream.getvalue().encode("utf-8")


def problems(html: str, where: str, fields: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a page: raw markup present, or an expected field not shown escaped."""
    found = [f"{where}: raw {raw!r}" for raw in RAW if raw in html]
    for field in fields:
        expected = EMAIL_SHOWN if field == "email" else escaped(field)
        if expected not in html:
            found.append(f"{where}: {field} not shown (escaped)")
    return found


@dataclass
class Planted:
    supervisor: FlaskClient
    trainee: FlaskClient
    admin: FlaskClient
    cohort_id: int
    attempt: str
    seen: list[str]  # problems found on pages that only a POST renders


def _post(browser, url: str, data: dict, **kwargs):
    return browser.post(url, data={**data, "csrf_token": token_on(browser)}, **kwargs)


def _cohort_and_roster(supervisor, seen: list[str]) -> int:
    created = _post(supervisor, "/supervise/cohorts", {"name": payload("cohort"),
                                                       "description": payload("description")})
    assert created.status_code == 303, created.get_data(as_text=True)
    cohort_url = created.headers["Location"]
    seen += problems(supervisor.get(cohort_url).get_data(as_text=True), "cohort (flash)",
                     ("cohort", "description"))
    preview = _post(supervisor, f"{cohort_url}/roster",
                    {"roster": (io.BytesIO(roster_csv()), "roster.csv")})
    html = preview.get_data(as_text=True)
    seen += problems(html, "roster preview", ("name", "email", "cohort"))
    body = re.search(r'name="payload" value="([^"]+)"', html).group(1)
    done = _post(supervisor, f"{cohort_url}/roster/confirm", {"payload": body})
    seen += problems(done.get_data(as_text=True), "roster done", ("name", "email", "cohort"))
    return int(cohort_url.rsplit("/", 1)[-1])


def _join(trainee, seen: list[str]) -> None:
    """Accept the roster's invitation from the dashboard, which names the cohort."""
    dashboard = trainee.get("/").get_data(as_text=True)
    seen += problems(dashboard, "dashboard invitation", ("cohort",))
    accept = re.search(r'action="(/invitations/\d+/accept)"', dashboard).group(1)
    assert _post(trainee, accept, {}).status_code == 303


def _play(trainee, seen: list[str], cohort_id: int) -> str:
    started = _post(trainee, "/scenarios/xss-probe/attempts", {"mode": "practice"})
    url = started.headers["Location"]
    turn = page_turn(trainee.get(url).get_data(as_text=True))
    refused = _post(trainee, f"{url}/turns", {"turn": turn, "response": "",
                                              "notice_family": "withdrawal",
                                              "notice_reaction": payload("reaction")})
    assert refused.status_code == 422
    seen += problems(refused.get_data(as_text=True), "refused answer", ("reaction", "client"))
    answered = _post(trainee, f"{url}/turns", {"turn": turn, "response": payload("response"),
                                               "notice_family": "withdrawal",
                                               "notice_reaction": payload("reaction")})
    assert answered.status_code == 303
    saved = _post(trainee, f"{url}/reflection", {"reflection": payload("reflection"),
                                                 "share": "yes", "sharing": "cohorts",
                                                 "cohorts": str(cohort_id)})
    assert saved.status_code == 303
    return url


@pytest.fixture
def planted(app, session) -> Planted:
    supervisor = browser_for(app, make_user(session, role="supervisor"))
    admin = browser_for(app, make_user(session, role="admin"))
    seen: list[str] = []
    cohort_id = _cohort_and_roster(supervisor, seen)
    uploaded = _post(supervisor, "/supervise/scenarios/upload",
                     {"scenario": (io.BytesIO(hostile_scenario()), "xss-probe.yaml")})
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)
    seen += problems(supervisor.get(uploaded.headers["Location"]).get_data(as_text=True),
                     "upload (flash)", ("title",))
    published = _post(supervisor, "/supervise/scenarios/xss-probe/publish",
                      {"version": "1", "cohorts": str(cohort_id)})
    assert published.status_code == 303, published.get_data(as_text=True)
    target = find_user(session=session, email="target@example.org")
    set_password(target, PASSWORD)
    session.add(target)
    session.commit()
    trainee = browser_for(app, target)
    _join(trainee, seen)
    attempt = _play(trainee, seen, cohort_id)
    turn = session.exec(select(Turn).where(Turn.attempt_id == attempt.rsplit("/", 1)[-1])).one()
    reviewed = _post(supervisor, f"/supervise/turns/{turn.id}/reviews", {
        "criterion": "reflection", "level": "1", "comment": payload("comment")})
    assert reviewed.status_code == 303
    return Planted(supervisor, trainee, admin, cohort_id, attempt, seen)


def test_pages_rendered_by_form_posts_escape_what_was_sent(planted):
    assert planted.seen == []


def test_every_page_escapes_every_field_it_shows(planted):
    review = planted.attempt.replace("/attempts/", "/supervise/attempts/")
    cohort = f"/supervise/cohorts/{planted.cohort_id}"
    pages = [
        (planted.trainee, "/", ("name", "title")),
        (planted.trainee, "/scenarios", ("title", "summary")),
        (planted.trainee, "/scenarios/xss-probe", ("title", "summary", "client")),
        (planted.trainee, planted.attempt, ("title", "client", "say", "response")),
        (planted.trainee, f"{planted.attempt}/debrief",
         ("title", "client", "say", "response", "reflection", "comment")),
        (planted.trainee, "/account", ("name", "cohort")),
        (planted.supervisor, "/supervise/", ("cohort",)),
        (planted.supervisor, cohort, ("cohort", "description", "name", "email", "title")),
        (planted.supervisor, review, ("title", "client", "say", "name", "response", "comment",
                                      "reflection")),
        (planted.supervisor, f"{review}/transcript", ("title", "client", "name", "response",
                                                      "reflection")),
        (planted.supervisor, f"/supervise/agreement?cohort={planted.cohort_id}", ("cohort",)),
        (planted.supervisor, "/supervise/scenarios", ("title",)),
        (planted.supervisor, "/supervise/scenarios/xss-probe/edit", ("title", "say")),
        (planted.supervisor, "/supervise/scenarios/xss-probe/versions", ()),
        (planted.supervisor, "/supervise/scenarios/xss-probe/versions/1", ("title", "say")),
        (planted.supervisor, "/supervise/scenarios/xss-probe/preview", ("client", "say")),
        (planted.supervisor, "/supervise/queue", ()),
        (planted.admin, "/admin/", ("name", "email")),
    ]
    found = []
    for browser, path, fields in pages:
        response = browser.get(path)
        assert response.status_code == 200, path
        found += problems(response.get_data(as_text=True), path, fields)
    assert found == []


def test_the_account_download_carries_the_text_verbatim_as_json(planted):
    response = planted.trainee.get("/account/data.json")
    assert response.mimetype == "application/json"
    data = response.get_json()
    turn = data["attempts"][0]["turns"][0]
    assert turn["response"] == payload("response")
    assert turn["notice"]["reaction"] == payload("reaction")
    assert data["attempts"][0]["reflection"] == payload("reflection")
    assert turn["supervisor_reviews"][0]["comment"] == payload("comment")
