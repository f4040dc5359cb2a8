"""Validate files and folders of scenarios and rubrics: the engine behind `simulator validate`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from simulator.scenarios.coverage import Coverage, coverage
from simulator.scenarios.library import (
    RUBRICS_FOLDER,
    Checked,
    RubricSet,
    check_scenario_file,
    rubric_files,
    yaml_files,
)
from simulator.scenarios.model import Scenario
from simulator.scenarios.problems import Problem, Reporter, count
from simulator.scenarios.self_test import check_exemplars, find_scorer
from simulator.wording import plural


@dataclass
class FileResult:
    """One checked file."""

    path: str
    kind: str  # "scenario" | "rubric"
    checked: Checked


@dataclass
class Report:
    """Everything `validate` found, in file order, plus notes such as a skipped self-test."""

    files: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    coverage: Coverage | None = None  # what a validated folder covers (printed after the summary)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.checked.problems]

    def counts(self) -> tuple[int, int]:
        """(errors, warnings)."""
        return count(self.problems)

    def summary(self) -> str:
        """`12 scenarios, 1 rubric: 0 errors, 3 warnings` (and `, 3 drills` when there are)."""
        errors, warnings = self.counts()
        drills = sum(1 for f in self.files if f.kind == "scenario" and _is_drill(f))
        scenarios = sum(1 for f in self.files if f.kind == "scenario") - drills
        rubrics = len(self.files) - scenarios - drills
        drilled = f", {plural(drills, 'drill')}" if drills else ""
        return (f"{plural(scenarios, 'scenario')}{drilled}, {plural(rubrics, 'rubric')}: "
                f"{plural(errors, 'error')}, {plural(warnings, 'warning')}")

    def as_dict(self) -> dict[str, object]:
        """The `--format json` shape."""
        errors, warnings = self.counts()
        return {
            "files": [{"path": f.path, "kind": f.kind} for f in self.files],
            "problems": [p.as_dict() for p in self.problems],
            "errors": errors,
            "warnings": warnings,
            "notes": self.notes,
        }


def _is_drill(found: FileResult) -> bool:
    """A drill, by its validated model or, for a file with errors, by its `kind:` line."""
    result = found.checked.result
    if isinstance(result, Scenario):
        return result.is_drill
    try:
        text = Path(found.path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.split("#")[0].strip() == "kind: drill" for line in text.splitlines())


def collect_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """(file, kind) for every path: folders give their *.yaml and rubrics/*.yaml; no repeats."""
    found: dict[Path, tuple[Path, str]] = {}
    for path in paths:
        if path.is_dir():
            listed = [(p, "rubric") for p in rubric_files(path)]
            listed += [(p, "scenario") for p in yaml_files(path)]
        else:
            listed = [(path, "rubric" if path.parent.name == RUBRICS_FOLDER else "scenario")]
        for file, kind in listed:
            found.setdefault(file.resolve(), (file, kind))
    return sorted(found.values(), key=lambda item: item[1] == "scenario")


def validate_paths(paths: Iterable[Path], *, self_test: bool = True) -> Report:
    """Check every scenario and rubric under paths; optionally run the exemplar self-test."""
    report = Report()
    rubric_set = RubricSet()
    paths_list = list(paths)
    for path, kind in collect_files(paths_list):
        checked = (rubric_set.check_file(path) if kind == "rubric"
                   else check_scenario_file(path, rubric_set))
        report.files.append(FileResult(str(path), kind, checked))
    if self_test:
        _self_test(report)
    if any(Path(p).is_dir() for p in paths_list):
        report.coverage = coverage(f.checked.result for f in report.files
                                   if isinstance(f.checked.result, Scenario))
    return report


def _self_test(report: Report) -> None:
    scenarios = [f.checked for f in report.files if isinstance(f.checked.result, Scenario)]
    if not scenarios:
        return
    score, why = find_scorer()
    if score is None:
        report.notes.append(why)
        return
    for checked in scenarios:
        reporter: Reporter = checked.reporter
        check_exemplars(checked.result, reporter, score)  # type: ignore[arg-type]
