"""`simulator cohorts ...`: create and list cohorts, and import rosters into them.

COHORT is a cohort's name or its numeric id. `cohorts import` is all-or-nothing by default:
any bad row means nothing is written and the exit status is 1. With --skip-invalid the good
rows are imported, the bad ones are reported, and the exit status is 0 when at least one row
was imported (1 when none could be).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from simulator.audit import record
from simulator.cli.common import require_schema
from simulator.courses.cohorts import CohortError, create_cohort, find_cohort, list_cohorts
from simulator.courses.roster import (
    MAX_BYTES,
    IssuedLink,
    RosterPreview,
    apply_roster,
    parse_roster,
)
from simulator.courses.tokens import DEFAULT_TTL
from simulator.db import get_session
from simulator.models import Cohort
from simulator.users import UserError
from simulator.wording import plural

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@click.group(cls=AppGroup)
def cohorts() -> None:
    """Manage cohorts and import rosters."""


@cohorts.command("create")
@click.argument("name")
@click.option("--supervisor", "supervisors", multiple=True, metavar="EMAIL",
              help="An existing supervisor or admin account (repeat for more).")
@click.option("--description", default="", help="A line about the cohort.")
def create(name: str, supervisors: tuple[str, ...], description: str) -> None:
    """Create a cohort, optionally with its supervisors."""
    require_schema()
    session = get_session()
    try:
        cohort = create_cohort(session=session, name=name, description=description,
                               supervisor_emails=supervisors)
    except CohortError as error:
        raise click.ClickException(str(error)) from None
    record(session, actor_id=None, action="cohort.create", object_type="cohort",
           object_id=str(cohort.id), via="cli", supervisors=len(supervisors))
    session.commit()
    who = ", ".join(sorted({s.strip().lower() for s in supervisors})) or "none yet"
    click.echo(f"Created cohort '{cohort.name}' (id {cohort.id}). Supervisors: {who}.")


@cohorts.command("list")
def list_command() -> None:
    """List every cohort with its id and head counts."""
    require_schema()
    summaries = list_cohorts(session=get_session())
    if not summaries:
        click.echo("No cohorts yet. Create one with `simulator cohorts create NAME`.")
        return
    width = max(len(s.cohort.name) for s in summaries)
    for s in summaries:
        counts = f"{plural(s.trainees, 'trainee')}, {plural(s.supervisors, 'supervisor')}"
        click.echo(f"{s.cohort.id:>4}  {s.cohort.name:<{width}}  {counts}")


def _cohort(ref: str) -> Cohort:
    cohort = find_cohort(session=get_session(), ref=ref)
    if cohort is None:
        raise click.ClickException(f"No cohort '{ref}'. See `simulator cohorts list`.")
    return cohort


def _check_base_url(_ctx, _param, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://")
    return value.rstrip("/")


def _report_problems(source: str, preview: RosterPreview, skip_invalid: bool) -> None:
    for problem in preview.problems:
        click.echo(problem.located(source), err=True)
    good = plural(len(preview.rows), "good row")
    if not preview.rows:
        raise click.ClickException("Nothing imported: the roster has no good rows.")
    if not skip_invalid:
        raise click.ClickException(
            f"Nothing imported: {plural(len(preview.problems), 'problem')}. Fix the file, or "
            f"pass --skip-invalid to import the {good} and skip the rest."
        )
    click.echo(f"Skipping {plural(len(preview.bad_lines), 'bad row')}.", err=True)


def _print_links(links: list[IssuedLink], base_url: str) -> None:
    if not links:
        return
    click.echo(f"\nOne-time set-password links (valid {DEFAULT_TTL.days} days, single use).")
    click.echo("SECRET: each link lets its holder set that account's password. Pass each one")
    click.echo("privately to its owner only; do not paste them into shared channels.")
    width = max(len(link.email) for link in links)
    for link in links:
        click.echo(f"  {link.email:<{width}}  {link.url(base_url)}")


@cohorts.command("import")
@click.argument("cohort_ref", metavar="COHORT")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True,
              help="Import the good rows and report the bad ones instead of importing nothing.")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True, callback=_check_base_url,
              help="The site address the printed set-password links start with.")
def import_command(cohort_ref: str, roster: Path, skip_invalid: bool, base_url: str) -> None:
    """Add the people in a CSV roster (header email,name,role) to COHORT."""
    require_schema()
    cohort = _cohort(cohort_ref)
    session = get_session()
    with roster.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # one byte over is enough to refuse an oversized file
    preview = parse_roster(data, session=session)
    if not preview.ok or not preview.rows:
        _report_problems(click.format_filename(roster), preview, skip_invalid)
    try:
        links = apply_roster(session=session, cohort=cohort, preview=preview, actor_id=None)
    except (CohortError, UserError) as error:
        session.rollback()
        raise click.ClickException(f"Nothing imported: {error}") from None
    session.commit()
    added = len(preview.rows) - len(links)
    click.echo(f"Imported {plural(len(preview.rows), 'row')} into '{cohort.name}': "
               f"{plural(len(links), 'new account')} created, "
               f"{plural(added, 'existing account')} added.")
    _print_links(links, base_url)
