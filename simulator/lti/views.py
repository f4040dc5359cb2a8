"""The LTI endpoints: OIDC login initiation, the launch, and the tool's public keys."""

from __future__ import annotations

import re

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import login_user
from pylti1p3.contrib.flask import FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import OIDCException
from sqlalchemy.exc import IntegrityError

from simulator.audit import record
from simulator.auth.session import SignedInUser
from simulator.db import get_session
from simulator.lti import SESSION_MARK, bp
from simulator.lti.claims import LaunchClaims, read_claims
from simulator.lti.errors import ASK_ADMIN, LaunchRefused, refusal_page
from simulator.lti.keys import tool_keys
from simulator.lti.launch import StrictLaunch
from simulator.lti.platforms import url_problem
from simulator.lti.provision import Placement, provision
from simulator.lti.tool_conf import DbToolConf

DEEP_LINK = "lti_deep_link"  # session key: the deep-linking request being answered
STATE = re.compile(r"state-[0-9a-f-]{36}")  # as PyLTI1p3's OIDC login makes them


@bp.get("/jwks.json")
def jwks():
    """The tool's public keys (current and not yet retired), for platforms to verify us."""
    response = jsonify(tool_keys(current_app).jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """OIDC third-party login: check the platform is registered, then go to its auth URL."""
    missing = [name for name in ("iss", "login_hint") if not request.values.get(name)]
    if missing:
        return refusal_page(LaunchRefused(400, "login-fields", "The LMS's login request has "
                                          f"no {' and no '.join(missing)}.", ASK_ADMIN))
    conf = DbToolConf(get_session(), current_app)
    issuer, client_id = request.values["iss"], request.values.get("client_id")
    if conf.platform(issuer, client_id) is None:
        return refusal_page(LaunchRefused(403, "login-registration", "No LMS is registered here "
                                          f"with issuer {issuer!r} and client id "
                                          f"{client_id!r}.", ASK_ADMIN))
    try:
        return FlaskOIDCLogin(FlaskRequest(), conf).redirect(url_for("lti.launch", _external=True))
    except OIDCException:
        return refusal_page(LaunchRefused(400, "login", "The LMS's login request could not be "
                                          "used.", ASK_ADMIN))


@bp.post("/launch")
def launch():
    """Verify the platform's id_token, sign the person in, and land them where it points."""
    missing = [name for name in ("id_token", "state") if not request.form.get(name)]
    if missing:
        return refusal_page(LaunchRefused(400, "launch-fields", "The LMS's launch has no "
                                          f"{' and no '.join(missing)}.", ASK_ADMIN))
    db = get_session()
    checked = StrictLaunch(FlaskRequest(), DbToolConf(db, current_app), app=current_app)
    try:
        body = checked.validate().body()
        claims = read_claims(body)
        if claims.is_deep_linking:
            _check_deep_linking(claims)
        platform = checked.registration.platform
        placement = _provision_once_more_on_race(db, platform, claims)
    except LaunchRefused as refused:
        db.rollback()
        return refusal_page(refused)
    _sign_in(db, placement, platform.id, claims)
    response = redirect(_landing(placement, claims), code=303)
    state = request.form["state"]
    if STATE.fullmatch(state):  # the login's state cookie has done its job
        response.delete_cookie(f"lti1p3-{state}", samesite="None", secure=request.is_secure,
                               httponly=True)
    return response


def _check_deep_linking(claims: LaunchClaims) -> None:
    """Only a course's instructors add activities, and the answer goes back to an https URL."""
    if claims.role != "supervisor":
        raise LaunchRefused(403, "deep-link-role", "Only the course's instructors can add "
                            "Holding Space activities to it.")
    problem = url_problem(str(claims.deep_linking.get("deep_link_return_url") or ""))
    if problem:
        raise LaunchRefused(400, "deep-link-return", f"The LMS's deep-linking return URL {problem}",
                            ASK_ADMIN)


def _provision_once_more_on_race(db, platform, claims: LaunchClaims) -> Placement:
    """Provision; when a parallel first launch made the same rows first, use theirs."""
    try:
        placement = provision(session=db, platform=platform, claims=claims)
        db.commit()
        return placement
    except IntegrityError:
        db.rollback()
    placement = provision(session=db, platform=platform, claims=claims)
    db.commit()
    return placement


def _sign_in(db, placement: Placement, platform_id: int, claims: LaunchClaims) -> None:
    """A fresh session for the launched person, marked as living in the LMS frame."""
    user = placement.user
    session.clear()  # nothing from before the launch survives (no fixation)
    login_user(SignedInUser(user))
    session[SESSION_MARK] = platform_id
    if claims.is_deep_linking:
        session[DEEP_LINK] = {
            "platform": platform_id, "context": placement.context.id,
            "deployment_id": claims.deployment_id,
            "return_url": str(claims.deep_linking.get("deep_link_return_url", "")),
            "data": claims.deep_linking.get("data"), "ags": bool(claims.lineitems_url)}
    record(db, actor_id=user.id, action="login", object_type="user", object_id=str(user.id),
           via="lti", platform=platform_id)
    record(db, actor_id=user.id, action="lti.launch", object_type="cohort",
           object_id=str(placement.cohort.id), platform=platform_id,
           message=claims.message_type, role=placement.joined_as or "none",
           created=placement.created,
           link=placement.link.id if placement.link else None,
           assignment=placement.assignment.id if placement.assignment else None)
    db.commit()


def _landing(placement: Placement, claims: LaunchClaims) -> str:
    """The picker, the cohort's supervisor page, the assignment's scenario, or the home."""
    if claims.is_deep_linking:
        return url_for("lti.picker")
    if placement.joined_as == "supervisor":
        return url_for("supervisor.cohort", cohort_id=placement.cohort.id)
    if placement.assignment is not None:
        return url_for("trainee.scenario", scenario_id=placement.assignment.scenario_id)
    return url_for("trainee.dashboard")
