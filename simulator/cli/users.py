"""`simulator users ...`: manage accounts from the shell."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup
from sqlmodel import select

from simulator.audit import record
from simulator.cli.common import require_schema
from simulator.cli.export_commands import PrivateFile
from simulator.courses.tokens import DEFAULT_TTL, reissue_token, set_password_path
from simulator.db import forget_deleted, get_engine, get_session
from simulator.models import ROLES, User
from simulator.privacy import AccountDeletionRefused, delete_account, export_user_data
from simulator.users import UserError, create_user, find_user, lock_admins, normalise_email
from simulator.wording import plural


@click.group(cls=AppGroup)
def users() -> None:
    """Manage user accounts."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="trainee", show_default=True)
@click.option("--name", default="", help="Display name (default: the part before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account that can sign in at /login."""
    require_schema()
    session = get_session()
    password = _read_password(password_stdin)
    try:
        user = create_user(session=session, email=email, name=name, role=role, password=password)
        session.flush()
    except UserError as error:
        raise click.ClickException(str(error)) from None
    record(session, actor_id=None, action="user.create", object_type="user",
           object_id=str(user.id), via="cli", role=role)
    session.commit()
    click.echo(f"Created {user.role} {user.email} ({user.name}).")


@users.command("list")
def list_users() -> None:
    """List every account."""
    require_schema()
    rows = get_session().exec(select(User).order_by(User.role, User.email)).all()
    if not rows:
        click.echo("No users yet. Add one with `simulator users add EMAIL --role ROLE`.")
        return
    width = max(len(user.email) for user in rows)
    for user in rows:
        state = "" if user.active else "  (inactive)"
        click.echo(f"{user.email:<{width}}  {user.role:<10}  {user.name}{state}")


def _user_or_fail(email: str) -> User:
    user = find_user(session=get_session(), email=email)
    if user is None:
        raise click.ClickException(f"No account has the email {normalise_email(email)}.")
    return user


@users.command("export")
@click.argument("email")
@click.option("-o", "--output", type=PrivateFile("w"), default="-",
              help="Write to this file, readable by you only (default: standard output).")
def export(email: str, output) -> None:
    """Everything stored about one person, as JSON (for a data-access request)."""
    require_schema()
    session = get_session()
    user = _user_or_fail(email)
    json.dump(export_user_data(session=session, user=user), output, indent=2, ensure_ascii=False)
    output.write("\n")
    record(session, actor_id=None, action="account.export", object_type="user",
           object_id=str(user.id), via="cli")
    session.commit()


@users.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(email: str, yes: bool) -> None:
    """Delete an account with its attempts, turns and reflections (an erasure request)."""
    require_schema()
    session = get_session()
    user = _user_or_fail(email)
    if not yes:
        click.confirm(f"Delete {user.role} {user.email} and everything they practised? "
                      "This cannot be undone", abort=True)
    address = user.email
    lock_admins(session=session)  # so the last-admin check holds against a parallel change
    session.refresh(user)
    try:
        summary = delete_account(session=session, user=user, actor_id=None)
    except AccountDeletionRefused as refused:
        raise click.ClickException(str(refused)) from None
    session.commit()
    forget_deleted(get_engine())  # the deleted words leave the write-ahead log too
    click.echo(f"Deleted {address}: {plural(summary.attempts, 'attempt')}, "
               f"{plural(summary.turns, 'turn')} and "
               f"{plural(summary.reviews_of_their_turns, 'review')} of their turns.")


DEFAULT_BASE_URL = "http://127.0.0.1:5000"  # as `simulator cohorts import` prints its links


def _base_url(_ctx, _param, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://")
    return value.rstrip("/")


@users.command("reset-link")
@click.argument("email")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True, callback=_base_url,
              help="The site address the printed link starts with.")
def reset_link(email: str, base_url: str) -> None:
    """Print a fresh one-time set-password link for EMAIL; earlier unused links stop working."""
    require_schema()
    session = get_session()
    user = _user_or_fail(email)
    try:
        raw = reissue_token(session=session, user=user, actor_id=None, via="cli")
    except UserError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"One-time set-password link for {user.email} (valid {DEFAULT_TTL.days} days, "
               "single use; earlier links no longer work).")
    click.echo("SECRET: it lets its holder set this account's password. Pass it privately to "
               "its owner only.")
    click.echo(f"  {base_url}{set_password_path(raw)}")
