"""`simulator lti ...`: register LMS platforms, list them with the URLs to paste, manage keys.

add-platform takes the values the LMS shows for this tool (issuer, client id, its endpoints,
deployment ids); every bad value is reported at once, by flag, and nothing is saved. `list`
prints the tool's URLs for SIMULATOR_BASE_URL (or --base-url). Keys: rotate-key makes a new
signing key and keeps the old one published in the JWKS until retire-key KID.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from simulator.audit import record
from simulator.cli.common import require_schema
from simulator.db import get_session
from simulator.lti.keys import ToolKeyError, retire_key, rotate_key, tool_keys
from simulator.lti.platforms import (
    FLAGS,
    PlatformError,
    add_platform,
    list_platforms,
    tool_urls,
    url_problem,
)

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@click.group(cls=AppGroup)
def lti() -> None:
    """LTI 1.3: LMS platforms and the tool's signing keys."""


@lti.command("add-platform")
@click.option("--issuer", required=True, help="The platform's issuer (Moodle: Platform ID).")
@click.option("--client-id", required=True, help="The client id the LMS gave this tool.")
@click.option("--auth-url", required=True, help="The LMS's OIDC authentication request URL.")
@click.option("--token-url", required=True, help="The LMS's OAuth 2 access token URL.")
@click.option("--jwks-url", required=True, help="The LMS's public keyset URL.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True,
              help="A deployment id of this tool in the LMS (repeat for more).")
@click.option("--name", default="", help="A name to tell platforms apart.")
def add_platform_command(issuer, client_id, auth_url, token_url, jwks_url, deployment_ids, name):
    """Register an LMS platform (issuer + client id) with its endpoints and deployments."""
    require_schema()
    session = get_session()
    try:
        platform = add_platform(session=session, name=name, issuer=issuer, client_id=client_id,
                                auth_url=auth_url, token_url=token_url, jwks_url=jwks_url,
                                deployment_ids=list(deployment_ids))
    except PlatformError as error:
        session.rollback()
        lines = [f"{FLAGS[p.field]}: {p.message}" for p in error.problems]
        raise click.ClickException("Nothing was saved.\n" + "\n".join(lines)) from None
    record(session, actor_id=None, action="lti.platform.add", object_type="lti_platform",
           object_id=str(platform.id), via="cli")
    session.commit()
    click.echo(f"Registered platform {platform.id} ({platform.issuer}, client id "
               f"{platform.client_id}) with {len(platform.deployment_ids)} deployment(s).")


def _base_url(given: str | None) -> str:
    base = given or current_app.config.get("BASE_URL") or DEFAULT_BASE_URL
    problem = url_problem(base)
    if problem:
        raise click.BadParameter(f"the base URL {problem}", param_hint="--base-url")
    return base.rstrip("/")


@lti.command("list")
@click.option("--base-url", default=None, metavar="URL",
              help="The site's public address (default: SIMULATOR_BASE_URL, else "
                   f"{DEFAULT_BASE_URL}).")
def list_command(base_url: str | None) -> None:
    """List registered platforms, and the tool URLs an LMS admin pastes."""
    require_schema()
    with current_app.test_request_context(base_url=_base_url(base_url)):
        urls = tool_urls()
    click.echo("Tool URLs to paste into the LMS:")
    click.echo(f"  Login (OIDC initiation) URL:      {urls.login}")
    click.echo(f"  Launch / redirect / target URL:   {urls.launch}")
    click.echo(f"  Deep linking (content selection): {urls.deep_linking}")
    click.echo(f"  Public keyset (JWKS) URL:         {urls.jwks}")
    platforms = list_platforms(session=get_session())
    if not platforms:
        click.echo("\nNo platforms yet. Add one with `simulator lti add-platform`.")
        return
    click.echo("")
    click.echo(f"{'id':>4}  {'name':<20}  {'issuer':<40}  {'client id':<24}  deployment ids")
    for p in platforms:
        click.echo(f"{p.id:>4}  {p.name or '-':<20}  {p.issuer:<40}  {p.client_id:<24}  "
                   f"{', '.join(p.deployment_ids)}")
        click.echo(f"{'':>6}auth {p.auth_url}  token {p.token_url}  jwks {p.jwks_url}")


@lti.command("rotate-key")
def rotate_key_command() -> None:
    """Make a new signing key; the previous ones stay published until retired."""
    try:
        key = rotate_key(current_app)
    except ToolKeyError as error:
        raise click.ClickException(str(error)) from None
    published = tool_keys(current_app).published
    click.echo(f"New current key {key.kid}. Published keys: "
               f"{', '.join(k.kid for k in published)}.")
    click.echo("Retire an old key with `simulator lti retire-key KID` once platforms have "
               "fetched the new JWKS (give them a day).")


@lti.command("retire-key")
@click.argument("kid")
def retire_key_command(kid: str) -> None:
    """Stop publishing an old signing key."""
    try:
        retire_key(current_app, kid)
    except ToolKeyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Retired key {kid}; it is no longer in the JWKS.")


@lti.command("sync-grades")
@click.option("--include-failed", is_flag=True,
              help="Also send again the grades that gave up after repeated failures.")
def sync_grades_command(include_failed: bool) -> None:
    """Send the LMS every grade waiting to go, now, without waiting for its next retry."""
    from simulator.lti.grades import MAX_TRIES, requeue_failed, send_due

    require_schema()
    if include_failed:
        session = get_session()
        requeue_failed(session=session)
        session.commit()
    counts = send_due(current_app._get_current_object(), everything=True)
    click.echo(f"LMS grades: {counts.sent} sent, {counts.retrying} to be retried later, "
               f"{counts.failed} failed (gave up after {MAX_TRIES} tries; "
               "--include-failed sends them again).")
