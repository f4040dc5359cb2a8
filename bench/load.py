"""Load benchmark: simulated trainees against the production server (gunicorn) on loopback.

    .venv/bin/python bench/load.py --db sqlite|postgres [--seconds 60] [--users 50] [--think 1.5]
                                   [--workers N] [--profile]

Builds a fresh database (a temporary PostgreSQL cluster for --db postgres), seeds it with
`simulator demo --scale`, starts `simulator serve` with one worker per core, and lets --users
trainees sign in, open the dashboard, start scenarios and answer in free text, pausing about
--think seconds between requests (--think 0: no pauses, to find the maximum throughput). A
separate probe requests /healthz ten times a second throughout, so every figure has a baseline
measured on the same noisy machine at the same moment. Reports throughput and p50/p95/p99 per
request kind, the turn/healthz latency ratio, CPU used by the workers, PostgreSQL and this
script, and each worker's peak memory; --profile samples one worker with py-spy (if installed)
and charges the time to packages. Bounded by --seconds and --max-requests; everything it
starts is stopped on exit.
A benchmark, not a test: it reports and never asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from _common import machine, table
from _pg import cluster_pids
from _server import (
    CSRF_FIELD,
    Browser,
    LatencyLog,
    cpu_seconds,
    database,
    percentiles,
    prepare,
    proc_status,
    running_server,
    server_env,
    sign_in,
    worker_pids,
)

from simulator.cli.demo import DEMO_ACCOUNTS
from simulator.resources import resource_dir
from simulator.scenarios.library import load_library
from simulator.seeding import trainee_email

TRAINEE_PASSWORD = DEMO_ACCOUNTS[2][3]  # what `simulator demo --scale` gives seeded trainees
MAX_SECONDS = 600
HEALTHZ_EVERY = 0.1
# Our own words, in the range of what trainees write; combined one to three at a time.
SENTENCES = (
    "It sounds like the break left you feeling on your own.",
    "You should try writing it down when it happens.",
    "I hear you, but I was only trying to help.",
    "What was that like for you, when I said that?",
    "I think I pushed too hard last week, and I'm sorry.",
    "How is it, talking about this with me right now?",
    "Would it help if we put the worksheets aside for now?",
    "Don't worry, everyone feels like that sometimes.",
    "It makes sense you'd be wary after what happened.",
    "I wonder if part of you is angry with me for being late.",
    "Can we slow down for a moment and look at what just happened between us?",
    "You're right, I did change the plan without asking you.",
)
TURN_FIELD = re.compile(r'name="turn" value="(\d+)"')


# --- simulated trainees -----------------------------------------------------------------------

class Run:
    """What the simulated users share: start line, deadline, request budget and the log."""

    def __init__(self, port: int, users: int, seconds: float, max_requests: int, think: float,
                 on_start) -> None:
        self.port, self.think, self.seconds = port, think, seconds
        self.deadline = float("inf")  # set when every user has signed in
        self.budget = max_requests
        self.log = LatencyLog()
        self.lock = threading.Lock()
        self.scenarios = sorted(load_library(str(resource_dir("scenarios"))).scenarios)
        self.signed_in = threading.Barrier(users + 1, action=self._start, timeout=600)
        self.on_start = on_start

    def _start(self) -> None:
        self.on_start()
        self.deadline = time.monotonic() + self.seconds

    def going(self) -> bool:
        """True while time and requests are left (taking one request from the budget)."""
        with self.lock:
            self.budget -= 1
            return self.budget >= 0 and time.monotonic() < self.deadline

    def pause(self, rng: random.Random, low: float = 0.5, high: float = 1.5) -> None:
        """Think time: uniform around the mean, never past the deadline."""
        if self.think > 0:
            time.sleep(min(rng.uniform(low, high) * self.think,
                           max(0.0, self.deadline - time.monotonic())))


def trainee(run: Run, number: int) -> None:
    """One trainee: sign in, wait for the others, then dashboard, start, answer, debrief."""
    rng = random.Random(number)
    browser = Browser(run.port, log=run.log)
    try:
        signed_in = sign_in(browser, trainee_email(number), TRAINEE_PASSWORD, kind="sign-in")
    finally:
        run.signed_in.wait()  # sign-ins are a burst of password hashing: not measured with the rest
    run.pause(rng, 0.0, 1.0)  # trainees do not all click at the same instant
    while signed_in and run.going():
        browser.get("/", kind="dashboard")
        run.pause(rng)
        _one_attempt(run, browser, rng)
    browser.close()


def _one_attempt(run: Run, browser: Browser, rng: random.Random) -> None:
    scenario = rng.choice(run.scenarios)
    found = CSRF_FIELD.search(browser.get(f"/scenarios/{scenario}", kind="scenario")[1])
    if not found or not run.going():
        return
    token = found.group(1)
    status, location = browser.post(f"/scenarios/{scenario}/attempts",
                                     {"mode": "practice", "csrf_token": token}, kind="start")
    if status != 303 or not run.going():
        return
    page = browser.get(location, kind="play")[1]
    while (turn := TURN_FIELD.search(page)) and run.going():
        run.pause(rng)
        form = {"turn": turn.group(1), "csrf_token": token}
        if 'name="response"' in page:
            form["response"] = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            if 'name="mode"' in page:  # options offered too: say the words are the answer
                form["mode"] = "free"
        else:
            form["choice"] = "0"
        status, page = browser.post(f"{location}/turns", form, kind="turn", htmx=True)
        if status != 200:
            return
    if 'id="ending-heading"' in page and run.going():
        browser.get(f"{location}/debrief", kind="debrief")


def healthz_probe(run: Run) -> None:
    """/healthz at a steady pace for the whole measured run (outside the request budget)."""
    browser = Browser(run.port, log=run.log)
    while time.monotonic() < run.deadline:
        started = time.monotonic()
        browser.get("/healthz", kind="healthz")
        time.sleep(max(0.0, HEALTHZ_EVERY - (time.monotonic() - started)))
    browser.close()


def drive(run: Run, users: int) -> float:
    """Sign everyone in, then run users and probe until the deadline; returns seconds measured."""
    threads = [threading.Thread(target=trainee, args=(run, n), daemon=True)
               for n in range(1, users + 1)]
    for thread in threads:
        thread.start()
    run.signed_in.wait()
    started = time.monotonic()
    probe = threading.Thread(target=healthz_probe, args=(run,), daemon=True)
    probe.start()
    for thread in [*threads, probe]:
        thread.join(timeout=max(1.0, run.deadline - time.monotonic()) + 60)
    return time.monotonic() - started


# --- where the time and memory went -----------------------------------------------------------

class Meter:
    """CPU seconds per process group between start() and stop(), and the workers' memory."""

    def __init__(self, finders: dict[str, Callable[[], list[int]]]) -> None:
        self.finders, self.used, self.signed_in_peak = finders, {}, {}
        self.groups: dict[str, list[int]] = {}
        self.before: dict[str, float] = {}

    def start(self) -> None:
        """Note CPU so far, and each worker's peak memory so far, then reset those peaks."""
        self.groups = {name: find() for name, find in self.finders.items()}
        self.before = {name: self._cpu(pids) for name, pids in self.groups.items()}
        for pid in self.groups["app workers"]:
            self.signed_in_peak[pid] = proc_status(pid, "VmHWM")
            with contextlib.suppress(OSError):  # Linux: writing 5 resets the peak (VmHWM)
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def stop(self) -> None:
        """CPU used by each group since start()."""
        self.used = {name: self._cpu(pids) - self.before.get(name, 0.0)
                     for name, pids in self.groups.items()}

    @staticmethod
    def _cpu(pids: list[int]) -> float:
        if pids == [os.getpid()]:
            times = os.times()
            return times.user + times.system
        return cpu_seconds(pids)


# Where a sampled stack's innermost Python frame lives decides what the sample is charged to
# (py-spy shows no C frames: time inside sqlite3's C calls is charged to SQLAlchemy).
PACKAGES = (("scorer", "simulator/scoring/"), ("SQLAlchemy + SQLModel", "sqlalchemy/"),
            ("SQLAlchemy + SQLModel", "sqlmodel/"), ("database driver", "psycopg"),
            ("database driver", "sqlite3"), ("Jinja2 templates", "jinja2/"),
            ("Jinja2 templates", "templates/"), ("Jinja2 templates", "markupsafe/"),
            ("Flask, Werkzeug, extensions", "flask"), ("Flask, Werkzeug, extensions", "werkzeug/"),
            ("Flask, Werkzeug, extensions", "itsdangerous/"), ("gunicorn", "gunicorn/"),
            ("simulator (the rest)", "simulator/"))


def start_profile(pid: int, seconds: float, output: Path) -> subprocess.Popen | None:
    """Sample one worker with py-spy (when installed) for `seconds`; None without py-spy."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        print("--profile needs py-spy in the environment: .venv/bin/pip install py-spy")
        return None
    return subprocess.Popen([str(spy), "record", "-p", str(pid), "-d", str(int(seconds)),
                             "-r", "100", "-f", "raw", "-o", str(output), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def profile_shares(path: Path, inside: str) -> tuple[int, list[tuple[str, float]]]:
    """(samples, share per package) of the sampled stacks that pass through `inside`."""
    charged: dict[str, int] = defaultdict(int)
    for line in path.read_text().splitlines() if path.exists() else []:
        stack, _, count = line.rpartition(" ")
        if inside in stack:
            leaf = stack.rsplit(";", 1)[-1]
            name = next((n for n, marker in PACKAGES if marker in leaf), "stdlib and C")
            charged[name] += int(count)
    total = sum(charged.values())
    return total, sorted(((n, c / total) for n, c in charged.items()), key=lambda x: -x[1])


def report(run: Run, seconds: float, meter: Meter) -> None:
    """Print throughput, latency percentiles, the turn/healthz ratio, CPU and memory."""
    rows, cuts = [], {}
    for kind, timings in sorted(run.log.timings.items()):
        cuts[kind] = percentiles(timings)
        failed = run.log.errors.get(kind, [])
        per_second = len(timings) / seconds if kind != "sign-in" else None
        rows.append((kind, len(timings), per_second, *cuts[kind],
                     " ".join(f"{s}x{failed.count(s)}" for s in sorted(set(failed))) or 0))
    print(table(("request", "count", "per s", "p50 ms", "p95 ms", "p99 ms",
                 "errors (status x n)"), rows))
    if "turn" in cuts and "healthz" in cuts:
        p50, p95 = (cuts["turn"][i] / cuts["healthz"][i] for i in (0, 1))
        print(f"turn / healthz latency: {p50:.1f}x at p50, {p95:.1f}x at p95")
    served = sum(len(t) for k, t in run.log.timings.items() if k != "sign-in")
    print(f"CPU seconds in {seconds:.0f} s ({os.cpu_count()} cores = "
          f"{seconds * (os.cpu_count() or 1):.0f} available): " + ", ".join(
              f"{name} {used:.1f}" for name, used in meter.used.items()))
    workers = meter.used.get("app workers", 0.0)
    print(f"app workers: {1000 * workers / max(served, 1):.1f} ms CPU per request served")
    for pid in meter.groups["app workers"]:
        print(f"worker {pid}: peak {proc_status(pid, 'VmHWM') / 1024:.0f} MB while measured, "
              f"{meter.signed_in_peak.get(pid, 0) / 1024:.0f} MB through start-up and "
              f"sign-ins, {proc_status(pid, 'VmRSS') / 1024:.0f} MB at the end")


def main() -> None:
    """Parse arguments, build the database, start the server, drive it, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.5, help="mean pause; 0 for none")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed-trainees", type=int, default=200)
    parser.add_argument("--seed-turns", type=int, default=20)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--profile", action="store_true",
                        help="sample one worker with py-spy during the run")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="simulator-load.") as tmp:
        workdir = Path(tmp)
        with database(args.db, workdir) as url:
            env = server_env(url, workdir)
            print(prepare(env, max(args.seed_trainees, args.users), args.seed_turns))
            with running_server(env, workdir, args.workers) as (port, master):
                meter = Meter({"app workers": lambda: worker_pids(master),
                               "postgres": lambda: cluster_pids(url) if "postgres" in url else [],
                               "load generator": lambda: [os.getpid()]})
                seconds, spy = min(args.seconds, MAX_SECONDS), []

                def start() -> None:
                    meter.start()
                    if args.profile:
                        spy.append(start_profile(meter.groups["app workers"][0], seconds,
                                                 workdir / "profile.txt"))

                run = Run(port, args.users, seconds, args.max_requests, args.think, start)
                measured = drive(run, args.users)
                meter.stop()
                if spy and spy[0]:
                    spy[0].wait(timeout=60)
                print(f"{args.db}, {args.workers} gevent workers, "
                      f"{args.users} users, "
                      f"think {args.think} s, {measured:.0f} s measured; load average after: "
                      f"{os.getloadavg()[0]:.2f}")
                report(run, measured, meter)
                if spy and spy[0]:
                    _print_profile(workdir / "profile.txt")


def _print_profile(path: Path) -> None:
    for label, inside in (("every request", "handle_request (gunicorn"),
                          ("turn submissions", "answer (simulator/trainee/play.py")):
        samples, shares = profile_shares(path, inside)
        print(f"py-spy, one worker, {label} ({samples} samples): " + ", ".join(
            f"{name} {share:.0%}" for name, share in shares))


if __name__ == "__main__":
    main()
