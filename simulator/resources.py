"""Where packaged resources live: inside the package in a wheel, at the repo root in a checkout."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# A wheel carries the top-level folders inside the package (see pyproject's force-include);
# an editable install or a plain checkout finds them next to the package.
_BUNDLED = PACKAGE_DIR / "_bundled"
_CHECKOUT = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """The folder `name` (templates, static, scenarios, docs) shipped with this installation."""
    bundled = _BUNDLED / name
    return bundled if bundled.is_dir() else _CHECKOUT / name


def scenarios_dir() -> Path:
    """The scenario library: SIMULATOR_SCENARIOS_DIR if set, else the shipped library."""
    configured = os.environ.get("SIMULATOR_SCENARIOS_DIR")
    return Path(configured) if configured else resource_dir("scenarios")
