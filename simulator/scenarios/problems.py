"""Validation problems with their file location, and the collector that records them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

KeyPath = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based (line, column)
MAX_LISTED = 16  # a did-you-mean list longer than this stops helping


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a second look (warning) in a scenario or rubric file."""

    path: str
    line: int | None
    column: int | None
    key_path: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.column}"
        parts = [where, self.key_path] if self.key_path else [where]
        if self.severity == WARNING:
            parts.append("warning")
        return ": ".join([*parts, self.message])

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, object]:
        """The problem as plain JSON-ready data (the `validate --format json` shape)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "key": self.key_path,
            "message": self.message,
            "severity": self.severity,
        }


def format_key_path(key_path: KeyPath) -> str:
    """`("nodes", "a", "branches", 1)` -> `nodes.a.branches[1]`."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def suggest(word: object, options: Iterable[str], *, list_known: bool = True) -> str:
    """A did-you-mean hint, else (optionally) the known names, as a parenthesised suffix."""
    options = [str(o) for o in options]
    close = difflib.get_close_matches(str(word), options, n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if not list_known or not options:
        return ""
    shown = ", ".join(options[:MAX_LISTED]) + (", ..." if len(options) > MAX_LISTED else "")
    return f" (known: {shown})"


def describe(value: object) -> str:
    """How a YAML value reads to an author: `a number (3)`, `text ('x')`, `a list`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"text ('{shown}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass
class Reporter:
    """Collects problems for one file, placing each at the line:column recorded for its key path."""

    path: str
    marks: dict[KeyPath, tuple[Mark | None, Mark]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, key_path: KeyPath, *, at_key: bool = False) -> Mark | None:
        """The mark of the nearest recorded ancestor of key_path (the key itself if at_key)."""
        path = tuple(key_path)
        while True:
            if path in self.marks:
                key_mark, value_mark = self.marks[path]
                return key_mark if at_key and key_mark else value_mark
            if not path:
                return None
            path, at_key = path[:-1], True

    def add(self, key_path: KeyPath, message: str, *, severity: str = ERROR,
            at_key: bool = False, mark: Mark | None = None) -> None:
        """Record a problem at key_path (or at an explicit mark)."""
        mark = mark or self.locate(key_path, at_key=at_key)
        line, column = mark if mark else (None, None)
        self.problems.append(
            Problem(self.path, line, column, format_key_path(key_path), message, severity)
        )

    def error(self, key_path: KeyPath, message: str, *, at_key: bool = False) -> None:
        """Record an error at key_path."""
        self.add(key_path, message, at_key=at_key)

    def warning(self, key_path: KeyPath, message: str, *, at_key: bool = False) -> None:
        """Record a style warning at key_path."""
        self.add(key_path, message, severity=WARNING, at_key=at_key)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def count(problems: Sequence[Problem]) -> tuple[int, int]:
    """(errors, warnings) in these problems."""
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors
