"""Checking a draft's text exactly as `simulator validate` checks a file, without a file name."""

from __future__ import annotations

import re
from collections.abc import Mapping

from simulator.rubric import Rubric
from simulator.scenarios.library import Checked, check_scenario_bytes
from simulator.scenarios.model import Scenario

MAX_DRAFT_CHARS = 256 * 1024
# A top-level `id:` line, for giving a copy its own id without re-writing the author's text.
_ID_LINE = re.compile(r"^id:[ \t]*(['\"]?)([^'\"\n#]*?)\1[ \t]*(#.*)?$", re.MULTILINE)


def normalise(text: str) -> str:
    """The text as saved: browsers send CRLF line ends from a text area; we keep LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_text(text: str, *, rubrics: Mapping[str, Rubric], label: str = "draft",
               stored: bool = False) -> Checked:
    """Every problem in the text, each at its line:column; `result` is the Scenario if valid."""
    return check_scenario_bytes(normalise(text).encode("utf-8"), name=label, rubrics=rubrics,
                                stored=stored, match_file_name=False)


def scenario_of(text: str, *, rubrics: Mapping[str, Rubric]) -> Scenario | None:
    """The scenario a saved text builds (leniently, as any stored version), or None."""
    result = check_text(text, rubrics=rubrics, stored=True).result
    return result if isinstance(result, Scenario) else None


def declared_id(checked: Checked, text: str) -> str | None:
    """The `id` the text declares: from the parsed mapping, or, when the YAML does not parse
    (a draft half-written), from its top-level `id:` line."""
    if checked.loaded is not None:
        data = checked.loaded.data
        value = data.get("id") if isinstance(data, dict) else None
    else:
        line = _ID_LINE.search(text)
        value = line.group(2) if line else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def with_id(text: str, new_id: str) -> str:
    """The text with its top-level `id:` set to new_id (added at the top if it has none)."""
    if _ID_LINE.search(text):
        return _ID_LINE.sub(lambda m: f"id: {new_id}", text, count=1)
    return f"id: {new_id}\n{text}"


def first_yaml_block(markdown: str) -> str | None:
    """The first ```yaml fenced block of a Markdown text (the guide's worked example)."""
    found = re.search(r"^```ya?ml[ \t]*\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    return found.group(1) if found else None


def starter(guide_markdown: str | None, new_id: str) -> str:
    """A new scenario's first text: the authoring guide's worked example under a new id."""
    example = first_yaml_block(guide_markdown or "")
    if example is None:
        return f"id: {new_id}\ntitle: \nsummary: \nrupture: withdrawal\nrubric: repair-core\n"
    return with_id(example, new_id)
