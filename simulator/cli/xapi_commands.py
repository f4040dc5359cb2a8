"""`simulator xapi ...`: send queued xAPI statements now, and see how delivery stands."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from simulator.cli.common import require_schema
from simulator.cli.export_commands import Moment
from simulator.db import get_session
from simulator.models import OUTBOX_STATUSES, XapiOutbox, utcnow

NO_LRS = ("SIMULATOR_LRS_URL is not set, so there is no learning record store to send to "
          "(set it to the LRS's xAPI endpoint, for example https://lrs.example.org/xAPI).")
SHOWN_REJECTIONS = 10


@click.group(cls=AppGroup)
def xapi() -> None:
    """Deliver xAPI statements to the learning record store (SIMULATOR_LRS_URL)."""


@xapi.command("send")
@click.option("--since", type=Moment(), default=None,
              help="Also send again the statements created at or after this date "
                   "(YYYY-MM-DD) or ISO 8601 date-time (UTC if no zone), sent ones included.")
def send(since: datetime | None) -> None:
    """Send every queued statement now, not waiting out retry back-off; exit 1 if any failed."""
    require_schema()
    app = current_app._get_current_object()
    if not app.config.get("LRS_URL"):
        raise click.ClickException(NO_LRS)
    from simulator.xapi.sender import send_due

    done = send_due(app, ignore_waits=True, since=since)
    waiting = _counts(get_session()).get("queued", 0)
    click.echo(f"Sent {done.sent}, rejected {done.rejected}, failed {done.failed}; "
               f"{waiting} still queued.")
    if done.rejected or done.failed or waiting:
        reason = done.errors[-1] if done.errors else "statements are still queued"
        raise click.ClickException(
            f"Not everything was delivered (last error: {reason}). "
            "`simulator xapi status` shows what is waiting and why.")


@xapi.command("status")
def status() -> None:
    """Queued, sent and rejected counts, the oldest queued, the next try and the last error."""
    require_schema()
    session = get_session()
    url = current_app.config.get("LRS_URL")
    click.echo(f"LRS: {_without_credentials(url)}" if url else f"LRS: none. {NO_LRS}")
    counts = _counts(session)
    click.echo(" · ".join(f"{name} {counts.get(name, 0)}" for name in OUTBOX_STATUSES))
    queued = XapiOutbox.status == "queued"
    oldest = session.exec(select(func.min(XapiOutbox.created_at)).where(queued)).one()
    if oldest is not None:
        click.echo(f"Oldest queued: {_when(oldest)}")
        click.echo(f"Next try: {_next_try(session)}")
    failed = session.exec(select(XapiOutbox).where(queued, col(XapiOutbox.last_error).is_not(None))
                          .order_by(col(XapiOutbox.id).desc()).limit(1)).first()
    if failed is not None:
        click.echo(f"Last error: {failed.last_error} (after {failed.tries} tries)")
    for row in session.exec(select(XapiOutbox).where(XapiOutbox.status == "rejected")
                            .order_by(col(XapiOutbox.id).desc()).limit(SHOWN_REJECTIONS)):
        click.echo(f"Rejected {row.statement_id} ({row.verb}, {_when(row.created_at)}): "
                   f"{row.last_error}")


def _next_try(session: Session) -> str:
    """Now, when some queued statement is already due; else when the first wait ends."""
    queued, at = XapiOutbox.status == "queued", col(XapiOutbox.next_try_at)
    due = session.exec(select(func.count()).select_from(XapiOutbox).where(
        queued, or_(at.is_(None), at <= utcnow()))).one()
    if due:
        return f"{due} due now, sent as soon as the sender runs"
    return _when(session.exec(select(func.min(at)).where(queued)).one())


def _counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(XapiOutbox.status, func.count()).group_by(XapiOutbox.status))
    return dict(rows.all())


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _without_credentials(url: str) -> str:
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
