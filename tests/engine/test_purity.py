"""The scenario engine and loader are pure domain code: they never import the web layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIMULATOR = Path(__file__).resolve().parents[2] / "simulator"
PURE_MODULES = sorted([*(SIMULATOR / "engine").glob("*.py"),
                       *(SIMULATOR / "scenarios").glob("*.py")])
WEB = ("flask", "flask_login", "flask_wtf", "flask_htmx", "werkzeug", "sqlmodel", "sqlalchemy")


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module)
    return roots


@pytest.mark.parametrize("path", [p for p in PURE_MODULES if p.name != "__main__.py"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_module_imports_no_web_code(path):
    imports = imported_roots(path)
    assert not {m for m in imports if m.split(".")[0] in WEB}
    assert not {m for m in imports if m.startswith("simulator.cli")}
