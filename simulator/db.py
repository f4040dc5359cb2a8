"""The database engine per app and one session per request, opened lazily."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, text
from werkzeug.routing import IntegerConverter

SQLITE_BUSY_TIMEOUT_MS = 5000
MAX_DATABASE_ID = 2**31 - 1  # the largest value of an INTEGER primary key on PostgreSQL


def make_engine(url: str, **options) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    # Statement parameters hold trainees' responses: keep them out of logs and error messages.
    options.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"check_same_thread": False})
        if url in ("sqlite://", "sqlite:///:memory:"):
            options.setdefault("poolclass", StaticPool)
        engine = create_engine(url, **options)
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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


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
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def ping(engine: Engine) -> None:
    """Run a trivial query; raises if the database cannot be reached."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
