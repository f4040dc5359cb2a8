"""The scenario file schema, as a table of field specs (see docs/scenario-format.md)."""

from __future__ import annotations

import re
from typing import Any

from simulator.scenarios.conditions import check_condition
from simulator.scenarios.problems import KeyPath, describe, suggest
from simulator.scenarios.specs import (
    Ctx,
    Custom,
    Field,
    ListOf,
    MapOf,
    Number,
    OneOf,
    OneOrList,
    Spec,
    Struct,
    Text,
    Variant,
    kind_of,
)
from simulator.scenarios.vocabulary import (
    AGE_BANDS,
    ALL_MARKERS,
    DIFFICULTY_LEVELS,
    DIRECTIONS,
    KINDS,
    NOTICE_FAMILIES,
    OUTCOMES,
    RESPOND_MODES,
    RISK_KINDS,
    RUPTURE_TYPES,
    SETTINGS,
    STRATEGIES,
    family_of,
)
from simulator.scoring.indicators import regex_problem

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_HINT = "lowercase-with-hyphens (letters, digits and single hyphens)"
ABOUT_MAX_CHARS = 60


def _marker(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    if not isinstance(value, str):
        ctx.error(path, f"expected a marker id, got {describe(value)}")
        return False
    if value not in ALL_MARKERS:
        ctx.error(path, f"unknown marker '{value}'{suggest(value, ALL_MARKERS, list_known=False)}")
        return False
    return True


def _node_ref(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    if not isinstance(value, str):
        ctx.error(path, f"expected a node id, got {describe(value)}")
        return False
    if value not in ctx.node_ids:
        ctx.error(path, f"unknown node '{value}'{suggest(value, ctx.node_ids)}")
        return False
    return True


def _rubric_key(ctx: Ctx, key: str, path: KeyPath) -> bool:
    """A key that must be a criterion or flag id of the scenario's rubric."""
    if ctx.rubric_ids is None or key in ctx.rubric_ids:
        return True
    ctx.error(path, f"unknown rubric id '{key}'{suggest(key, ctx.rubric_ids)}", at_key=True)
    return False


def _criterion(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    """A criterion id of the scenario's rubric (flags are not moves a moment needs)."""
    if not Text().check(ctx, value, path):
        return False
    known = ctx.extra.get("criteria")
    if known is None or value in known:
        return True
    ctx.error(path, f"'{value}' is not a criterion of the rubric{suggest(value, known)}")
    return False


def _unique(ctx: Ctx, value: Any, path: KeyPath) -> None:
    """Report repeated entries of a list (the second and later ones)."""
    seen: set = set()
    for i, item in enumerate(value if isinstance(value, list) else ()):
        key = item.strip().lower() if isinstance(item, str) else item
        if key in seen:
            ctx.error((*path, i), f"'{item}' is listed twice")
        seen.add(key)


def _about_phrase(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    """A short phrase naming what the rupture is about (what a specific answer would name)."""
    if not Text().check(ctx, value, path):
        return False
    if len(value) > ABOUT_MAX_CHARS:
        ctx.error(path, f"{len(value)} characters; keep each phrase to {ABOUT_MAX_CHARS} "
                        "(a few words a trainee might type)")
        return False
    if not re.search(r"[A-Za-z]", value):
        ctx.error(path, f"'{value}' names nothing a trainee could type (needs a word)")
        return False
    return True


def _distinct(spec: Spec) -> Custom:
    """The list spec, plus no entry listed twice."""
    def check(ctx: Ctx, value: Any, path: KeyPath) -> bool:
        ok = spec.check(ctx, value, path)
        _unique(ctx, value, path)
        return ok
    return Custom(check)


def _regex(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    if not Text().check(ctx, value, path):
        return False
    problem = regex_problem(value)
    if problem and ctx.extra.get("stored"):  # saved before today's rules: load, match nothing
        ctx.warning(path, f"{problem} (this stored version loads without it)")
        return True
    if problem:
        ctx.error(path, problem)
    return problem is None


def _notice_markers_fit_family(ctx: Ctx, notice: dict, path: KeyPath) -> None:
    """Withdrawal and confrontation markers exclude each other; testing may show either."""
    family, markers = notice.get("family"), notice.get("markers")
    if family not in ("withdrawal", "confrontation") or not isinstance(markers, list):
        return
    for i, marker in enumerate(markers):
        owner = family_of(marker) if isinstance(marker, str) else None
        if owner in ("withdrawal", "confrontation") and owner != family:
            ctx.error((*path, "markers", i), f"marker '{marker}' is a {owner} marker, "
                                             f"but the notice family is {family}")


def _respond_needs(ctx: Ctx, node: dict, path: KeyPath) -> None:
    """free/both need exemplars; choice/both need choices; unused choices are a warning."""
    mode = node.get("respond", "free")
    if mode not in RESPOND_MODES:
        return
    if mode in ("free", "both") and "exemplars" not in node:
        ctx.error(path, f"missing 'exemplars' (required when respond is {mode})", at_key=True)
    if mode in ("choice", "both") and "choices" not in node:
        ctx.error(path, f"missing 'choices' (required when respond is {mode})", at_key=True)
    if mode == "free" and "choices" in node:
        ctx.warning((*path, "choices"), "choices are ignored because respond is free "
                                        "(set respond: both to offer them)", at_key=True)


def _otherwise_last(ctx: Ctx, node: dict, path: KeyPath) -> None:
    branches = node.get("branches")
    if not isinstance(branches, list):
        return
    where = [i for i, b in enumerate(branches) if isinstance(b, dict) and "otherwise" in b]
    if not where:
        ctx.error((*path, "branches"), "missing the final 'otherwise' branch (where the "
                                       "conversation goes when no condition holds)")
    for i in where[1:]:
        ctx.error((*path, "branches", i), "'otherwise' appears more than once; keep one, last")
    if where and where[0] != len(branches) - 1:
        ctx.error((*path, "branches", where[0]), "'otherwise' must be the last branch")


def _boolean(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    if not isinstance(value, bool):
        ctx.error(path, f"expected true or false, got {describe(value)}")
        return False
    return True


def _rule_has_effect(ctx: Ctx, rule: dict, path: KeyPath) -> None:
    if "salience" not in rule and "direction" not in rule:
        ctx.error(path, "a rule needs 'salience' (a change such as -1) or 'direction'")


def _risk_cues_in_say(ctx: Ctx, node: dict, path: KeyPath) -> None:
    """Each risk cue quotes words the client actually says at this node."""
    say, risks = node.get("say"), node.get("risk")
    if not isinstance(say, str) or not isinstance(risks, list):
        return
    spoken = " ".join(say.lower().split())
    for i, risk in enumerate(risks):
        cue = risk.get("cue") if isinstance(risk, dict) else None
        if isinstance(cue, str) and " ".join(cue.lower().split()) not in spoken:
            ctx.error((*path, "risk", i, "cue"), f"'{cue.strip()}' is not in what the client says "
                                                 "at this node (quote the words of `say` that "
                                                 "carry the risk)")


def _drill_fields(ctx: Ctx, node: dict, path: KeyPath) -> None:
    """`level` belongs to drill statements: required in a drill, refused in a scenario."""
    drill = ctx.extra.get("kind") == "drill"
    if drill and "level" not in node:
        ctx.error(path, "missing 'level' (1 beginner, 2 intermediate, 3 advanced: every drill "
                        "statement has one)", at_key=True)
    if not drill and "level" in node:
        ctx.error((*path, "level"), "'level' is for drill statements; this file is not a drill "
                                    "(add kind: drill, or remove it)", at_key=True)


NODE_REF = Custom(_node_ref)
CONDITION = Custom(check_condition)
SCORES = MapOf(Number(0, 1), key=_rubric_key, min_items=1)

BRANCH = Variant({
    "otherwise": Struct({"otherwise": Field(NODE_REF)}),
    "when": Struct({"when": Field(CONDITION), "goto": Field(NODE_REF)}),
})
CHOICE = Struct({
    "text": Field(Text()),
    "scores": Field(SCORES),
    "feedback": Field(Text()),
    "goto": Field(NODE_REF, required=False),
})
NOTICE = Struct({
    "family": Field(OneOf(NOTICE_FAMILIES)),
    "markers": Field(ListOf(Custom(_marker), min_items=1)),
}, rules=(_notice_markers_fit_family,))
RISK = Struct({
    "kind": Field(OneOf(RISK_KINDS)),
    "cue": Field(Text()),
})
EXEMPLARS = Struct({
    "strong": Field(ListOf(Text(), min_items=1)),
    "weak": Field(ListOf(Text(), min_items=1)),
})
CLIENT_NODE = Struct({
    "say": Field(Text()),
    "cue": Field(Text()),
    "inner": Field(Text(), required=False),
    "respond": Field(OneOf(RESPOND_MODES), required=False),
    "notice": Field(NOTICE, required=False),
    "about": Field(_distinct(ListOf(Custom(_about_phrase), min_items=1, max_items=8)),
                   required=False),
    "needs": Field(_distinct(ListOf(Custom(_criterion), min_items=1, max_items=3)),
                   required=False),
    "indicators": Field(MapOf(ListOf(Custom(_regex), min_items=1), key=_rubric_key),
                        required=False),
    "exemplars": Field(EXEMPLARS, required=False),
    "choices": Field(ListOf(CHOICE, min_items=2, max_items=5), required=False),
    "risk": Field(ListOf(RISK, min_items=1, max_items=3), required=False),
    "repair": Field(_distinct(ListOf(OneOf(tuple(STRATEGIES)), min_items=1, max_items=3)),
                    required=False),
    "apology_colludes": Field(Custom(_boolean), required=False),
    "level": Field(Number(1, 3, whole=True), required=False),
    "branches": Field(ListOf(BRANCH, min_items=1)),
}, rules=(_respond_needs, _otherwise_last, _risk_cues_in_say, _drill_fields))
ENDING_NODE = Struct({
    "ending": Field(OneOf(OUTCOMES)),
    "say": Field(Text(), required=False),
    "cue": Field(Text(), required=False),
    "inner": Field(Text(), required=False),
    "debrief": Field(Text()),
})
# Registry of node kinds, picked by the key a node has; a node without `ending` is a client node.
NODE_KINDS = {"ending": ENDING_NODE, "say": CLIENT_NODE}
NODE = Variant(NODE_KINDS)

ALLIANCE_RULE = Struct({
    "when": Field(CONDITION),
    "salience": Field(Number(-4, 4, whole=True), required=False),
    "direction": Field(OneOf(DIRECTIONS), required=False),
}, rules=(_rule_has_effect,))
ALLIANCE = Struct({
    "salience": Field(Number(1, 5, whole=True)),
    "direction": Field(OneOf(DIRECTIONS)),
    "rules": Field(ListOf(ALLIANCE_RULE), required=False),
})
def _age_in_band(ctx: Ctx, client: dict, path: KeyPath) -> None:
    age, band = client.get("age"), client.get("age_band")
    if band not in AGE_BANDS or isinstance(age, bool) or not isinstance(age, int):
        return
    low, high = AGE_BANDS[band]
    if not low <= age <= high:
        ctx.error((*path, "age_band"), f"age {age} is not in the {band} band ({low}-{high})")


CLIENT = Struct({
    "name": Field(Text()),
    "age": Field(Number(13, 100, whole=True)),
    "age_band": Field(OneOf(tuple(AGE_BANDS)), required=False),
    "pronouns": Field(Text(), required=False),
    "background": Field(Text(), required=False),
    "context": Field(Text()),
    "session": Field(Number(1, None, whole=True)),
    "history": Field(Text()),
}, rules=(_age_in_band,))


def _id_matches_file(ctx: Ctx, scenario: dict, path: KeyPath) -> None:
    stem = ctx.extra.get("stem")
    value = scenario.get("id")
    if stem and isinstance(value, str) and value != stem:
        ctx.error(("id",), f"id '{value}' does not match the file name '{stem}'")


# Added by issue 16: required of every new file; a version already stored without them (an
# attempt or upload refers to it) still loads, with a warning (build.py supplies the default).
_LATER_FIELDS = {
    "setting": f"one of {', '.join(SETTINGS)}",
    "difficulty_reason": "one line on why the scenario sits at its level",
}


def _later_fields(ctx: Ctx, scenario: dict, path: KeyPath) -> None:
    for key, what in _LATER_FIELDS.items():
        if key in scenario:
            continue
        if ctx.extra.get("stored"):
            ctx.warning((), f"missing '{key}' ({what}); this stored version loads without it",
                        at_key=True)
        else:
            ctx.error((), f"missing '{key}' ({what})", at_key=True)


def _drill_needs_mastery(ctx: Ctx, scenario: dict, path: KeyPath) -> None:
    drill = scenario.get("kind") == "drill"
    if drill and "mastery" not in scenario:
        ctx.error((), "missing 'mastery' (a drill states when it is mastered)", at_key=True)
    if not drill and "mastery" in scenario:
        ctx.error(("mastery",), "'mastery' is for drills; add kind: drill or remove it",
                  at_key=True)


MASTERY = Struct({
    "overall": Field(Number(0, 1)),
    "misses": Field(Number(0, 10, whole=True)),
    "statement": Field(Text()),
})


def _rubric_ref(ctx: Ctx, value: Any, path: KeyPath) -> bool:
    if not Text().check(ctx, value, path):
        return False
    message = ctx.extra.get("rubric_problem")
    if message:
        ctx.error(path, message)
    return message is None


SCENARIO = Struct({
    "id": Field(Text(ID_PATTERN, ID_HINT)),
    "title": Field(Text()),
    "summary": Field(Text()),
    "rupture": Field(OneOf(RUPTURE_TYPES)),
    "marker": Field(OneOrList(Custom(_marker))),
    "kind": Field(OneOf(KINDS), required=False),
    "setting": Field(OneOf(SETTINGS), required=False),
    "difficulty": Field(Number(min(DIFFICULTY_LEVELS), max(DIFFICULTY_LEVELS), whole=True)),
    "difficulty_reason": Field(Text(), required=False),
    "mastery": Field(MASTERY, required=False),
    "rubric": Field(Custom(_rubric_ref)),
    "minutes": Field(Number(1, 240, whole=True), required=False),
    "objectives": Field(ListOf(Text(), min_items=1)),
    "client": Field(CLIENT),
    "alliance": Field(ALLIANCE),
    "start": Field(NODE_REF),
    "nodes": Field(MapOf(NODE, min_items=1)),
}, rules=(_id_matches_file, _later_fields, _drill_needs_mastery))


def is_ending(node: Any) -> bool:
    """True for an ending node (a mapping with `ending`)."""
    return isinstance(node, dict) and kind_of(node, NODE_KINDS) == "ending"
