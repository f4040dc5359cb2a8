"""What a library covers: levels, settings, headline markers, repair strategies, risk and drills.

`simulator validate` prints it for a folder, and the shipped library's test holds it to the
coverage issue 16 asks for (docs/authoring.md, "The difficulty ladder").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.scenarios.model import Scenario
from simulator.scenarios.vocabulary import (
    DIFFICULTY_LEVELS,
    MARKERS,
    SETTINGS,
    STRATEGIES,
)
from simulator.wording import plural


@dataclass(frozen=True)
class Coverage:
    scenarios: int
    drills: int
    levels: dict[int, int]  # scenarios (not drills) per level
    settings: dict[str, int]
    risk_scenarios: tuple[str, ...]
    missing_settings: tuple[str, ...]
    missing_headlines: tuple[str, ...]  # withdrawal and confrontation markers no one leads with
    missing_strategies: tuple[str, ...]  # 3RS strategies no node names in `repair:`
    apology_colludes: tuple[str, ...]  # scenarios with a node where apology alone colludes

    def lines(self) -> list[str]:
        """The report `simulator validate` prints for a folder."""
        levels = ", ".join(f"level {k}: {v}" for k, v in sorted(self.levels.items()))
        settings = ", ".join(f"{k} {v}" for k, v in self.settings.items() if v)
        return [
            f"library: {plural(self.scenarios, 'scenario')} ({levels}) and "
            f"{plural(self.drills, 'drill')}",
            f"settings: {settings}",
            f"risk: {len(self.risk_scenarios)} scenarios carry a risk cue; apology alone "
            f"colludes in {len(self.apology_colludes)}",
            "not yet covered: " + ("; ".join(
                f"{what} {', '.join(items)}" for what, items in (
                    ("settings", self.missing_settings),
                    ("headline markers", self.missing_headlines),
                    ("repair strategies", self.missing_strategies)) if items) or "nothing"),
        ]


def coverage(library: Iterable[Scenario]) -> Coverage:
    found = list(library)
    scenarios = [s for s in found if not s.is_drill]
    drills = [s for s in found if s.is_drill]
    levels = Counter(s.difficulty for s in scenarios)
    settings = Counter(s.setting for s in scenarios)
    headlines = {s.headline for s in scenarios}
    strategies = {r for s in scenarios for n in s.client_nodes.values() for r in n.repair}
    wanted = [m for family in ("withdrawal", "confrontation") for m in MARKERS[family]]
    return Coverage(
        scenarios=len(scenarios), drills=len(drills),
        levels={level: levels.get(level, 0) for level in DIFFICULTY_LEVELS},
        settings={setting: settings.get(setting, 0) for setting in SETTINGS},
        risk_scenarios=tuple(s.id for s in scenarios
                             if any(n.risk for n in s.client_nodes.values())),
        missing_settings=tuple(s for s in SETTINGS if not settings.get(s)),
        missing_headlines=tuple(m for m in wanted if m not in headlines),
        missing_strategies=tuple(s for s in STRATEGIES if s not in strategies),
        apology_colludes=tuple(s.id for s in scenarios
                               if any(n.apology_colludes for n in s.client_nodes.values())),
    )
