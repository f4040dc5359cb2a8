"""Small helpers for the words people read in messages (no Flask: the domain core uses them)."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """'1 turn', '3 turns': a count with its noun (regular plurals only)."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
