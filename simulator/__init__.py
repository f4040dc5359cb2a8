"""Holding Space: a training simulator for repairing ruptures in the therapeutic alliance."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: dict | None = None) -> Flask:
    """Build a configured app. Imported lazily, so the domain core loads without Flask."""
    from simulator.app import create_app as build

    return build(test_config)
