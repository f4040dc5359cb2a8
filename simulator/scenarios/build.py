"""Turn validated scenario data into the frozen model (never called on data with errors)."""

from __future__ import annotations

from typing import Any

from simulator.rubric import Rubric
from simulator.scenarios.conditions import parse_comparison
from simulator.scenarios.model import (
    Alliance,
    AllianceRule,
    Branch,
    Choice,
    ClientNode,
    Condition,
    Ending,
    Exemplars,
    Mastery,
    Node,
    Notice,
    Persona,
    RiskCue,
    Scenario,
)
from simulator.scenarios.schema import is_ending
from simulator.scenarios.vocabulary import AGE_BANDS

MINUTES_PER_CLIENT_NODE = 2


def build_scenario(data: dict, *, rubric: Rubric, content_hash: str, source_text: str,
                   path: str = "") -> Scenario:
    """The Scenario for validated data."""
    nodes = {nid: build_node(nid, raw) for nid, raw in data["nodes"].items()}
    client_count = sum(1 for n in nodes.values() if not n.is_ending)
    markers = data["marker"] if isinstance(data["marker"], list) else [data["marker"]]
    return Scenario(
        id=data["id"], title=data["title"], summary=data["summary"].strip(),
        rupture=data["rupture"], markers=tuple(markers), difficulty=data["difficulty"],
        rubric=rubric, minutes=data.get("minutes", MINUTES_PER_CLIENT_NODE * client_count),
        objectives=tuple(map(_text, data["objectives"])),
        client=_persona(data["client"]),
        alliance=_alliance(data["alliance"]), start=data["start"], nodes=nodes,
        content_hash=content_hash, source_text=source_text, path=path,
        kind=data.get("kind", "scenario"), setting=data.get("setting", "individual"),
        difficulty_reason=_text(data.get("difficulty_reason")) or "",
        mastery=Mastery(float(data["mastery"]["overall"]), data["mastery"]["misses"],
                        _text(data["mastery"]["statement"])) if "mastery" in data else None,
    )


def _persona(raw: dict) -> Persona:
    fields = {k: _text(v) for k, v in raw.items()}
    if "age_band" not in fields:  # not written: the band of the age
        fields["age_band"] = next((band for band, (low, high) in AGE_BANDS.items()
                                   if low <= raw["age"] <= high), None)
    return Persona(**fields)


def build_conditions(when: dict[str, Any]) -> tuple[Condition, ...]:
    """`{ownership: ">= 0.5", direction: away}` -> Conditions."""
    conditions = []
    for measure, value in when.items():
        if measure == "direction":
            conditions.append(Condition(measure, "==", value))
        else:
            op, number = parse_comparison(value)  # type: ignore[misc]  # validated already
            conditions.append(Condition(measure, op, number))
    return tuple(conditions)


def _text(value: str | None) -> str | None:
    """Folded YAML text (`>`) ends in a newline; the words are what matter."""
    return value.strip() if isinstance(value, str) else value


def build_node(nid: str, raw: dict) -> Node:
    """A ClientNode or Ending from validated node data."""
    if is_ending(raw):
        return Ending(id=nid, outcome=raw["ending"], debrief=raw["debrief"].strip(),
                      say=_text(raw.get("say")), cue=_text(raw.get("cue")),
                      inner=_text(raw.get("inner")))
    notice = raw.get("notice")
    exemplars = raw.get("exemplars")
    return ClientNode(
        id=nid, say=_text(raw["say"]), cue=_text(raw["cue"]), inner=_text(raw.get("inner")),
        respond=raw.get("respond", "free"),
        branches=tuple(_branch(b) for b in raw["branches"]),
        notice=Notice(notice["family"], tuple(notice["markers"])) if notice else None,
        indicators={k: tuple(v) for k, v in raw.get("indicators", {}).items()},
        exemplars=Exemplars(tuple(map(_text, exemplars["strong"])),
                            tuple(map(_text, exemplars["weak"]))) if exemplars else None,
        choices=tuple(Choice(_text(c["text"]), {k: float(v) for k, v in c["scores"].items()},
                             _text(c["feedback"]), c.get("goto")) for c in raw.get("choices", [])),
        about=tuple(phrase.strip() for phrase in raw.get("about", ())),
        needs=tuple(raw.get("needs", ())),
        risk=tuple(RiskCue(r["kind"], " ".join(r["cue"].split())) for r in raw.get("risk", ())),
        repair=tuple(raw.get("repair", ())),
        apology_colludes=raw.get("apology_colludes", False),
        level=raw.get("level"),
    )


def _branch(raw: dict) -> Branch:
    if "otherwise" in raw:
        return Branch(goto=raw["otherwise"], otherwise=True)
    return Branch(goto=raw["goto"], conditions=build_conditions(raw["when"]))


def _alliance(raw: dict) -> Alliance:
    rules = tuple(
        AllianceRule(build_conditions(r["when"]), r.get("salience", 0), r.get("direction"))
        for r in raw.get("rules", [])
    )
    return Alliance(raw["salience"], raw["direction"], rules)
