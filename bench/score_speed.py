"""Scorer speed: `simulator score --jsonl` throughput as a subprocess (start-up included) and
in-process single-response latency.

    .venv/bin/python bench/score_speed.py [--lines 5000] [--calls 2000] [--workers 0]

A benchmark, not a test: it reports and never asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import machine, rubric

_CLIENTS = (
    "It was fine. The break was fine.",
    "You don't get it. Nobody in here ever gets it.",
    "I did the worksheet, but honestly it felt pointless.",
    "You must think I'm pathetic for still crying about this.",
    "Can we just talk about something else?",
)
_PARTS = (
    "It sounds like the break left you feeling on your own.",
    "You should try writing it down when it happens.",
    "I hear you, but I was only trying to help.",
    "What was that like for you?",
    "I think I pushed too hard last week, and I'm sorry.",
    "How is it, talking about this with me right now?",
    "Would it help if we put the worksheets aside for now?",
    "Don't worry, everyone feels like that sometimes.",
    "You're being a bit resistant, to be honest.",
    "When I went through my divorce I felt the same.",
    "It makes sense you'd be wary after what happened.",
    "Okay.",
)


def generate(count: int, seed: int = 7) -> list[str]:
    """`count` request lines, one to four sentences each, reproducible."""
    rng = random.Random(seed)
    return [
        json.dumps({"id": f"s-{i}", "client": rng.choice(_CLIENTS),
                    "response": " ".join(rng.sample(_PARTS, rng.randint(1, 4)))})
        for i in range(count)
    ]


def _command(workers: int) -> list[str]:
    script = Path(sys.executable).with_name("simulator")
    found = str(script) if script.exists() else shutil.which("simulator")
    if not found:
        raise SystemExit("simulator console script not found; run `make install` first")
    return [found, "score", "--rubric", "repair-core", "--jsonl", "--workers", str(workers)]


def throughput(lines: list[str], workers: int) -> tuple[float, float, int]:
    """(seconds for the whole batch including start-up, seconds to start on empty input, rc)."""
    command = _command(workers)
    started = time.perf_counter()
    subprocess.run(command, input="", capture_output=True, text=True, check=False)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    done = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - started
    if done.stdout.count("\n") != len(lines):
        raise SystemExit(f"expected {len(lines)} output lines, got {done.stdout.count(chr(10))}")
    return elapsed, startup, done.returncode


def latency(calls: int) -> tuple[float, list[float]]:
    """(first call in ms, per-call ms of `calls` further single responses)."""
    from simulator.scoring import score_response

    shipped = rubric()
    requests = [json.loads(line) for line in generate(calls, seed=11)]
    started = time.perf_counter()
    score_response(client=requests[0]["client"], response=requests[0]["response"], rubric=shipped)
    first = (time.perf_counter() - started) * 1000
    timings = []
    for request in requests:
        started = time.perf_counter()
        score_response(client=request["client"], response=request["response"], rubric=shipped)
        timings.append((time.perf_counter() - started) * 1000)
    return first, timings


def import_time() -> float:
    """Seconds to import the scorer in a fresh interpreter (what a web worker pays once)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import simulator.scoring"], check=True)
    return time.perf_counter() - started


def main() -> None:
    """Print throughput and latency figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=0,
                        help="passed to simulator score (0: one per core)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    elapsed, startup, rc = throughput(generate(args.lines), args.workers)
    rate = args.lines / elapsed
    print(f"simulator score --jsonl --workers {args.workers}: {args.lines} lines in "
          f"{elapsed:.2f} s including start-up = {rate:.0f} responses/s (exit {rc})")
    print(f"  start-up on empty input {startup:.2f} s; scoring alone "
          f"{args.lines / max(elapsed - startup, 1e-9):.0f} responses/s")
    print(f"python -c 'import simulator.scoring': {import_time():.2f} s")
    first, timings = latency(args.calls)
    cuts = statistics.quantiles(timings, n=100)
    print(f"in-process: first call {first:.1f} ms; {args.calls} single responses: "
          f"p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms, p99 {cuts[98]:.2f} ms")


if __name__ == "__main__":
    main()
