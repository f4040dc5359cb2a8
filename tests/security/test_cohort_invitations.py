"""Cohort membership cannot be used to read someone's past.

A supervisor who adds an existing trainee to their own cohort gets an invitation, not a view
of the trainee's history: before or after the trainee accepts, none of the work done before
joining, nor work given or shared in other cohorts, is in reach (review, transcript, override,
queue, blind rating, agreement, cohort page, gradebook, xAPI). Work assigned in their cohort
after joining, and practice the trainee shares with it, is. Adding people answers the same way
whether or not an email has an account, and only admins add supervisors.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest
from sqlmodel import select

from simulator.library import shipped_library
from simulator.models import (
    Assignment,
    Attempt,
    AttemptShare,
    CohortInvitation,
    CohortMember,
    Review,
    Turn,
    User,
)
from tests.helpers import make_user
from tests.security.conftest import token_on, without_tokens
from tests.supervisor.conftest import browser_for
from tests.trainee.conftest import play_to_end, start

SCENARIO = "you-started-late-again"


def _id(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _post(browser, url: str, data: dict | None = None, **kwargs):
    return browser.post(url, data={**(data or {}), "csrf_token": token_on(browser)}, **kwargs)


def _invite(browser, cohort_id: int, email: str, name: str = "Pat Doe", role: str = "trainee"):
    return _post(browser, f"/supervise/cohorts/{cohort_id}/members",
                 {"email": email, "name": name, "role": role})


def _accept_all(browser) -> None:
    for action in re.findall(r'action="(/invitations/\d+/accept)"', browser.get("/").text):
        assert _post(browser, action).status_code == 303


def _unsure(session, attempt_id: str) -> list[int]:
    """Make the attempt's free-text turns ones the queue lists, and rate one of them."""
    turns = session.exec(select(Turn).where(Turn.attempt_id == attempt_id,
                                            Turn.response_text.is_not(None))).all()
    for turn in turns:
        turn.confidence = 0.1
        session.add(turn)
    session.add(Review(turn_id=turns[0].id, criterion="reflection", new_level=2))
    session.commit()
    return [t.id for t in turns]


def _registration(attempt_id: str) -> str:
    """The xAPI registration of an attempt exported from http://localhost."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "http://localhost/xapi")
    return str(uuid.uuid5(namespace, f"attempt/{attempt_id}"))


def _sees(browser, session, cohort_id: int, attempt_id: str) -> dict[str, bool]:
    """Every place a supervisor reads trainees' work: does this attempt show there?

    The cohort page, gradebook and agreement count for the cohort as a whole: in these tests
    the attempt is the only work that could reach them.
    """
    attempt = session.get(Attempt, attempt_id)
    turn_ids = session.exec(select(Turn.id).where(Turn.attempt_id == attempt_id)).all()
    queue = browser.get("/supervise/queue").text
    blind = browser.get("/supervise/blind").text
    cohort_page = browser.get(f"/supervise/cohorts/{cohort_id}").text
    gradebook = browser.get(f"/supervise/cohorts/{cohort_id}/gradebook.csv").data
    rows = list(csv.DictReader(io.StringIO(gradebook.decode("utf-8-sig"))))
    statements = json.loads(browser.get("/supervise/xapi.json?since=2000-01-01").data)
    agreement = browser.get(f"/supervise/agreement?cohort={cohort_id}").text
    seen = {
        "review": browser.get(f"/supervise/attempts/{attempt_id}").status_code == 200,
        "transcript": browser.get(
            f"/supervise/attempts/{attempt_id}/transcript").status_code == 200,
        "queue": any(f"#turn-{t}" in queue for t in turn_ids),
        "blind": any(f"/supervise/blind/{t}" in blind for t in turn_ids),
        "cohort page": (attempt_id in cohort_page
                        or f'id="trend-{attempt.trainee_id}-title"' in cohort_page),
        "gradebook": any(int(r["attempts"]) > 0 for r in rows),
        "xapi": _registration(attempt_id) in {s["context"]["registration"] for s in statements},
        "agreement": re.search(r"[1-9]\d* rated turn", agreement) is not None,
    }
    seen["override"] = _post(browser, f"/supervise/turns/{turn_ids[0]}/reviews", {
        "criterion": "reflection", "level": "1", "comment": "x"}).status_code != 404
    return seen


NOTHING = dict.fromkeys(("review", "transcript", "override", "queue", "blind", "cohort page",
                         "gradebook", "xapi", "agreement"), False)


@pytest.fixture
def past(app, session, course):
    """Trainee A's history in Section A: practice shared with A, practice kept private, and an
    assessment on A's assignment, each with turns the queue would list."""
    trainee = browser_for(app, course.trainee_a)
    played = shipped_library(app).scenarios[SCENARIO]
    private = start(trainee, SCENARIO)
    play_to_end(trainee, session, private, played)
    assignment = Assignment(scenario_id=SCENARIO, cohort_id=course.cohort_a.id,
                            mode="assessment", attempts_allowed=3)
    session.add(assignment)
    session.commit()
    assigned = trainee.post(f"/scenarios/{SCENARIO}/attempts", data={
        "assignment": str(assignment.id), "csrf_token": token_on(trainee)}).headers["Location"]
    play_to_end(trainee, session, assigned, played)
    ids = [_id(course.attempt_a), _id(private), _id(assigned)]
    for attempt_id in ids:
        _unsure(session, attempt_id)
    return ids


def test_a_supervisor_who_adds_an_existing_trainee_sees_none_of_their_past(
        app, session, course, past):
    intruder = browser_for(app, course.supervisor_b)
    cohort_b = course.cohort_b.id
    added = _invite(intruder, cohort_b, course.trainee_a.email)
    assert added.status_code == 200 and "invited; link to give them" in added.text
    assert session.get(CohortMember, (cohort_b, course.trainee_a.id)) is None
    for attempt_id in past:
        assert _sees(intruder, session, cohort_b, attempt_id) == NOTHING, attempt_id

    _accept_all(browser_for(app, course.trainee_a))
    session.expire_all()
    assert session.get(CohortMember, (cohort_b, course.trainee_a.id)).role == "trainee"
    for attempt_id in past:
        assert _sees(intruder, session, cohort_b, attempt_id) == NOTHING, attempt_id
    # Section A's supervisor still sees what was given or shared there.
    owner = browser_for(app, course.supervisor_a)
    assert [owner.get(f"/supervise/attempts/{a}").status_code for a in past] == [200, 404, 200]


def test_after_joining_a_supervisor_sees_work_assigned_in_their_cohort(app, session, course):
    supervisor = browser_for(app, course.supervisor_b)
    _invite(supervisor, course.cohort_b.id, course.trainee_a.email)
    trainee = browser_for(app, course.trainee_a)
    _accept_all(trainee)
    url = f"/supervise/cohorts/{course.cohort_b.id}"
    assert _post(supervisor, f"{url}/assignments", {
        "scenario": SCENARIO, "mode": "practice", "attempts_allowed": "2"}).status_code == 303
    assignment = session.exec(select(Assignment).where(
        Assignment.cohort_id == course.cohort_b.id)).one()
    started = _post(trainee, f"/scenarios/{SCENARIO}/attempts",
                    {"assignment": str(assignment.id)}).headers["Location"]
    play_to_end(trainee, session, started, shipped_library(app).scenarios[SCENARIO])
    _unsure(session, _id(started))
    seen = _sees(supervisor, session, course.cohort_b.id, _id(started))
    assert seen == dict.fromkeys(NOTHING, True)
    # Section A's supervisor was not given this work.
    assert browser_for(app, course.supervisor_a).get(
        f"/supervise/attempts/{_id(started)}").status_code == 404


def test_practice_is_seen_only_by_the_cohorts_it_is_shared_with(app, session, course):
    both = (course.cohort_a.id, course.cohort_b.id)
    session.add(CohortMember(cohort_id=course.cohort_b.id, user_id=course.trainee_a.id))
    session.commit()
    trainee = browser_for(app, course.trainee_a)
    url = start(trainee, SCENARIO)
    play_to_end(trainee, session, url, shipped_library(app).scenarios[SCENARIO])
    supervisors = (browser_for(app, course.supervisor_a), browser_for(app, course.supervisor_b))

    def seen() -> tuple[int, ...]:
        return tuple(s.get(f"/supervise/attempts/{_id(url)}").status_code for s in supervisors)

    assert seen() == (404, 404)  # practice is private until shared
    debrief = trainee.get(f"{url}/debrief").text
    assert all(f'name="cohorts" value="{c}"' in debrief for c in both)
    for chosen, expected in (([both[1]], (404, 200)), (list(both), (200, 200)), ([], (404, 404))):
        saved = _post(trainee, f"{url}/reflection", {"reflection": "", "sharing": "cohorts",
                                                     "cohorts": [str(c) for c in chosen]})
        assert saved.status_code == 303
        assert seen() == expected, chosen


def test_practice_from_before_joining_cannot_be_shared_with_that_cohort(app, session, course):
    trainee = browser_for(app, course.trainee_a)
    url = start(trainee, SCENARIO)
    play_to_end(trainee, session, url, shipped_library(app).scenarios[SCENARIO])
    session.add(CohortMember(cohort_id=course.cohort_b.id, user_id=course.trainee_a.id))
    session.commit()
    debrief = trainee.get(f"{url}/debrief").text
    assert f'name="cohorts" value="{course.cohort_b.id}"' not in debrief
    refused = _post(trainee, f"{url}/reflection", {
        "reflection": "kept", "sharing": "cohorts", "cohorts": str(course.cohort_b.id)})
    assert refused.status_code == 422
    assert ('id="cohorts-error">Choose from the cohorts listed: you had joined them when this '
            'session started.') in refused.text
    session.expire_all()
    assert session.get(Attempt, _id(url)).reflection is None  # nothing saved
    assert session.exec(select(AttemptShare).where(AttemptShare.attempt_id == _id(url))
                        ).first() is None
    assert browser_for(app, course.supervisor_b).get(
        f"/supervise/attempts/{_id(url)}").status_code == 404


def _normalised(html: str, email: str) -> str:
    return without_tokens(html.replace(email, "EMAIL"))


def test_adding_a_person_answers_the_same_whether_or_not_the_email_has_an_account(
        app, session, course):
    supervisor = browser_for(app, course.supervisor_a)
    known, unknown = course.trainee_b.email, "nobody.yet@example.org"
    pages = []
    for email in (known, unknown):
        response = _invite(supervisor, course.cohort_a.id, email)
        pages.append((response.status_code, _normalised(response.text, email)))
        assert re.search(r"http://localhost/join/[\w-]{40,}", response.text)
        for invitation in session.exec(select(CohortInvitation)).all():
            session.delete(invitation)  # so the second page lists no earlier invitation
        session.commit()
    assert pages[0] == pages[1]
    assert pages[0][0] == 200


def test_the_roster_answers_the_same_whether_or_not_the_emails_have_accounts(
        app, session, course):
    supervisor = browser_for(app, course.supervisor_a)
    url = f"/supervise/cohorts/{course.cohort_a.id}/roster"
    pages = []
    for email in (course.trainee_b.email, "nobody.yet@example.org"):
        roster = f"email,name,role\n{email},Pat Doe,trainee\n".encode()
        preview = _post(supervisor, url, {"roster": (io.BytesIO(roster), "roster.csv")},
                        content_type="multipart/form-data")
        payload = re.search(r'name="payload" value="([^"]+)"', preview.text).group(1)
        done = _post(supervisor, f"{url}/confirm", {"payload": payload})
        pages.append([(r.status_code, _normalised(r.text.replace(payload, "PAYLOAD"), email))
                      for r in (preview, done)])
        for invitation in session.exec(select(CohortInvitation)).all():
            session.delete(invitation)
        session.commit()
    assert pages[0] == pages[1]
    assert [status for status, _ in pages[0]] == [200, 200]


@pytest.mark.parametrize("new_account", [False, True])
def test_a_supervisor_cannot_add_a_supervisor(app, session, course, new_account):
    supervisor = browser_for(app, course.supervisor_a)
    email = "new.sup@example.org" if new_account else course.supervisor_b.email
    refused = _invite(supervisor, course.cohort_a.id, email, role="supervisor")
    assert refused.status_code == 422
    assert ('id="member-role-error">Only an administrator can add a supervisor. Add this person '
            'as a trainee, or ask an administrator.') in refused.text
    roster = f"email,name,role\n{email},Sue,supervisor\n".encode()
    preview = _post(supervisor, f"/supervise/cohorts/{course.cohort_a.id}/roster",
                    {"roster": (io.BytesIO(roster), "roster.csv")},
                    content_type="multipart/form-data")
    assert ("roster.csv:2: only an administrator can add a supervisor; import this row as a "
            "trainee or ask an administrator to add them") in preview.text
    session.expire_all()
    assert session.exec(select(User).where(User.email == "new.sup@example.org")).first() is None
    assert session.exec(select(CohortInvitation)).all() == []
    assert session.get(CohortMember, (course.cohort_a.id, course.supervisor_b.id)) is None


def test_an_admin_adds_a_supervisor_directly(app, session, course):
    admin = browser_for(app, course.admin)
    added = _invite(admin, course.cohort_a.id, course.supervisor_b.email, role="supervisor")
    assert added.status_code == 200
    created = _invite(admin, course.cohort_a.id, "new.sup@example.org", role="supervisor")
    assert re.search(r"http://localhost/set-password/[\w-]{40,}", created.text)
    session.expire_all()
    new = session.exec(select(User).where(User.email == "new.sup@example.org")).one()
    assert new.role == "supervisor"
    for user_id in (course.supervisor_b.id, new.id):
        assert session.get(CohortMember, (course.cohort_a.id, user_id)).role == "supervisor"


def test_only_the_invitee_answers_an_invitation(app, session, course):
    supervisor = browser_for(app, course.supervisor_b)
    link = re.search(r"http://localhost(/join/[\w-]+)",
                     _invite(supervisor, course.cohort_b.id, course.trainee_a.email).text)[1]
    invitation = session.exec(select(CohortInvitation)).one()
    other = browser_for(app, make_user(session))
    for answer in ("accept", "decline"):
        assert _post(other, f"/invitations/{invitation.id}/{answer}").status_code == 404
    assert "This invitation is for someone else." in other.get(link).text
    assert "This invitation is for someone else." in supervisor.get(link).text
    assert "Sign in to answer" in app.test_client().get(link).text
    owner = browser_for(app, course.trainee_a)
    page = owner.get(link).text
    assert f'action="/invitations/{invitation.id}/decline"' in page
    assert _post(owner, f"/invitations/{invitation.id}/decline").status_code == 303
    session.expire_all()
    assert session.get(CohortInvitation, invitation.id).status == "declined"
    assert session.get(CohortMember, (course.cohort_b.id, course.trainee_a.id)) is None
    again = _post(owner, f"/invitations/{invitation.id}/accept")
    assert again.status_code == 303  # told plainly it was already answered, nothing joined
    session.expire_all()
    assert session.get(CohortMember, (course.cohort_b.id, course.trainee_a.id)) is None


def test_a_signed_in_invitee_answers_on_the_dashboard_with_htmx(app, session, course):
    _invite(browser_for(app, course.supervisor_b), course.cohort_b.id, course.trainee_a.email)
    owner = browser_for(app, course.trainee_a)
    dashboard = owner.get("/").text
    assert "You are invited to join <strong>Section B</strong>" in dashboard
    action = re.search(r'hx-post="(/invitations/\d+/accept)"', dashboard)[1]
    swapped = owner.post(action, headers={"HX-Request": "true",
                                          "X-CSRFToken": token_on(owner)})
    assert swapped.status_code == 200
    assert swapped.text.lstrip().startswith('<section class="card" id="invitations"')
    assert "You have joined Section B." in swapped.text
    session.expire_all()
    assert session.get(CohortMember, (course.cohort_b.id, course.trainee_a.id)) is not None


def test_an_assignment_to_one_trainee_shows_only_in_the_cohort_it_was_given_in(
        app, session, course):
    session.add(CohortMember(cohort_id=course.cohort_b.id, user_id=course.trainee_a.id))
    session.commit()
    supervisor = browser_for(app, course.supervisor_a)
    url = f"/supervise/cohorts/{course.cohort_a.id}"
    assert _post(supervisor, f"{url}/assignments", {
        "scenario": "the-long-story", "trainee": str(course.trainee_a.id), "mode": "practice",
        "attempts_allowed": "1"}).status_code == 303
    assignment = session.exec(select(Assignment)).one()
    assert (assignment.trainee_id, assignment.within_cohort_id) == (
        course.trainee_a.id, course.cohort_a.id)
    other = browser_for(app, course.supervisor_b)
    gradebook = other.get(f"/supervise/cohorts/{course.cohort_b.id}/gradebook.csv").data
    assert b"the-long-story" not in gradebook
    assert b"the-long-story" in supervisor.get(f"{url}/gradebook.csv").data


def test_a_new_account_joins_by_setting_its_password(app, session, course):
    supervisor = browser_for(app, course.supervisor_a)
    link = re.search(r"http://localhost(/join/[\w-]+)",
                     _invite(supervisor, course.cohort_a.id, "fresh@example.org").text)[1]
    newcomer = app.test_client()
    form = newcomer.get(link)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert form.headers["Cache-Control"] == "no-store"
    token = token_on(newcomer, link)
    short = newcomer.post(link, data={"password": "short", "confirm": "short",
                                      "csrf_token": token})
    assert short.status_code == 422
    assert 'id="password-error">Passwords need at least 10 characters.' in short.text
    user = session.exec(select(User).where(User.email == "fresh@example.org")).one()
    assert session.get(CohortMember, (course.cohort_a.id, user.id)) is None
    done = newcomer.post(link, data={"password": "a long new password",
                                     "confirm": "a long new password", "csrf_token": token})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(CohortMember, (course.cohort_a.id, user.id)).role == "trainee"
    assert "already been answered" in newcomer.get(link).text


def test_upgrading_keeps_what_supervisors_saw_legitimately_and_nothing_more(database_url):
    """Revision 0006 shares practice whose reflection was shared with the cohorts the trainee
    had joined when it started, and places each one-trainee assignment in its author's cohort."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, text

    from simulator import migrate
    from simulator.db import make_engine

    def at(month: int) -> datetime:
        return datetime(2026, month, 1, tzinfo=UTC)

    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0005")
        tables = MetaData()
        tables.reflect(engine)
        rows = {
            "user": [dict(id=i, email=f"u{i}@example.org", name=f"U{i}", role=role,
                          active=True, session_token=f"t{i}", created_at=at(1))
                     for i, role in ((1, "trainee"), (2, "supervisor"), (3, "supervisor"),
                                     (4, "admin"))],
            "cohort": [dict(id=c, name=f"C{c}", description="", created_at=at(1))
                       for c in (1, 2)],
            "cohort_member": [dict(cohort_id=1, user_id=1, role="trainee", added_at=at(1)),
                              dict(cohort_id=2, user_id=1, role="trainee", added_at=at(3)),
                              dict(cohort_id=1, user_id=2, role="supervisor", added_at=at(1)),
                              dict(cohort_id=2, user_id=3, role="supervisor", added_at=at(1))],
            "scenario_snapshot": [dict(content_hash="a" * 64, scenario_id=SCENARIO, title="T",
                                       source_text="id: x\n", origin="library",
                                       created_at=at(1))],
            "assignment": [dict(id=1, scenario_id=SCENARIO, trainee_id=1, mode="practice",
                                attempts_allowed=1, created_by=3, created_at=at(4)),
                           dict(id=2, scenario_id=SCENARIO, trainee_id=1, mode="practice",
                                attempts_allowed=1, created_by=4, created_at=at(4)),
                           dict(id=3, scenario_id=SCENARIO, cohort_id=1, mode="practice",
                                attempts_allowed=1, created_by=2, created_at=at(4))],
            "attempt": [dict(id=name, trainee_id=1, scenario_id=SCENARIO, scenario_hash="a" * 64,
                             assignment_id=assignment, mode="practice", status="completed",
                             current_node="x", salience=3, direction="away",
                             reflection_shared=shared, started_at=at(month))
                        for name, month, shared, assignment in (
                            ("between", 2, True, None), ("after-both", 4, True, None),
                            ("private", 4, False, None), ("assigned", 5, True, 3))],
        }
        with engine.begin() as connection:
            for table, values in rows.items():
                for row in values:
                    connection.execute(tables.tables[table].insert(), row)
        migrate.upgrade(engine)
        with engine.connect() as connection:
            shares = set(connection.execute(text(
                "SELECT attempt_id, cohort_id FROM attempt_share")).all())
            placed = dict(connection.execute(text(
                "SELECT id, within_cohort_id FROM assignment")).all())
    finally:
        engine.dispose()
    assert shares == {("between", 1), ("after-both", 1), ("after-both", 2)}
    assert placed == {1: 2, 2: None, 3: None}


def test_invitations_and_shares_are_in_the_data_download_and_go_with_the_account(
        app, session, course):
    from simulator.privacy import delete_account, export_user_data

    _invite(browser_for(app, course.supervisor_b), course.cohort_b.id, course.trainee_a.email)
    trainee = session.get(User, course.trainee_a.id)
    data = export_user_data(session=session, user=trainee)
    assert [(i["cohort"], i["status"]) for i in data["invitations"]] == [("Section B", "pending")]
    assert [a["shared_with_cohorts"] for a in data["attempts"]] == [["Section A"]]
    assert "invited_by" not in json.dumps(data["invitations"])
    delete_account(session=session, user=trainee, actor_id=course.admin.id)
    session.commit()
    supervisor = session.get(User, course.supervisor_b.id)
    _invite(browser_for(app, supervisor), course.cohort_b.id, "later@example.org")
    delete_account(session=session, user=session.get(User, supervisor.id), actor_id=None)
    session.commit()
    session.expire_all()
    assert session.exec(select(AttemptShare)).all() == []
    assert [(i.name, i.invited_by) for i in session.exec(select(CohortInvitation))] == [
        ("Pat Doe", None)]


def test_an_invitation_cannot_set_the_password_of_someone_another_cohort_holds(
        app, session, course):
    """A trainee another cohort holds who has not yet set a password keeps their own link: a
    second supervisor's invitation only asks them to sign in, and cannot choose the password."""
    from simulator.courses.tokens import issue_token, user_for_token

    newcomer = make_user(session)
    newcomer.password_hash = None  # added by an admin's roster, link not yet used
    session.add(CohortMember(cohort_id=course.cohort_a.id, user_id=newcomer.id))
    own_link = issue_token(session=session, user=newcomer)
    session.commit()
    intruder = browser_for(app, course.supervisor_b)
    page = _invite(intruder, course.cohort_b.id, newcomer.email).text
    link = re.search(r"/join/([A-Za-z0-9_-]+)", page).group(1)
    signed_out = app.test_client()
    join = signed_out.get(f"/join/{link}").get_data(as_text=True)
    assert 'name="password"' not in join and "/login" in join
    assert user_for_token(session=session, raw=own_link).id == newcomer.id  # still works
