"""The admin's LMS page: registered platforms, adding and removing one, the URLs to paste.

Registered on the admin blueprint (imported by simulator.admin.routes), so the pages live
under /admin/lti with the admin's role check; the checks on the values are the same functions
the CLI uses (simulator.lti.platforms).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from simulator.admin import bp
from simulator.audit import record
from simulator.db import get_session
from simulator.lti.forms import PlatformForm
from simulator.lti.keys import tool_keys
from simulator.lti.platforms import (
    PlatformError,
    add_platform,
    footprint,
    list_platforms,
    remove_platform,
    tool_urls,
)
from simulator.models import LtiPlatform
from simulator.roles import role_required


def _page(form: PlatformForm, status: int = 200):
    return render_template("admin/lti_platforms.html", form=form, urls=tool_urls(),
                           platforms=list_platforms(session=get_session()),
                           keys=tool_keys(current_app)), status


@bp.get("/lti")
@role_required("admin")
def lti_platforms():
    """The registered platforms, the tool's URLs and keys, and the form to add a platform."""
    return _page(PlatformForm(formdata=None))


@bp.post("/lti")
@role_required("admin")
def lti_add_platform():
    """Register a platform; every problem is shown beside its field and nothing is saved."""
    form = PlatformForm()
    session = get_session()
    try:
        platform = add_platform(
            session=session, name=form.name.data or "", issuer=form.issuer.data or "",
            client_id=form.client_id.data or "", auth_url=form.auth_url.data or "",
            token_url=form.token_url.data or "", jwks_url=form.jwks_url.data or "",
            deployment_ids=form.deployments())
    except PlatformError as error:
        session.rollback()
        for problem in error.problems:
            getattr(form, problem.field).errors = [
                *getattr(form, problem.field).errors, _sentence(problem.message)]
        return _page(form, 422)
    record(session, actor_id=current_user.id, action="lti.platform.add",
           object_type="lti_platform", object_id=str(platform.id), via="admin")
    session.commit()
    flash(f"Registered {platform.name or platform.issuer}.", "info")
    return redirect(url_for("admin.lti_platforms"), code=303)


def _sentence(message: str) -> str:
    return message[0].upper() + message[1:] if message else message


def _platform_or_404(platform_id: int) -> LtiPlatform:
    platform = get_session().get(LtiPlatform, platform_id)
    if platform is None:
        abort(404)
    return platform


@bp.get("/lti/<int:platform_id>/remove")
@role_required("admin")
def lti_confirm_remove(platform_id: int):
    """What removing a platform removes, and the button that does it."""
    platform = _platform_or_404(platform_id)
    return render_template("admin/lti_remove.html", platform=platform,
                           footprint=footprint(session=get_session(), platform_id=platform.id))


@bp.post("/lti/<int:platform_id>/remove")
@role_required("admin")
def lti_remove_platform(platform_id: int):
    """Remove a registration; launches from it stop working at once."""
    platform = _platform_or_404(platform_id)
    session = get_session()
    label = platform.name or platform.issuer
    remove_platform(session=session, platform=platform)
    record(session, actor_id=current_user.id, action="lti.platform.remove",
           object_type="lti_platform", object_id=str(platform_id), via="admin")
    session.commit()
    flash(f"Removed {label}.", "info")
    return redirect(url_for("admin.lti_platforms"), code=303)
