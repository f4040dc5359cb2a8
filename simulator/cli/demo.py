"""`simulator demo`: demo accounts and a cohort, for trying the app on a laptop."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from simulator.cli.common import require_schema
from simulator.config import is_production
from simulator.db import get_session
from simulator.models import Cohort, CohortMember
from simulator.users import create_user, find_user, set_password

DEMO_COHORT = "Demo cohort"
# Known passwords on purpose: these accounts exist only to try the app locally, and
# production refuses to create them unless explicitly asked.
DEMO_ACCOUNTS = (
    ("admin@example.org", "Alex Admin", "admin", "demo-admin-pass"),
    ("supervisor@example.org", "Sam Supervisor", "supervisor", "demo-supervisor-pass"),
    ("trainee@example.org", "Taylor Trainee", "trainee", "demo-trainee-pass"),
    ("trainee2@example.org", "Jordan Trainee", "trainee", "demo-trainee-pass"),
)


@click.command()
@click.option("--allow-production", is_flag=True,
              help="Create the demo accounts even when SIMULATOR_ENV=production.")
@with_appcontext
def demo(allow_production: bool) -> None:
    """Create (or reset) demo accounts and a demo cohort, and print how to sign in."""
    if is_production(current_app) and not allow_production:
        raise click.ClickException(
            "Refusing to create demo accounts with known passwords in production "
            "(pass --allow-production if you really mean it)."
        )
    require_schema()
    session = get_session()
    cohort = _demo_cohort(session)
    for email, name, role, password in DEMO_ACCOUNTS:
        user = find_user(session=session, email=email) or create_user(
            session=session, email=email, name=name, role=role
        )
        set_password(user, password)
        session.flush()
        if role != "admin" and session.get(CohortMember, (cohort.id, user.id)) is None:
            session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=role))
    session.commit()
    _print_accounts()


def _demo_cohort(session) -> Cohort:
    cohort = session.exec(select(Cohort).where(Cohort.name == DEMO_COHORT)).first()
    if cohort is None:
        cohort = Cohort(name=DEMO_COHORT, description="Accounts for trying Holding Space.")
        session.add(cohort)
        session.flush()
    return cohort


def _print_accounts() -> None:
    click.echo("Demo accounts (sign in at /login):")
    for email, _name, role, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<10}  {email:<24}  password: {password}")
