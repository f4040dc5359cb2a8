"""Alembic environment: runs against the connection handed in by simulator.migrate."""

from alembic import context
from sqlmodel import SQLModel

import simulator.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Migrate on the connection the caller passed in `config.attributes`."""
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
