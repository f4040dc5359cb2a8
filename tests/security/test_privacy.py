"""A trainee's own data: the account page, the JSON download, and deleting the account."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from simulator.models import (
    Attempt,
    AuditEvent,
    CohortMember,
    Review,
    ScenarioSnapshot,
    SetPasswordToken,
    Turn,
    User,
)
from simulator.privacy import AccountDeletionRefused, delete_account, export_user_data
from tests.helpers import PASSWORD, make_user
from tests.security.conftest import token_on
from tests.supervisor.conftest import browser_for

CONFIRM = "delete my account"
REFLECTION = "I noticed I wanted to defend myself."


@pytest.fixture
def reviewed(app, session, course):
    """Course A's attempt with a private reflection and a supervisor's review of one turn."""
    attempt = session.get(Attempt, course.attempt_a.rsplit("/", 1)[-1])
    attempt.reflection = REFLECTION
    session.add(attempt)
    session.add(Review(turn_id=course.turn_a, criterion="reflection", new_level=3,
                       comment="Well noticed.", reviewer_id=course.supervisor_a.id))
    session.commit()
    return course


def _count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_the_export_holds_everything_about_the_trainee_and_nothing_else(session, reviewed):
    user = session.get(User, reviewed.trainee_a.id)
    data = export_user_data(session=session, user=user)
    text = json.dumps(data)  # JSON-ready: no datetimes or objects left
    assert data["account"] == {"id": user.id, "email": user.email, "name": user.name,
                               "role": "trainee", "active": True,
                               "created_at": user.created_at.isoformat()}
    assert user.password_hash not in text and user.session_token not in text
    assert "password_hash" not in text and "session_token" not in text
    assert [c["name"] for c in data["cohorts"]] == ["Section A"]
    (attempt,) = data["attempts"]
    assert attempt["reflection"] == REFLECTION and attempt["status"] == "completed"
    stored = session.exec(select(Turn).where(Turn.attempt_id == attempt["id"])
                          .order_by(Turn.index)).all()
    assert [t["response"] for t in attempt["turns"]] == [t.response_text for t in stored]
    assert all(t["scores"]["criteria"] for t in attempt["turns"])
    reviews = [r for t in attempt["turns"] for r in t["supervisor_reviews"]]
    assert [(r["new_level"], r["comment"]) for r in reviews] == [(3, "Well noticed.")]
    assert "reviewer" not in json.dumps(reviews)
    assert {e["action"] for e in data["activity"]} >= {"login", "attempt.start"}
    assert reviewed.trainee_b.email not in text and "Section B" not in text


def test_the_account_page_and_download(app, session, reviewed):
    browser = browser_for(app, reviewed.trainee_a)
    page = browser.get("/account").get_data(as_text=True)
    for shown in ("What is stored", reviewed.trainee_a.email, "Section A",
                  "Download all my data (JSON)", "Delete my account", CONFIRM):
        assert shown in page
    download = browser.get("/account/data.json")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == \
        'attachment; filename="holding-space-data.json"'
    assert download.headers["Cache-Control"] == "no-store"
    assert download.get_json()["attempts"][0]["reflection"] == REFLECTION
    assert _count(session, AuditEvent, AuditEvent.action == "account.export") == 1


def test_the_account_pages_need_sign_in(client):
    for path in ("/account", "/account/data.json"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(("password", "confirm", "status", "message"), [
    ("wrong password", CONFIRM, 401, "That password is not right. Nothing was deleted."),
    (PASSWORD, "delete it", 422, "to confirm. Nothing was deleted."),
    (PASSWORD, "", 422, "to confirm. Nothing was deleted."),
    ("", CONFIRM, 422, "Type your password to confirm it is you."),
])
def test_deleting_needs_the_password_and_the_typed_confirmation(app, session, reviewed, password,
                                                               confirm, status, message):
    browser = browser_for(app, reviewed.trainee_a)
    response = browser.post("/account/delete", data={
        "password": password, "confirm": confirm, "csrf_token": token_on(browser, "/account")})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert session.get(User, reviewed.trainee_a.id) is not None
    assert browser.get("/").status_code == 200


def test_deleting_removes_the_trainee_and_their_work_and_signs_them_out(app, session, reviewed):
    browser = browser_for(app, reviewed.trainee_a)
    trainee_id, attempt_id = reviewed.trainee_a.id, reviewed.attempt_a.rsplit("/", 1)[-1]
    others_turns = _count(session, Turn, Turn.attempt_id != attempt_id)
    response = browser.post("/account/delete", data={
        "password": PASSWORD, "confirm": " Delete My Account ",
        "csrf_token": token_on(browser, "/account")})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "have been deleted" in browser.get("/login").get_data(as_text=True)
    assert browser.get("/").status_code == 302
    session.expire_all()
    assert session.get(User, trainee_id) is None
    assert _count(session, Attempt, Attempt.id == attempt_id) == 0
    assert _count(session, Turn, Turn.attempt_id == attempt_id) == 0
    assert _count(session, Review) == 0
    assert _count(session, CohortMember, CohortMember.user_id == trainee_id) == 0
    assert _count(session, Turn) == others_turns
    assert session.get(User, reviewed.trainee_b.id) is not None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "account.delete")).one()
    assert (event.actor_id, event.object_id, event.detail["by_self"]) == (None, str(trainee_id),
                                                                          True)
    assert _count(session, AuditEvent, AuditEvent.object_id == attempt_id) >= 1  # ids remain
    assert REFLECTION not in json.dumps([e.detail for e in session.exec(select(AuditEvent))])


def test_a_supervisors_reviews_outlive_their_account(session, reviewed):
    supervisor = session.get(User, reviewed.supervisor_a.id)
    uploaded = ScenarioSnapshot(content_hash="b" * 64, scenario_id="mine", title="Mine",
                                source_text="id: mine\n", origin="upload",
                                uploaded_by=supervisor.id)
    session.add(uploaded)
    session.commit()
    summary = delete_account(session=session, user=supervisor, actor_id=reviewed.admin.id)
    session.commit()
    session.expire_all()
    assert summary.attempts == 0
    review = session.exec(select(Review)).one()
    assert review.reviewer_id is None and review.comment == "Well noticed."
    assert session.get(ScenarioSnapshot, "b" * 64).uploaded_by is None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "account.delete")).one()
    assert event.actor_id == reviewed.admin.id and event.detail["by_self"] is False


def test_pending_set_password_links_go_with_the_account(session, app):
    from simulator.courses.tokens import issue_token

    user = make_user(session)
    issue_token(session=session, user=user)
    session.commit()
    delete_account(session=session, user=user, actor_id=user.id)
    session.commit()
    assert _count(session, SetPasswordToken) == 0


def test_the_last_admin_cannot_delete_their_account(session, app):
    admin = make_user(session, role="admin")
    with pytest.raises(AccountDeletionRefused, match="only active admin"):
        delete_account(session=session, user=admin, actor_id=admin.id)
    session.rollback()
    make_user(session, role="admin")
    delete_account(session=session, user=session.get(User, admin.id), actor_id=admin.id)
    session.commit()
    assert session.get(User, admin.id) is None


def test_guessing_the_password_on_the_delete_form_is_throttled(app, session, reviewed):
    browser = browser_for(app, reviewed.trainee_a)
    token = token_on(browser, "/account")
    statuses = [browser.post("/account/delete", data={
        "password": f"guess {n}", "confirm": CONFIRM, "csrf_token": token}).status_code
        for n in range(11)]
    assert statuses == [401] * 10 + [429]
    assert session.get(User, reviewed.trainee_a.id) is not None
