"""`simulator db ...`: schema migrations."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from simulator import migrate
from simulator.db import get_engine


@click.group(cls=AppGroup)
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Create or upgrade the database schema to the newest version."""
    engine = get_engine(current_app)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    if before == after:
        click.echo(f"Database is up to date (revision {after}).")
    else:
        click.echo(f"Database upgraded from {before or 'empty'} to {after}.")


@db.command("current")
def current() -> None:
    """Print the schema revision of the database and the newest one available."""
    engine = get_engine(current_app)
    click.echo(f"database: {migrate.current_revision(engine) or 'empty'}")
    click.echo(f"newest:   {migrate.head_revision()}")
