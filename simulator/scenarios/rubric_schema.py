"""The rubric file schema (scenarios/rubrics/<id>.yaml) and building a `simulator.rubric.Rubric`."""

from __future__ import annotations

from simulator.rubric import DEFAULT_PENALTY, Level, Rubric, RubricItem
from simulator.scenarios.problems import KeyPath, suggest
from simulator.scenarios.schema import ID_HINT, ID_PATTERN
from simulator.scenarios.specs import Ctx, Custom, Field, ListOf, MapOf, Number, Struct, Text
from simulator.scenarios.vocabulary import RUPTURE_TYPES

ITEM_ID_PATTERN = r"[a-z0-9_]+"
ITEM_ID_HINT = "made of lowercase letters, digits and underscores"
# Rubrics whose ids the rest of the product relies on: id -> (criteria, flags) that must exist.
REQUIRED_IDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "repair-core": (
        ("reflection", "validation", "exploration", "ownership", "metacommunication",
         "collaboration"),
        ("advice", "defensiveness", "dismissing", "blame", "self_focus", "contradicting",
         "formulaic"),
    ),
}


def _levels_ascend(ctx: Ctx, item: dict, path: KeyPath) -> None:
    levels = item.get("levels")
    if not isinstance(levels, list) or not all(isinstance(lv, dict) for lv in levels):
        return
    mins = [lv.get("min") for lv in levels]
    if not all(isinstance(m, int | float) and not isinstance(m, bool) for m in mins):
        return
    if mins and mins[0] != 0:
        ctx.error((*path, "levels", 0, "min"), f"the first level must have min 0, got {mins[0]}")
    for i in range(1, len(mins)):
        if mins[i] <= mins[i - 1]:
            ctx.error((*path, "levels", i, "min"),
                      f"{mins[i]} is not above the previous level's min {mins[i - 1]}")
    for i, level in enumerate(levels):
        if isinstance(level.get("level"), int) and level["level"] != i:
            ctx.error((*path, "levels", i, "level"), f"levels count up from 0: expected {i}, "
                                                     f"got {level['level']}")


LEVEL = Struct({
    "level": Field(Number(0, 4, whole=True)),
    "min": Field(Number(0, 1)),
    "label": Field(Text()),
    "feedback": Field(Text()),
})
_ITEM_FIELDS = {
    "id": Field(Text(ITEM_ID_PATTERN, ITEM_ID_HINT)),
    "name": Field(Text()),
    "description": Field(Text()),
    "source": Field(Text()),
    "levels": Field(ListOf(LEVEL, min_items=2, max_items=5)),
}
CRITERION = Struct(_ITEM_FIELDS, rules=(_levels_ascend,))
FLAG = Struct({**_ITEM_FIELDS, "penalty": Field(Number(0, 1), required=False)},
              rules=(_levels_ascend,))


def _ids_unique(ctx: Ctx, rubric: dict, path: KeyPath) -> None:
    seen: dict[str, str] = {}
    for section in ("criteria", "flags"):
        items = rubric.get(section)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            where = f"{section}[{i}]"
            if item_id in seen:
                ctx.error((section, i, "id"), f"duplicate id '{item_id}' (also {seen[item_id]})")
            seen.setdefault(item_id, where)


def _required_ids(ctx: Ctx, rubric: dict, path: KeyPath) -> None:
    rubric_id = rubric.get("id")
    required = REQUIRED_IDS.get(rubric_id) if isinstance(rubric_id, str) else None
    for section, wanted in zip(("criteria", "flags"), required or (), strict=False):
        items = rubric.get(section)
        items = items if isinstance(items, list) else []
        have = {item.get("id") for item in items if isinstance(item, dict)}
        missing = [w for w in wanted if w not in have]
        if missing:
            ctx.error((section,), f"{rubric_id} must have the {section} "
                                  f"{', '.join(missing)} (missing)", at_key=True)


def _family(ctx: Ctx, key: str, path: KeyPath) -> bool:
    if key in RUPTURE_TYPES:
        return True
    ctx.error(path, f"'{key}' is not a rupture family{suggest(key, RUPTURE_TYPES)}",
              at_key=True)
    return False


def _criterion_of_rubric(ctx: Ctx, value: object, path: KeyPath) -> bool:
    """An id of one of this rubric's own criteria (read from the document being checked)."""
    if not Text().check(ctx, value, path):
        return False
    known = tuple(c.get("id") for c in ctx.extra.get("document", {}).get("criteria", [])
                  if isinstance(c, dict))
    if value in known:
        return True
    ctx.error(path, f"'{value}' is not a criterion of this rubric{suggest(value, known)}")
    return False


def _id_matches_file(ctx: Ctx, rubric: dict, path: KeyPath) -> None:
    stem, value = ctx.extra.get("stem"), rubric.get("id")
    if stem and isinstance(value, str) and value != stem:
        ctx.error(("id",), f"id '{value}' does not match the file name '{stem}'")


RUBRIC = Struct({
    "id": Field(Text(ID_PATTERN, ID_HINT)),
    "name": Field(Text()),
    "description": Field(Text()),
    "criteria": Field(ListOf(CRITERION, min_items=1)),
    "flags": Field(ListOf(FLAG)),
    "needs": Field(MapOf(ListOf(Custom(_criterion_of_rubric), min_items=1, max_items=4),
                         key=_family), required=False),
}, rules=(_ids_unique, _required_ids, _id_matches_file))


def build_rubric(data: dict) -> Rubric:
    """The Rubric for validated rubric data."""
    def item(raw: dict, kind: str) -> RubricItem:
        levels = tuple(Level(lv["level"], float(lv["min"]), lv["label"], lv["feedback"].strip())
                       for lv in raw["levels"])
        return RubricItem(
            id=raw["id"], kind=kind, name=raw["name"], description=raw["description"].strip(),
            source=raw["source"], levels=levels,
            penalty=float(raw.get("penalty", DEFAULT_PENALTY)),
        )

    return Rubric(
        id=data["id"], name=data["name"], description=data["description"].strip(),
        criteria=tuple(item(c, "criterion") for c in data["criteria"]),
        flags=tuple(item(f, "flag") for f in data["flags"]),
        needs={family: tuple(ids) for family, ids in data.get("needs", {}).items()},
    )
