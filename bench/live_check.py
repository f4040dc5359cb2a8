"""What the editor's live check costs on each pause in typing (issue 18).

    .venv/bin/python bench/live_check.py [--repeats 20]

For every shipped scenario's text: the check (`simulator.authoring.drafts.check_text`, the
same validator as `simulator validate`) and the branch map drawn from the mapping the check
read (`map_of_data`), as the `/supervise/scenarios/check` view runs them; and the same for
each text with one typo, so that the problem list is not empty. Reports CPU milliseconds
(process time) per check, p50 and p95 over all texts and repeats. A benchmark, not a test:
it reports and never asserts.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from _common import machine, table

from simulator.authoring.drafts import check_text
from simulator.resources import scenarios_dir
from simulator.scenarios.branch_map import map_of_data
from simulator.scenarios.library import load_library


def _timed(text: str, rubrics) -> tuple[float, float]:
    start = time.process_time()
    checked = check_text(text, rubrics=rubrics)
    middle = time.process_time()
    map_of_data(checked.loaded.data if checked.loaded is not None else None)
    return (middle - start) * 1000, (time.process_time() - middle) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    library = load_library(scenarios_dir())
    texts = [Path(s.path).read_text(encoding="utf-8") for s in library.scenarios.values()]
    kinds = {"valid text": texts,
             "one typo (a misspelt key)": [t.replace("\nrupture:", "\nruptur:", 1) for t in texts]}
    rows = []
    for kind, group in kinds.items():
        checks, maps = [], []
        for _ in range(args.repeats):
            for text in group:
                check_ms, map_ms = _timed(text, library.rubrics)
                checks.append(check_ms)
                maps.append(map_ms)
        total = [c + m for c, m in zip(checks, maps, strict=True)]
        lines = statistics.mean(len(t.splitlines()) for t in group)
        rows.append([kind, len(total), f"{lines:.0f}",
                     f"{statistics.median(checks):.1f}", f"{statistics.median(maps):.1f}",
                     f"{statistics.median(total):.1f}",
                     f"{statistics.quantiles(total, n=20)[18]:.1f}"])
    print(machine())
    print(table(["text", "checks", "mean lines", "check ms p50", "map ms p50",
                 "total ms p50", "total ms p95"], rows))


if __name__ == "__main__":
    main()
