"""`simulator backup PATH`: a consistent copy of a SQLite database, safe while the app runs.

SQLite's online backup API copies the database as one reader sees it, write-ahead log included;
in WAL mode readers never block writers, so the app keeps answering while the copy is made.
PostgreSQL has its own tool for this (pg_dump), so for it we print the command instead.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from simulator.db import get_engine

NOT_SQLITE_EXIT = 2


class BackupError(click.ClickException):
    """The copy could not be made; nothing was written at PATH."""


def pg_dump_command(url: URL, path: Path) -> str:
    """The pg_dump command that backs up the database at `url` into `path` (no password in it)."""
    parts = ["pg_dump", "--format=custom", "--no-owner", f"--file={path}"]
    for flag, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            parts.append(f"{flag}={value}")
    parts.append(url.database or "")
    return shlex.join(parts)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy `source` into a new file at `target` (atomically replaced); return its size in bytes."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    os.chmod(temporary, 0o600)  # the copy holds trainees' words: owner-only, like the original
    try:
        _copy(source, Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def _copy(source: Path, temporary: Path) -> None:
    reader = sqlite3.connect(source, timeout=30)  # only read from; never written through
    writer = sqlite3.connect(temporary)
    try:
        # pages=-1 copies in one step from one snapshot; stepping would restart on every write.
        reader.backup(writer, pages=-1)
        writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        verdict = writer.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        writer.close()
        reader.close()
    if verdict != "ok":
        raise BackupError(f"The copy failed its integrity check ({verdict}); nothing was saved.")


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory; there is nothing on disk to back up.")
    source = Path(url.database)
    if not source.is_file():
        raise BackupError(f"There is no database file at {source}.")
    return source


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@with_appcontext
def backup(path: Path, force: bool) -> None:
    """Copy the SQLite database to PATH while the app keeps running."""
    url = get_engine(current_app).url
    if url.get_backend_name() != "sqlite":
        click.echo("This database is PostgreSQL; back it up with pg_dump (give the password "
                   "through PGPASSWORD or ~/.pgpass):", err=True)
        click.echo(f"  {pg_dump_command(url, path)}", err=True)
        raise SystemExit(NOT_SQLITE_EXIT)
    source = _sqlite_file(url)
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose a new file name or add --force.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if path.resolve() == source.resolve():
        raise BackupError("PATH is the live database itself; choose another file.")
    size = backup_sqlite(source, path)
    click.echo(f"Backed up {source.name} ({size:,} bytes) to {path}")
