"""Volume benchmark: supervisor pages with 1,000 trainees and 100,000 turns in the database.

    .venv/bin/python bench/volume.py --db sqlite|postgres [--trainees 1000] [--turns 100]

Seeds a fresh database with `simulator demo --scale` (a temporary PostgreSQL cluster for
--db postgres), starts the production server on loopback, signs in as the demo admin (who sees
every cohort) and as the first seeded supervisor (one cohort of 25), and requests the supervisor
dashboard, a cohort page and the review queue one at a time. Reports the first request of each
page (cold per-process caches) apart from the p50/p95/p99 of the --requests after it, next to
/healthz measured the same way. A benchmark, not a test: it reports and never asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from _common import machine, table
from _server import (
    Browser,
    database,
    percentiles,
    prepare,
    running_server,
    server_env,
    sign_in,
)

from simulator.cli.demo import DEMO_ACCOUNTS
from simulator.seeding import cohort_name, supervisor_email

WARM_UP = 3  # requests after the first, so every worker has built its caches
PAGES = (("supervisor dashboard", "/supervise/"), ("cohort page", "/supervise/cohorts/{id}"),
         ("review queue", "/supervise/queue"))


def signed_in(port: int, email: str, password: str) -> Browser:
    """A browser signed in as `email`."""
    browser = Browser(port)
    if not sign_in(browser, email, password):
        raise SystemExit(f"could not sign in as {email}")
    return browser


def timed(browser: Browser, path: str) -> float:
    """Milliseconds for one request (SystemExit unless it answers 200)."""
    started = time.perf_counter()
    status, _ = browser.get(path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return (time.perf_counter() - started) * 1000


def measure(browser: Browser, path: str, requests: int) -> tuple:
    """(first ms, p50, p95, p99, max) for `path`, one request at a time."""
    first = timed(browser, path)
    for _ in range(WARM_UP):
        timed(browser, path)
    timings = [timed(browser, path) for _ in range(requests)]
    return (first, *percentiles(timings), max(timings))


def first_cohort_id(browser: Browser) -> str:
    """The id of the first seeded cohort, from the links on the supervisor dashboard."""
    html = browser.get("/supervise/")[1]
    found = re.search(rf'/supervise/cohorts/(\d+)">{cohort_name(1)}', html)
    if not found:
        raise SystemExit("the first seeded cohort is not on the supervisor dashboard")
    return found.group(1)


def main() -> None:
    """Seed, serve, measure each page as admin and as supervisor, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=100, help="answered turns per trainee")
    parser.add_argument("--requests", type=int, default=40, help="measured requests per page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="simulator-volume.") as tmp:
        workdir = Path(tmp)
        with database(args.db, workdir) as url:
            env = server_env(url, workdir)
            started = time.perf_counter()
            print(prepare(env, args.trainees, args.turns))
            print(f"migrate and seed: {time.perf_counter() - started:.0f} s")
            with running_server(env, workdir, args.workers) as (port, _master):
                rows = _measure_all(port, args.requests)
    print(f"{args.db}, {args.workers} workers; sequential requests; load average after: "
          f"{os.getloadavg()[0]:.2f}")
    print(table(("signed in as", "page", "first ms", "p50 ms", "p95 ms", "p99 ms", "max ms"),
                rows))


def _measure_all(port: int, requests: int) -> list[tuple]:
    people = (("admin", DEMO_ACCOUNTS[0][0], DEMO_ACCOUNTS[0][3]),
              ("supervisor", supervisor_email(1), DEMO_ACCOUNTS[1][3]))
    rows = [("-", "/healthz", *measure(Browser(port), "/healthz", requests))]
    for role, email, password in people:
        browser = signed_in(port, email, password)
        cohort = first_cohort_id(browser)
        for name, path in PAGES:
            rows.append((role, name, *measure(browser, path.format(id=cohort), requests)))
        browser.close()
    return rows


if __name__ == "__main__":
    main()
