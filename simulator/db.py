"""The database engine per app and one session per request, opened lazily."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, text
from werkzeug.routing import IntegerConverter

from simulator.delivery import APP_KEY
from simulator.practice.events import LISTENERS

SQLITE_BUSY_TIMEOUT_MS = 5000
MAX_DATABASE_ID = 2**31 - 1  # the largest value of an INTEGER primary key on PostgreSQL
OWNER_ONLY = 0o600  # the database holds trainees' words: nobody else on the machine reads it
log = logging.getLogger(__name__)


def make_engine(url: str, **options) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    # Statement parameters hold trainees' responses: keep them out of logs and error messages.
    options.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"check_same_thread": False})
        if url in ("sqlite://", "sqlite:///:memory:"):
            options.setdefault("poolclass", StaticPool)
        engine = create_engine(url, **options)
        event.listen(engine, "do_connect", _owner_only_files)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **options)
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    return engine


def _without_nul(_conn, _cursor, statement, parameters, _context, _executemany):
    """PostgreSQL text cannot hold NUL: store U+FFFD instead, so pasted junk is never a 500."""
    if isinstance(parameters, dict):
        return statement, {k: _clean(v) for k, v in parameters.items()}
    if isinstance(parameters, (list, tuple)):
        return statement, type(parameters)(
            {k: _clean(v) for k, v in p.items()} if isinstance(p, dict) else _clean(p)
            for p in parameters)
    return statement, parameters


def _clean(value):
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value \
        else value


def _owner_only_files(_dialect, _record, args, kwargs) -> None:
    """Before SQLite opens the database: create the file owner-only (its -wal and -shm files
    then take the same mode), or tighten an existing one that others could read."""
    database = str(args[0] if args else kwargs.get("database", ""))
    if not database or database == ":memory:" or kwargs.get("uri"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite reports the missing folder itself
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
        return
    except FileExistsError:
        pass
    for found in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(found.stat().st_mode)
            if mode & 0o077:
                os.chmod(found, mode & 0o700)
                log.warning("made %s readable by its owner only (it was %o)", found.name, mode)
        except (FileNotFoundError, PermissionError):
            continue


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros, so an erased account's words leave the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def forget_deleted(engine: Engine) -> None:
    """After personal data is deleted and committed: empty SQLite's write-ahead log.

    Its frames still hold the rows as they were before the deletion; a TRUNCATE checkpoint
    copies the current pages into the database and cuts the log to zero bytes. PostgreSQL
    reclaims deleted rows by (auto)vacuum instead (docs/privacy.md).
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
    if busy:
        log.warning("the write-ahead log is in use; deleted data leaves it at the next checkpoint")


class DatabaseId(IntegerConverter):
    """An `<int:...>` URL id that a database key can hold; any other number is a plain 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 0,  # noqa: A002
                 max: int | None = MAX_DATABASE_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Create the app's engine and close the request's session on teardown."""
    # Set before any blueprint adds its rules: an id past the column's range would otherwise
    # reach the database and fail there (OverflowError on SQLite, out of range on PostgreSQL).
    app.url_map.converters["int"] = DatabaseId
    url = app.config["DATABASE_URL"]
    options = {}
    if not url.startswith("sqlite"):
        options["pool_size"] = int(app.config.get("DATABASE_POOL_SIZE", 5))
        options["max_overflow"] = int(app.config.get("DATABASE_MAX_OVERFLOW", 5))
    engine = make_engine(url, **options)
    app.extensions["simulator.engine"] = engine
    app.teardown_appcontext(_close_session)


def get_engine(app: Flask | None = None) -> Engine:
    """The engine of `app` (default: the current app)."""
    return (app or current_app).extensions["simulator.engine"]


def get_session() -> Session:
    """The request's database session, opened on first use."""
    if "db_session" not in g:
        session = Session(get_engine(), expire_on_commit=False)
        app = current_app._get_current_object()
        # Practice events reach this app's listeners (xAPI outbox, LMS grades), and a commit
        # may wake this app's senders (simulator.practice.events, simulator.delivery).
        session.info[LISTENERS] = app.extensions.get(LISTENERS, [])
        session.info[APP_KEY] = app
        g.db_session = session
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def ping(engine: Engine) -> None:
    """Run a trivial query; raises if the database cannot be reached."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
