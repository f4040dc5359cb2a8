"""The labelled corpus (corpus/*.jsonl) with a deterministic train/test split by client line."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"
CRITERIA = ("reflection", "validation", "exploration", "ownership", "metacommunication",
            "collaboration")
FLAGS = ("advice", "defensiveness", "dismissing", "blame", "self_focus", "contradicting",
         "formulaic")
# Flags decided by the context rules alone (moment_rules.py): labelled for measurement, not fit.
RULE_FLAGS: tuple[str, ...] = ()
MAX_LABEL = {**{c: 3 for c in CRITERIA}, **{f: 2 for f in FLAGS}}
TEST_MODULUS = 5  # one client moment in five is held out


@dataclass(frozen=True)
class Example:
    """One labelled trainee response and where it came from (file:line)."""

    id: str
    rupture: str
    client: str
    response: str
    labels: dict[str, int]
    where: str
    about: tuple[str, ...] = ()  # what the rupture is about, when the writer said
    hard: str = ""  # the hard-case family the writer aimed at (a note, never a label)

    def target(self, item: str) -> float:
        """The label scaled to 0..1 (label / its maximum)."""
        return self.labels[item] / MAX_LABEL[item]


@dataclass(frozen=True)
class Corpus:
    """Train and test examples, and every malformed line found while loading."""

    train: tuple[Example, ...]
    test: tuple[Example, ...]
    problems: tuple[str, ...]


def client_key(client: str) -> str:
    """The client line as the split sees it: lower-case, single-spaced."""
    return " ".join(client.lower().split())


def is_test(client: str) -> bool:
    """Whether this client moment belongs to the held-out test split (~20%, stable)."""
    digest = hashlib.sha256(client_key(client).encode("utf-8")).hexdigest()
    return int(digest, 16) % TEST_MODULUS == 0


def _labels(raw: object) -> tuple[dict[str, int] | None, str]:
    if not isinstance(raw, dict):
        return None, "labels: expected an object"
    labels = {}
    for item, top in MAX_LABEL.items():
        value = raw.get(item)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            return None, f"labels.{item}: expected an integer 0..{top}, got {value!r}"
        labels[item] = value
    unknown = sorted(set(raw) - set(MAX_LABEL))
    if unknown:
        return None, f"labels: unknown item(s) {', '.join(unknown)}"
    return labels, ""


def parse_line(line: str, where: str) -> tuple[Example | None, str]:
    """One corpus line as an Example, or None and what is wrong with it."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON ({exc.msg})"
    if not isinstance(raw, dict):
        return None, "expected a JSON object"
    for key in ("id", "client", "response"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            return None, f"{key}: expected a non-empty string"
    labels, problem = _labels(raw.get("labels"))
    if labels is None:
        return None, problem
    about = raw.get("about", ())
    about = (about,) if isinstance(about, str) else about
    if not isinstance(about, list | tuple) or not all(isinstance(a, str) for a in about):
        return None, "about: expected text or a list of text"
    example = Example(raw["id"], str(raw.get("rupture", "")), raw["client"], raw["response"],
                      labels, where, tuple(about), str(raw.get("hard", "")))
    return example, ""


def load_corpus(folder: Path = CORPUS_DIR) -> Corpus:
    """Every valid line of folder/*.jsonl, split by client line; problems as 'file:line: why'."""
    train: list[Example] = []
    test: list[Example] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.parent.name}/{path.name}:{number}"
            example, problem = parse_line(line, where)
            if example is None:
                problems.append(f"{where}: {problem}")
            elif example.id in seen:
                first = seen[example.id]
                problems.append(f"{where}: id: duplicate {example.id!r} (first at {first})")
            else:
                seen[example.id] = where
                (test if is_test(example.client) else train).append(example)
    return Corpus(tuple(train), tuple(test), tuple(problems))
