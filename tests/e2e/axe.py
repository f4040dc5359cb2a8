"""axe-core in the page: fail on serious or critical violations, report every other one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

BLOCKING = frozenset({"serious", "critical"})
NODES_SHOWN = 3

# Runs in the page; returns plain data. Passed as a function so the page's CSP (no eval) allows it.
RUN_AXE = """async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact || "unknown", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page, with the elements that break it."""

    page: str
    url: str
    rule: str
    impact: str
    help: str
    nodes: tuple[tuple[str, str], ...]  # (CSS target, axe's failure summary)

    def describe(self) -> str:
        """A few lines a person can act on."""
        shown = "".join(f"\n      {target}: {_first_reason(summary)}"
                        for target, summary in self.nodes[:NODES_SHOWN])
        more = len(self.nodes) - NODES_SHOWN
        extra = f"\n      ... and {more} more" if more > 0 else ""
        return (f"  [{self.page}] {self.rule} ({self.impact}): {self.help} — "
                f"{len(self.nodes)} element(s){shown}{extra}")


@dataclass
class AxeReport:
    """Every page checked in this run and every violation found, for the summary and the file."""

    source: str
    pages: list[str] = field(default_factory=list)
    others: list[Violation] = field(default_factory=list)

    def check(self, page: Page, name: str) -> None:
        """Run axe on the page as it is now; fail on serious or critical violations."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source + "\n;0")
        found = [_violation(name, page.url, raw) for raw in page.evaluate(RUN_AXE)]
        self.pages.append(name)
        blocking = [v for v in found if v.impact in BLOCKING]
        self.others.extend(v for v in found if v.impact not in BLOCKING)
        assert not blocking, (
            f"axe-core found {len(blocking)} serious or critical violation(s) on '{name}' "
            f"({page.url}):\n" + "\n".join(v.describe() for v in blocking))

    def text(self) -> str:
        """The report: pages checked, then every non-blocking violation."""
        lines = [f"axe-core checked {len(self.pages)} page state(s): {', '.join(self.pages)}",
                 f"violations of impact minor or moderate: {len(self.others)}"]
        lines += [v.describe() for v in self.others]
        return "\n".join(lines) + "\n"

    def write(self, path: Path) -> None:
        """Save the report beside the screenshots."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text(), encoding="utf-8")


def _first_reason(summary: str) -> str:
    """The first concrete reason in axe's summary ('Fix any of the following:' lines skipped)."""
    reasons = [line.strip() for line in summary.splitlines()
               if line.strip() and not line.startswith("Fix ")]
    return reasons[0] if reasons else ""


def _violation(name: str, url: str, raw: dict) -> Violation:
    nodes = tuple((n["target"], n["summary"]) for n in raw["nodes"])
    return Violation(name, url, raw["id"], raw["impact"], raw["help"], nodes)
