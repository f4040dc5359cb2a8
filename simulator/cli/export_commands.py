"""`simulator export ...`: the cohort gradebook as CSV and activity as xAPI statements."""

from __future__ import annotations

import json
import os
from datetime import datetime
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import Session, select

from simulator.audit import record
from simulator.cli.common import require_schema
from simulator.courses.gradebook import gradebook_csv, gradebook_rows
from simulator.courses.moments import MomentError, shown, utc_moment
from simulator.courses.xapi import statements_since
from simulator.db import get_session
from simulator.library import get_library
from simulator.models import Cohort

RUBRIC_ID = "repair-core"
DEFAULT_BASE_URL = "http://localhost:5000"


class Moment(click.ParamType):
    """An ISO 8601 date or date-time; a value without a zone is taken as UTC."""

    name = "DATE"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return utc_moment(value)
        except MomentError as error:
            self.fail(f"{shown(value)} {error}", param, ctx)


class PrivateFile(click.File):
    """An output file for personal data: created, or emptied, readable by its owner only.

    Standard output ("-") is passed through; where it goes is the caller's choice.
    """

    def __init__(self, mode: str = "w") -> None:
        super().__init__(mode, encoding=None if "b" in mode else "utf-8", lazy=False)

    def convert(self, value, param, ctx):
        if value == "-" or hasattr(value, "write"):
            return super().convert(value, param, ctx)
        try:
            handle = os.open(value, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            self.fail(f"'{click.format_filename(value)}': {error.strerror}", param, ctx)
        try:
            os.fchmod(handle, 0o600)  # an existing file keeps its old mode otherwise
        except OSError as error:
            os.close(handle)
            self.fail(f"'{click.format_filename(value)}' cannot be made private: "
                      f"{error.strerror}", param, ctx)
        stream = os.fdopen(handle, self.mode, encoding=self.encoding)
        if ctx is not None:
            ctx.call_on_close(stream.close)
        return stream


class BaseUrl(click.ParamType):
    """An absolute http(s) URL, the site's address as an LRS should see it."""

    name = "URL"

    def convert(self, value, param, ctx) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(f"{value!r} is not an absolute http(s) URL "
                      "(for example https://training.example.org)", param, ctx)
        return value.rstrip("/")


@click.group(cls=AppGroup)
def export() -> None:
    """Export grades and activity for other systems."""


def find_cohort(session: Session, key: str) -> Cohort:
    """The cohort with this name, or this numeric id; exit 1 naming the known ones if none."""
    cohort = session.exec(select(Cohort).where(Cohort.name == key)).first()
    if cohort is None and key.strip().isdigit():
        cohort = session.get(Cohort, int(key))
    if cohort is None:
        names = session.exec(select(Cohort.name).order_by(Cohort.name)).all()
        known = ", ".join(names) if names else "none yet"
        raise click.ClickException(f"Unknown cohort {key!r}. Known cohorts: {known}.")
    return cohort


@export.command("gradebook")
@click.argument("cohort")
@click.option("--output", "-o", type=PrivateFile("wb"), default="-",
              help="Write the CSV here (readable by you only) instead of standard output.")
def gradebook(cohort: str, output) -> None:
    """Every trainee × assignment of COHORT (its name or id) as a spreadsheet-safe CSV."""
    require_schema()
    session = get_session()
    found = find_cohort(session, cohort)
    rubric = get_library().rubrics.get(RUBRIC_ID)
    if rubric is None:
        raise click.ClickException(f"The scenario library has no rubric {RUBRIC_ID!r}.")
    rows = gradebook_rows(session=session, cohort_id=found.id, rubric=rubric)
    output.write(gradebook_csv(rows, criterion_ids=rubric.criterion_ids))
    # Grades are personal data; the trail records that they left the system, not the grades.
    record(session, actor_id=None, action="export.gradebook", object_type="cohort",
           object_id=str(found.id), via="cli", rows=len(rows))
    session.commit()


@export.command("xapi")
@click.option("--since", required=True, type=Moment(),
              help="Events at or after this ISO 8601 date or date-time (UTC if no zone).")
@click.option("--base-url", type=BaseUrl(), default=None,
              help="The site's public address, used in IRIs and account homePage "
                   "(default: SIMULATOR_BASE_URL, else http://localhost:5000).")
@click.option("--output", "-o", type=PrivateFile("wb"), default="-",
              help="Write the JSON array here (readable by you only) instead of standard "
                   "output.")
def xapi(since: datetime, base_url: str | None, output) -> None:
    """Activity since DATE as a JSON array of xAPI 1.0.3 statements (no response text)."""
    require_schema()
    if base_url is None:
        base_url = BaseUrl().convert(current_app.config.get("BASE_URL") or DEFAULT_BASE_URL,
                                     None, None)
    session = get_session()
    statements = statements_since(session=session, since=since, base_url=base_url,
                                  rubrics=get_library().rubrics)
    output.write(json.dumps(statements, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
    record(session, actor_id=None, action="export.xapi", via="cli",
           since=since.isoformat(), statements=len(statements))
    session.commit()
