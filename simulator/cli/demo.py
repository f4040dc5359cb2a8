"""`simulator demo`: demo accounts and a cohort, for trying the app on a laptop; `--scale N`
adds N trainees with realistic history, for benchmarks."""

from __future__ import annotations

import random
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from simulator import seeding
from simulator.cli.common import require_schema
from simulator.config import is_production
from simulator.db import get_session
from simulator.library import shipped_library
from simulator.models import Assignment, Cohort, CohortMember
from simulator.users import create_user, find_user, hash_password, set_password

DEMO_COHORT = "Demo cohort"
# Supervisors see work assigned in their cohort or shared with it; the demo cohort has one
# assignment, so what the demo trainees play for it shows on the supervisor's pages.
DEMO_ASSIGNMENT = "you-started-late-again"
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
@click.option("--scale", type=click.IntRange(1, 100_000), default=None, metavar="N",
              help="Also seed N trainees, in cohorts with a supervisor each, with attempts.")
@click.option("--turns-per-trainee", type=click.IntRange(1, 1000), default=100,
              show_default=True, help="With --scale: answered turns per trainee.")
@click.option("--cohort-size", type=click.IntRange(1, 1000), default=25, show_default=True,
              help="With --scale: trainees per cohort.")
@with_appcontext
def demo(allow_production: bool, scale: int | None, turns_per_trainee: int,
         cohort_size: int) -> None:
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
    _demo_assignment(session, cohort)
    session.commit()
    _print_accounts()
    if scale:
        _seed_scale(session, scale, turns_per_trainee, cohort_size)


def _seed_scale(session, trainees: int, turns_per_trainee: int, cohort_size: int) -> None:
    """Seed cohorts one transaction each, so memory stays flat and progress shows."""
    if seeding.already_seeded(session=session):
        raise click.ClickException(
            "This database already holds seeded cohorts; seed a fresh database instead.")
    started = time.perf_counter()
    scripts = seeding.scripted_plays(shipped_library())
    if not scripts:
        raise click.ClickException("The scenario library has no valid scenario to play.")
    # One scrypt hash per role: hashing a thousand passwords would take minutes.
    accounts = seeding.Accounts(hash_password(DEMO_ACCOUNTS[2][3]),
                                hash_password(DEMO_ACCOUNTS[1][3]))
    # A fixed seed, so two runs seed the same history and their benchmarks compare.
    rng, total = random.Random(9), seeding.Counts()  # noqa: S311 (test data, not secrets)
    plans = seeding.plans(trainees, turns_per_trainee, cohort_size)
    for plan in plans:
        total.add(seeding.seed_cohort(session=session, plan=plan, scripts=scripts,
                                      accounts=accounts, rng=rng))
        session.commit()
        if plan.number % 10 == 0 or plan.number == len(plans):
            click.echo(f"  seeded {plan.number}/{len(plans)} cohorts, {total.turns:,} turns")
    session.commit()
    seeding.refresh_statistics(session=session)
    _print_scale(total, time.perf_counter() - started)


def _print_scale(total: seeding.Counts, seconds: float) -> None:
    click.echo(
        f"Seeded {total.trainees:,} trainees in {total.cohorts:,} cohorts "
        f"({total.supervisors:,} supervisors, {total.assignments:,} assignments), "
        f"{total.attempts:,} attempts, {total.turns:,} turns and {total.reviews:,} reviews "
        f"in {seconds:.1f} s.")
    last = seeding.trainee_email(total.trainees)
    click.echo(f"  trainees     {seeding.trainee_email(1)} … {last}"
               f"  password: {DEMO_ACCOUNTS[2][3]}")
    click.echo(f"  supervisors  {seeding.supervisor_email(1)} … "
               f"{seeding.supervisor_email(total.cohorts)}  password: {DEMO_ACCOUNTS[1][3]}")


def _demo_cohort(session) -> Cohort:
    cohort = session.exec(select(Cohort).where(Cohort.name == DEMO_COHORT)).first()
    if cohort is None:
        cohort = Cohort(name=DEMO_COHORT, description="Accounts for trying Holding Space.")
        session.add(cohort)
        session.flush()
    return cohort


def _demo_assignment(session, cohort: Cohort) -> None:
    if session.exec(select(Assignment).where(Assignment.cohort_id == cohort.id)).first() is None:
        session.add(Assignment(scenario_id=DEMO_ASSIGNMENT, cohort_id=cohort.id,
                               mode="practice", attempts_allowed=3))


def _print_accounts() -> None:
    click.echo("Demo accounts (sign in at /login):")
    for email, _name, role, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<10}  {email:<24}  password: {password}")
