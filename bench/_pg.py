"""A throwaway PostgreSQL server for the benchmarks: a temporary cluster on a free loopback port.

    with throwaway_postgres() as url:   # postgresql+psycopg://postgres@127.0.0.1:PORT/simulator
        ...

The cluster keeps PostgreSQL's durable defaults (fsync and synchronous commit on), so a turn
costs what it would in production. It runs as the `postgres` user when started by root, as
`.ci/run` does, and is stopped and deleted on exit whatever happens.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

DATABASE = "simulator"


def pg_bin() -> Path:
    """The newest installed PostgreSQL's bin directory (SystemExit if none)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if not found and shutil.which("initdb"):
        return Path(shutil.which("initdb")).parent
    if not found:
        raise SystemExit("PostgreSQL is not installed (no initdb): apt-get install -y postgresql "
                         "(15 or newer), then run the benchmark again")
    return Path(found[-1]).parent


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(argv: list[str], *, as_postgres: bool) -> None:
    if as_postgres:
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=120)


@contextlib.contextmanager
def throwaway_postgres(*, max_connections: int = 100) -> Iterator[str]:
    """Start a fresh cluster and database; yield its SQLAlchemy URL; stop and delete it."""
    binaries, port = pg_bin(), free_port()
    as_postgres = os.geteuid() == 0  # initdb refuses to run as root
    root = Path(tempfile.mkdtemp(prefix="simulator-bench-pg."))
    if as_postgres:
        shutil.chown(root, "postgres")
    data = root / "data"
    started = False
    try:
        _run([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
              "--no-sync"], as_postgres=as_postgres)
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
                   f"-c max_connections={max_connections}")
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
              "-o", options, "start"], as_postgres=as_postgres)
        started = True
        _run([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
              DATABASE], as_postgres=as_postgres)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            with contextlib.suppress(subprocess.SubprocessError):
                _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                     as_postgres=as_postgres)
        shutil.rmtree(root, ignore_errors=True)


def cluster_pids(url: str) -> list[int]:
    """The postmaster serving `url` and its backends (for CPU accounting), found in /proc."""
    port = url.rsplit(":", 1)[1].split("/", 1)[0]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if argv[0].endswith(b"/postgres") and b"-p" in argv and port.encode() in argv:
                children = entry / "task" / entry.name / "children"
                return [int(entry.name), *map(int, children.read_text().split())]
    return []
