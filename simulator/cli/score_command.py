"""`simulator score`: score free-text responses from the command line (no Flask app needed)."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import select
import sys
from collections.abc import Iterator
from typing import IO

import click

from simulator.resources import scenarios_dir
from simulator.rubric import SIGNS_MIN
from simulator.scenarios import load_rubric_file
from simulator.scenarios.vocabulary import RISK_KINDS
from simulator.scoring import ScoreResult, score_response
from simulator.scoring.engine import merge_spans

MAX_RESPONSE_CHARS = 5000
_READ_SIZE = 1 << 16
_BATCH_BYTES = 1 << 20
_PARALLEL_MIN = 64  # below this a batch is scored inline: forking would cost more than it saves
_CHUNK = 64
_BOLD, _RESET = "\033[1m", "\033[0m"


class UnknownRubric(LookupError):
    """No rubric file with this id; carries the ids that do exist."""

    def __init__(self, rubric_id: str, known: list[str], problems: list[str] | None = None):
        super().__init__(rubric_id)
        self.rubric_id, self.known, self.problems = rubric_id, known, problems or []


def load_rubric(rubric_id: str):
    """The Rubric scenarios/rubrics/<id>.yaml, or UnknownRubric (also if it fails validation)."""
    folder = scenarios_dir() / "rubrics"
    known = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    path = folder / f"{rubric_id}.yaml"
    if rubric_id not in known:
        raise UnknownRubric(rubric_id, known)
    rubric, problems = load_rubric_file(path)
    if rubric is None:
        raise UnknownRubric(rubric_id, known, [str(p) for p in problems])
    return rubric


def parse_request(line: str) -> tuple[dict | None, str]:
    """A JSON-lines request as {id, client, response}, or None and the reason it is rejected."""
    if not line.strip():
        return None, "blank line"
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(raw, dict):
        return None, "expected a JSON object"
    response, client = raw.get("response"), raw.get("client", "")
    if not isinstance(response, str) or not response.strip():
        return None, "response: expected a non-empty string"
    if len(response) > MAX_RESPONSE_CHARS:
        return None, f"response: {len(response)} characters, more than {MAX_RESPONSE_CHARS}"
    if client is None:
        client = ""
    if not isinstance(client, str):
        return None, "client: expected a string"
    context = {}
    for key in ("about", "needs", "risk"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"{key}: expected a list of strings"
        context[key] = value
    unknown = [kind for kind in context["risk"] if kind not in RISK_KINDS]
    if unknown:
        return None, f"risk: {', '.join(unknown)} not among {', '.join(RISK_KINDS)}"
    return {"id": raw.get("id"), "client": client, "response": response, **context}, ""


_worker_rubric = None


def _init_worker(rubric) -> None:
    global _worker_rubric
    _worker_rubric = rubric


def answer_line(rubric, number: int, raw: bytes | str) -> tuple[str, bool]:
    """The output line for input line `number`, and whether it was scored."""
    try:
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return json.dumps({"line": number, "error": "not valid UTF-8"}) + "\n", False
    request, error = parse_request(line.rstrip("\r\n"))
    if request is None:
        return json.dumps({"line": number, "error": error}) + "\n", False
    needs = request["needs"]
    unknown = [n for n in needs if n not in rubric.criterion_ids]
    if unknown:
        return json.dumps({"line": number, "error": f"needs: {', '.join(unknown)} not among the "
                           f"criteria ({', '.join(rubric.criterion_ids)})"}) + "\n", False
    result = score_response(client=request["client"], response=request["response"],
                            rubric=rubric, about=request["about"], needs=needs or None,
                            risk=request["risk"])
    return json.dumps({"id": request["id"], **result.to_json()}) + "\n", True


def _answer_in_worker(item: tuple[int, bytes]) -> tuple[str, bool]:
    return answer_line(_worker_rubric, *item)


def read_batches(source: IO) -> Iterator[list[bytes | str]]:
    """Input lines grouped as they arrive: whatever is already readable forms one batch, so an
    interactive caller gets each answer at once and a piped file is scored in large batches."""
    try:
        fd = source.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        yield from ([line] for line in source)
        return
    pending, at_end = b"", False
    while not at_end:
        chunk = os.read(fd, _READ_SIZE)
        at_end = not chunk
        pending += chunk
        while not at_end and len(pending) < _BATCH_BYTES and select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, _READ_SIZE)
            at_end = not chunk
            pending += chunk
        *lines, pending = pending.split(b"\n")
        if at_end and pending:  # a last line without its newline
            lines, pending = lines + [pending], b""
        if lines:
            yield lines


def score_stream(rubric, source: IO, sink: IO[str], *, workers: int = 1) -> int:
    """Score each request line of `source` into `sink`, in order; the number of failed lines."""
    failed = number = 0
    pool = None
    try:
        for batch in read_batches(source):
            numbered = list(enumerate(batch, start=number + 1))
            number += len(batch)
            if workers > 1 and len(batch) >= _PARALLEL_MIN:
                if pool is None:  # forked after start-up, so workers begin warm
                    context = multiprocessing.get_context("fork")
                    pool = context.Pool(workers, _init_worker, (rubric,))
                answers = pool.map(_answer_in_worker, numbered, chunksize=_CHUNK)
            else:
                answers = [answer_line(rubric, n, line) for n, line in numbered]
            for text, ok in answers:
                failed += not ok
                sink.write(text)
            sink.flush()  # a caller may be waiting on these answers before sending more
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return failed


def _highlight(response: str, result: ScoreResult, bold: bool) -> str:
    merged = merge_spans([span for item in (*result.criteria.values(), *result.flags.values())
                          if item.level > 0 for span in item.evidence])
    opener, closer = (_BOLD, _RESET) if bold else ("[[", "]]")
    out, pos = [], 0
    for start, end in merged:
        out += [response[pos:start], opener, response[start:end], closer]
        pos = end
    return "".join(out + [response[pos:]])


def render_report(rubric, response: str, result: ScoreResult, *, bold: bool = False) -> str:
    """The human-readable report: highlighted response, every item with feedback, and the
    evidence of items that reach a level above the lowest."""
    lines = [f"Response: {_highlight(response, result, bold)}", ""]
    for heading, scores in (("Criteria", result.criteria), ("Flags", result.flags)):
        lines.append(f"{heading}:")
        for item_id, score in scores.items():
            item = rubric.item(item_id)
            shown = item.shown(score.score, bool(score.evidence))
            label, feedback = (shown.label, shown.feedback) if shown else (score.label,
                                                                           score.feedback)
            lines.append(f"  {item.name:<20} {score.score:.2f}  {label}")
            # below the first level the words are weak signs, not evidence worth a trainee's
            # time, except for a flag's "some signs": those words are the point
            quoted = score.level or (shown is not None and shown.min == SIGNS_MIN)
            quotes = "; ".join(f'"{q}"' for q in score.quotes(response)) if quoted else ""
            lines.append(f"    evidence: {quotes or '(none)'}")
            lines.append(f"    feedback: {' '.join(feedback.split())}")
        lines.append("")
    lines.append(f"Overall: {result.overall:.2f}   Confidence: {result.confidence:.2f}")
    return "\n".join(lines)


@click.command("score")
@click.option("--rubric", "rubric_id", default="repair-core", show_default=True,
              help="Rubric id (scenarios/rubrics/<id>.yaml).")
@click.option("--jsonl", is_flag=True,
              help='Read {"id", "client", "response"} JSON lines on stdin, write one result each.')
@click.option("--client", default="", help="The client's line the response answers.")
@click.option("--about", multiple=True,
              help="What the rupture is about, a few words (repeat for several).")
@click.option("--needs", multiple=True,
              help="A criterion this moment needs (repeat; default: all of them).")
@click.option("--risk", multiple=True, type=click.Choice(RISK_KINDS),
              help="A risk cue the client line carries (repeat); the safety layer then judges "
                   "safety and safety_missed.")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes for large --jsonl batches (0: one per CPU core).")
@click.argument("response", required=False)
def score(rubric_id: str, jsonl: bool, client: str, about: tuple[str, ...],
          needs: tuple[str, ...], risk: tuple[str, ...], workers: int,
          response: str | None) -> None:
    """Score a trainee response against a rubric (or many, as JSON lines, with --jsonl)."""
    try:
        rubric = load_rubric(rubric_id)
    except UnknownRubric as exc:
        detail = "".join(f"\n  {p}" for p in exc.problems)
        click.echo(f"error: unknown or invalid rubric {exc.rubric_id!r} "
                   f"(known: {', '.join(exc.known) or 'none'}){detail}", err=True)
        sys.exit(2)
    if jsonl:
        workers = workers or os.cpu_count() or 1
        sys.exit(1 if score_stream(rubric, sys.stdin, sys.stdout, workers=workers) else 0)
    if not response or not response.strip():
        raise click.UsageError("give the response text, or use --jsonl")
    unknown = [n for n in needs if n not in rubric.criterion_ids]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} (the criteria are "
                                 f"{', '.join(rubric.criterion_ids)})", param_hint="--needs")
    result = score_response(client=client, response=response, rubric=rubric, about=about,
                            needs=needs or None, risk=risk)
    click.echo(render_report(rubric, response, result, bold=sys.stdout.isatty()))
