"""`simulator users ...`: manage accounts from the shell."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlmodel import select

from simulator.audit import record
from simulator.cli.common import require_schema
from simulator.db import get_session
from simulator.models import ROLES, User
from simulator.users import UserError, create_user


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
