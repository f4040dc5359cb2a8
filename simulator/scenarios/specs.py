"""A small table-driven schema language: each spec checks one value and reports every problem.

Scenario and rubric schemas are written as tables of these specs (see schema.py and
rubric_schema.py) rather than as if-chains, so a new key is one line in a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.scenarios.problems import KeyPath, Reporter, describe, suggest


@dataclass
class Ctx:
    """What a check needs besides the value: the reporter and cross-reference facts."""

    reporter: Reporter
    node_ids: tuple[str, ...] = ()
    rubric_ids: tuple[str, ...] | None = None  # None: rubric unknown, skip id checks
    extra: dict[str, Any] = field(default_factory=dict)

    def error(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        self.reporter.error(path, message, at_key=at_key)

    def warning(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        self.reporter.warning(path, message, at_key=at_key)


class Spec:
    """Checks a value at a key path; returns True when it has the right shape to go on."""

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Spec):
    """Non-empty text, optionally matching a pattern."""

    pattern: str | None = None
    hint: str = ""

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if not isinstance(value, str):
            ctx.error(path, f"expected text, got {describe(value)}")
            return False
        if not value.strip():
            ctx.error(path, "must not be empty")
            return False
        if self.pattern and not re.fullmatch(self.pattern, value):
            ctx.error(path, f"'{value}' is not {self.hint}")
            return False
        return True


@dataclass(frozen=True)
class Number(Spec):
    """A number (or whole number) within lo..hi, bounds included; None means unbounded."""

    lo: float | None = None
    hi: float | None = None
    whole: bool = False

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        kinds = int if self.whole else int | float
        if isinstance(value, bool) or not isinstance(value, kinds):
            ctx.error(path, f"expected {'a whole number' if self.whole else 'a number'}, "
                            f"got {describe(value)}")
            return False
        low_ok = self.lo is None or value >= self.lo
        if not (low_ok and (self.hi is None or value <= self.hi)):  # NaN fails both
            ctx.error(path, f"must be {_range_text(self.lo, self.hi)}, got {value}")
            return False
        return True


def _range_text(lo: float | None, hi: float | None) -> str:
    if hi is None:
        return f"at least {lo}"
    if lo is None:
        return f"at most {hi}"
    return f"between {lo} and {hi}"


@dataclass(frozen=True)
class OneOf(Spec):
    """Text that is one of a fixed set of words."""

    options: tuple[str, ...]

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if not isinstance(value, str):
            ctx.error(path, f"expected one of {', '.join(self.options)}, got {describe(value)}")
            return False
        if value not in self.options:
            hint = suggest(value, self.options, list_known=False)
            ctx.error(path, f"'{value}' is not one of {', '.join(self.options)}{hint}")
            return False
        return True


@dataclass(frozen=True)
class ListOf(Spec):
    """A list whose items all match `item`, with a length range."""

    item: Spec
    min_items: int = 0
    max_items: int | None = None

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if not isinstance(value, list):
            ctx.error(path, f"expected a list, got {describe(value)}")
            return False
        size_ok = len(value) >= self.min_items and (
            self.max_items is None or len(value) <= self.max_items)
        if not size_ok:
            wanted = (f"at least {self.min_items}" if self.max_items is None
                      else f"{self.min_items} to {self.max_items}")
            wanted = "at least one" if wanted == "at least 1" else wanted
            ctx.error(path, f"needs {wanted} {'item' if wanted == 'at least one' else 'items'}, "
                            f"got {len(value)}")
        results = [self.item.check(ctx, item, (*path, i)) for i, item in enumerate(value)]
        return size_ok and all(results)


@dataclass(frozen=True)
class OneOrList(Spec):
    """A single item or a list of items (e.g. `marker: x` or `marker: [x, y]`)."""

    item: Spec

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if isinstance(value, list):
            return ListOf(self.item, min_items=1).check(ctx, value, path)
        return self.item.check(ctx, value, path)


@dataclass(frozen=True)
class Field:
    """One key of a Struct: its spec and whether it must be present."""

    spec: Spec
    required: bool = True


Rule = Callable[[Ctx, dict, KeyPath], None]


@dataclass(frozen=True)
class Struct(Spec):
    """A mapping with known keys: unknown keys, missing keys and every field are checked."""

    fields: Mapping[str, Field]
    rules: tuple[Rule, ...] = ()

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if not isinstance(value, dict):
            ctx.error(path, f"expected a mapping, got {describe(value)}")
            return False
        ok = True
        for key in value:
            if key not in self.fields:
                ctx.error((*path, key), f"unknown key '{key}'{suggest(key, self.fields)}",
                          at_key=True)
                ok = False
        missing = [key for key, spec in self.fields.items() if spec.required and key not in value]
        if missing:
            ctx.error(path, f"missing required key '{missing[0]}'" if len(missing) == 1
                      else f"missing required keys: {', '.join(missing)}", at_key=True)
        for key, spec in self.fields.items():
            if key in value:
                ok = spec.spec.check(ctx, value[key], (*path, key)) and ok
        ok = ok and not missing
        for rule in self.rules:
            rule(ctx, value, path)
        return ok


KeyCheck = Callable[[Ctx, str, KeyPath], bool]


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping from free keys (each checked by `key`) to values matching `value`."""

    value: Spec
    key: KeyCheck | None = None
    min_items: int = 0

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if not isinstance(value, dict):
            ctx.error(path, f"expected a mapping, got {describe(value)}")
            return False
        ok = len(value) >= self.min_items
        if not ok:
            ctx.error(path, "needs at least one entry" if self.min_items == 1
                      else f"needs at least {self.min_items} entries, got {len(value)}")
        for key, item in value.items():
            key_ok = self.key is None or self.key(ctx, key, (*path, key))
            ok = self.value.check(ctx, item, (*path, key)) and key_ok and ok
        return ok


@dataclass(frozen=True)
class Variant(Spec):
    """A mapping whose kind is picked by which key it has (registry of kind -> spec)."""

    kinds: Mapping[str, Spec]  # discriminating key -> spec; the last entry is the default

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        if not isinstance(value, dict):
            ctx.error(path, f"expected a mapping, got {describe(value)}")
            return False
        return self.kinds[kind_of(value, self.kinds)].check(ctx, value, path)


def kind_of(value: dict, kinds: Mapping[str, Any]) -> str:
    """The first kind whose key the mapping has, else the last (default) kind."""
    return next((key for key in kinds if key in value), list(kinds)[-1])


@dataclass(frozen=True)
class Custom(Spec):
    """A one-off check written as a function (cross references, comparisons)."""

    fn: Callable[[Ctx, Any, KeyPath], bool]

    def check(self, ctx: Ctx, value: Any, path: KeyPath) -> bool:
        return self.fn(ctx, value, path)
