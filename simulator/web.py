"""Helpers for views: page-or-fragment rendering and evidence highlighting."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, make_response, render_template

from simulator.extensions import htmx


def wants_fragment() -> bool:
    """True for htmx requests that swap part of a page (not boosted, not history restores)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context) -> Response:
    """Render the fragment for an htmx swap, else the whole page; caches keep them apart."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def highlight(text: str, spans: Sequence[Sequence[int]]) -> list[tuple[str, bool]]:
    """Split text into (segment, is_evidence) pairs; templates escape every segment."""
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if end <= cursor or start >= end:
            continue
        start = max(start, cursor)
        if start > cursor:
            pieces.append((text[cursor:start], False))
        pieces.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


def credited_spans(scores: dict, min_level: int = 2) -> list[list[int]]:
    """Evidence spans of the criteria that reached `min_level` in a stored turn's scores."""
    return [span for item in scores.get("criteria", {}).values() if item["level"] >= min_level
            for span in item.get("evidence", [])]
