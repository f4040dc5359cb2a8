"""Test-only npm tools (axe-core, the test LRS), installed from their lock file on first use."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def npm_ci(folder: Path, installed: Path, what: str, *, timeout: int = 600) -> str | None:
    """Run `npm ci` in `folder` unless `installed` exists; None when ready, else the reason."""
    if installed.is_file():
        return None
    npm = shutil.which("npm")
    prefix = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    if npm is None:
        return (f"npm is not installed, so {what} cannot be installed "
                f"(apt-get install -y npm, then npm ci --prefix {prefix})")
    result = subprocess.run([npm, "ci", "--prefix", str(folder), "--no-audit", "--no-fund",
                             "--loglevel=error"], capture_output=True, text=True,
                            timeout=timeout, check=False)
    if result.returncode != 0 or not installed.is_file():
        return f"`npm ci --prefix {prefix}` could not install {what}: {result.stderr[-400:]}"
    return None
