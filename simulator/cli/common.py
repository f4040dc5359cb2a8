"""Helpers shared by CLI commands."""

from __future__ import annotations

import click
from flask import current_app

from simulator import migrate
from simulator.db import get_engine


def require_schema() -> None:
    """Stop with a clear message when the database has not been created or upgraded."""
    engine = get_engine(current_app)
    current = migrate.current_revision(engine)
    if current != migrate.head_revision():
        state = "empty" if current is None else f"at revision {current}"
        raise click.ClickException(
            f"The database is {state}; run `simulator db upgrade` first."
        )
