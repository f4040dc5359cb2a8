"""Sending queued xAPI statements to the learning record store, 50 at a time.

Rows are claimed with a conditional UPDATE (a lease in `claimed_until`), so two workers never
send one batch at once; a worker that dies mid-batch loses its lease after CLAIM_LEASE. The LRS
answers a batch as a whole: 200/204 is every statement stored; a network error or 5xx leaves
the batch queued for later (simulator.delivery.next_try_after); a 400, 409 or 413 is sent again
one statement at a time to find the culprit, which alone is marked rejected, with the LRS's
message (the values it quotes cut out) for `simulator xapi status`. Logs name counts and status
codes, never a statement's content.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from flask import Flask
from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from simulator.db import get_engine
from simulator.delivery import next_try_after
from simulator.models import XapiOutbox, utcnow

log = logging.getLogger(__name__)
BATCH = 50
TIMEOUT_SECONDS = 10
CLAIM_LEASE = timedelta(minutes=5)
ISOLATE = (400, 409, 413)  # the batch was refused for what is in it: find which statement
REFUSED = (400, 409)  # a statement refused on its own: kept, marked rejected
MAX_ERROR = 500
_TABLE = XapiOutbox.__table__
_QUOTED_VALUE = re.compile(r"\.?\s*Received '.*?'(?=[\"\]]|$)", re.S)


@dataclass
class Delivered:
    """What one run did: statements the LRS took, refused, or that wait for another try."""

    sent: int = 0
    rejected: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Delivered) -> None:
        self.sent += other.sent
        self.rejected += other.rejected
        self.failed += other.failed
        self.errors += other.errors


@dataclass(frozen=True)
class _Result:
    status: str  # sent | rejected | queued
    error: str | None = None


def send_queued(app: Flask) -> int:
    """The registered sender: send what is due now; the number of statements the LRS took."""
    return send_due(app).sent


def send_due(app: Flask, *, ignore_waits: bool = False,
             since: datetime | None = None) -> Delivered:
    """Send every claimable queued statement, batch by batch, until none is left or the LRS is
    away. `ignore_waits` sends rows still waiting out their back-off; `since` also sends again
    the statements created at or after it that were sent already (an LRS takes an identical
    statement as a no-op)."""
    done, after = Delivered(), 0
    while True:
        with Session(get_engine(app), expire_on_commit=False) as session:
            rows = _claim(session, after=after, ignore_waits=ignore_waits, since=since)
            if not rows:
                return done
            after = rows[-1].id
            results, detail = _deliver(app.config, rows)
            batch = _settle(session, rows, results)
        log.info("xapi: batch of %d: %d sent, %d rejected, %d to retry (%s)",
                 len(rows), batch.sent, batch.rejected, batch.failed, detail)
        done.add(batch)
        if batch.failed:  # the LRS is away or refusing us: wait for the next try
            return done


def _due(now: datetime, ignore_waits: bool, since: datetime | None) -> list:
    status = _TABLE.c.status == "queued"
    if since is not None:
        status = or_(status, and_(_TABLE.c.status == "sent", _TABLE.c.created_at >= since))
    conditions = [status, or_(_TABLE.c.claimed_until.is_(None), _TABLE.c.claimed_until <= now)]
    if not ignore_waits:
        conditions.append(or_(_TABLE.c.next_try_at.is_(None), _TABLE.c.next_try_at <= now))
    return conditions


def _claim(session: Session, *, after: int, ignore_waits: bool,
           since: datetime | None) -> list[XapiOutbox]:
    """Lease up to BATCH due rows with ids above `after`; only rows this UPDATE won are returned."""
    while True:
        now = utcnow()
        due = _due(now, ignore_waits, since)
        wanted = session.connection().execute(
            select(_TABLE.c.id).where(_TABLE.c.id > after, *due).order_by(_TABLE.c.id)
            .limit(BATCH)).scalars().all()
        if not wanted:
            return []
        won = session.connection().execute(
            update(_TABLE).where(_TABLE.c.id.in_(wanted), *due)
            .values(claimed_until=now + CLAIM_LEASE).returning(_TABLE.c.id)).scalars().all()
        session.commit()
        if won:  # else another worker took them all a moment ago: look further on
            return list(session.exec(select(XapiOutbox).where(col(XapiOutbox.id).in_(won))
                                     .order_by(col(XapiOutbox.id))))
        after = max(wanted)


def _deliver(config, rows: list[XapiOutbox]) -> tuple[dict[int, _Result], str]:
    """Post the batch; on a refusal, each statement alone. Results by row id, and a detail."""
    answer = _post(config, [row.statement for row in rows])
    if isinstance(answer, str) or not (answer.status_code in ISOLATE and len(rows) > 1):
        return {row.id: _judged(answer, row) for row in rows}, _detail(answer)
    results: dict[int, _Result] = {}
    for row in rows:
        single = _post(config, [row.statement])
        results[row.id] = _judged(single, row)
        if results[row.id].status == "queued":  # the LRS went away: the rest wait too
            for rest in rows:
                results.setdefault(rest.id, _Result("queued", results[row.id].error))
            break
    return results, f"{_detail(answer)}, then one by one"


def _post(config, statements: list[dict]) -> requests.Response | str:
    """The LRS's answer, or the name of the error that kept it from answering."""
    user = config.get("LRS_USERNAME")
    auth = (str(user), str(config.get("LRS_PASSWORD") or "")) if user else None
    try:
        return requests.post(
            f"{str(config['LRS_URL']).rstrip('/')}/statements", data=json.dumps(statements),
            auth=auth, timeout=TIMEOUT_SECONDS,
            headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"})
    except requests.RequestException as error:
        return type(error).__name__


def _detail(answer: requests.Response | str) -> str:
    return answer if isinstance(answer, str) else f"HTTP {answer.status_code}"


def _judged(answer: requests.Response | str, row: XapiOutbox) -> _Result:
    if isinstance(answer, str):
        return _Result("queued", answer)
    if answer.status_code in (200, 204):
        return _Result("sent")
    if answer.status_code in REFUSED:
        return _Result("rejected", _refusal(answer, row))
    return _Result("queued", f"HTTP {answer.status_code}")


def _refusal(answer: requests.Response, row: XapiOutbox) -> str:
    """The LRS's reason, without the values it quotes (they may be the trainee's words)."""
    try:
        body = answer.json()
    except ValueError:
        body = answer.text
    if isinstance(body, dict):
        parts = body.get("warnings") or [body.get("message", "")]
    else:
        parts = [str(body)]
    text = " ".join(_QUOTED_VALUE.sub("", str(part)) for part in parts if part)
    words = (row.statement.get("result") or {}).get("response")
    if isinstance(words, str) and words:
        text = text.replace(words, "[response]")
    return f"HTTP {answer.status_code}: {' '.join(text.split())}"[:MAX_ERROR]


def _settle(session: Session, rows: list[XapiOutbox], results: dict[int, _Result]) -> Delivered:
    """Record each row's result, its lease released; the counts."""
    now, done = utcnow(), Delivered()
    for row in rows:
        result = results[row.id]
        values: dict = {"claimed_until": None, "status": result.status}
        if result.status == "sent":
            values.update(sent_at=now, next_try_at=None, last_error=None)
            done.sent += 1
        elif result.status == "rejected":
            values.update(last_error=result.error, next_try_at=None)
            done.rejected += 1
            done.errors.append(result.error or "")
        else:
            values.update(tries=row.tries + 1, next_try_at=next_try_after(row.tries + 1, now),
                          last_error=result.error)
            done.failed += 1
            done.errors.append(result.error or "")
        session.connection().execute(update(_TABLE).where(_TABLE.c.id == row.id).values(values))
    session.commit()
    return done
