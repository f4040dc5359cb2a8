"""Load scenarios and rubrics from files or text: every problem reported, nothing ever raised."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from simulator.rubric import Rubric
from simulator.scenarios.build import build_scenario
from simulator.scenarios.checks_graph import check_graph
from simulator.scenarios.checks_style import check_style
from simulator.scenarios.model import Scenario
from simulator.scenarios.problems import Problem, Reporter, describe, suggest
from simulator.scenarios.rubric_schema import RUBRIC, build_rubric
from simulator.scenarios.schema import SCENARIO
from simulator.scenarios.specs import Ctx
from simulator.scenarios.yaml_loader import LoadedYaml, load_yaml

YAML_SUFFIXES = (".yaml", ".yml")
RUBRICS_FOLDER = "rubrics"


@dataclass
class Library:
    """Every valid scenario and rubric in a folder, plus the problems of the files left out."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Checked:
    """The outcome of checking one file: the built object (None if any error) and its problems."""

    reporter: Reporter
    loaded: LoadedYaml | None = None
    result: Scenario | Rubric | None = None

    @property
    def problems(self) -> list[Problem]:
        """The problems in file order (line, then column); file-level ones first."""
        return sorted(self.reporter.problems, key=lambda p: (p.line or 0, p.column or 0))


def _guarded(reporter: Reporter, check: Callable[[], None]) -> None:
    # Validation must never raise: a bug or an input we did not foresee becomes one error line.
    try:
        check()
    except Exception as exc:  # noqa: BLE001
        reporter.problems.append(Problem(
            reporter.path, None, None, "", f"internal error while checking this file "
            f"({type(exc).__name__}: {exc}); please report it with the file attached"))


def _load_mapping(checked: Checked, data: bytes) -> dict | None:
    checked.loaded = load_yaml(data, checked.reporter)
    if checked.loaded is None:
        return None
    if not isinstance(checked.loaded.data, dict):
        checked.reporter.add((), f"expected a mapping of keys at the top of the file, got "
                                 f"{describe(checked.loaded.data)}", mark=(1, 1))
        return None
    checked.reporter.marks = checked.loaded.marks
    return checked.loaded.data


def check_rubric_bytes(data: bytes, *, name: str) -> Checked:
    """Validate a rubric file's bytes; `result` is the Rubric when there are no errors."""
    checked = Checked(Reporter(name))

    def run() -> None:
        raw = _load_mapping(checked, data)
        if raw is None:
            return
        ctx = Ctx(checked.reporter, extra={"stem": PurePath(name).stem, "document": raw})
        RUBRIC.check(ctx, raw, ())
        if not checked.reporter.has_errors:
            checked.result = build_rubric(raw)

    _guarded(checked.reporter, run)
    return checked


def check_scenario_bytes(data: bytes, *, name: str, rubrics: Mapping[str, Rubric],
                         broken_rubrics: Mapping[str, str] | None = None,
                         stored: bool = False, match_file_name: bool = True) -> Checked:
    """Validate a scenario file's bytes against known rubrics; `result` is the Scenario if valid.

    `match_file_name`: the id must equal the file name's stem (files in a library folder);
    text written or uploaded on the web has no file name of its own, so its id is what counts.

    `stored`: a version already saved (an attempt or upload refers to it). An indicator pattern
    that today's rules refuse is then a warning, and the pattern gives no evidence, so the
    attempts on that version stay readable instead of failing to load.
    """
    checked = Checked(Reporter(name))

    def run() -> None:
        raw = _load_mapping(checked, data)
        if raw is None:
            return
        rubric = _resolve_rubric(raw.get("rubric"), rubrics, broken_rubrics or {})
        nodes = raw.get("nodes")
        ctx = Ctx(checked.reporter,
                  node_ids=tuple(nodes) if isinstance(nodes, dict) else (),
                  rubric_ids=(*rubric.criterion_ids, *rubric.flag_ids)
                  if isinstance(rubric, Rubric) else None,
                  extra={"stem": PurePath(name).stem if match_file_name else None,
                         "stored": stored,
                         "kind": raw.get("kind", "scenario"),
                         "criteria": rubric.criterion_ids if isinstance(rubric, Rubric) else None,
                         "rubric_problem": rubric if isinstance(rubric, str) else None})
        SCENARIO.check(ctx, raw, ())
        check_graph(ctx, raw)
        check_style(ctx, raw)
        if not checked.reporter.has_errors and isinstance(rubric, Rubric):
            checked.result = build_scenario(
                raw, rubric=rubric, content_hash=hashlib.sha256(data).hexdigest(),
                source_text=data.decode("utf-8-sig"), path=name)

    _guarded(checked.reporter, run)
    return checked


def _resolve_rubric(rubric_id: object, rubrics: Mapping[str, Rubric],
                    broken: Mapping[str, str]) -> Rubric | str | None:
    """The Rubric, or a message saying why it cannot be used (None: the schema reports it)."""
    if not isinstance(rubric_id, str):
        return None
    if rubric_id in rubrics:
        return rubrics[rubric_id]
    if rubric_id in broken:
        return f"rubric '{rubric_id}' has errors; fix {broken[rubric_id]} first"
    known = sorted({*rubrics, *broken})
    if not known:
        return (f"unknown rubric '{rubric_id}': there is no {RUBRICS_FOLDER}/{rubric_id}.yaml "
                "next to this scenario")
    return f"unknown rubric '{rubric_id}'{suggest(rubric_id, known)}"


def load_scenario_text(text: str, *, name: str, rubrics: Mapping[str, Rubric],
                       stored: bool = False) -> tuple[Scenario | None, list[Problem]]:
    """Load scenario text; `name` is its file name (stem = scenario id). `stored`: a saved
    snapshot or upload, loaded leniently (see check_scenario_bytes)."""
    checked = check_scenario_bytes(text.encode("utf-8"), name=name, rubrics=rubrics,
                                   stored=stored)
    return checked.result, checked.problems  # type: ignore[return-value]


def _read(path: Path, reporter: Reporter) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        reporter.error((), f"cannot read the file: {exc.strerror or exc}")
        return None


def check_rubric_file(path: Path | str) -> Checked:
    """Validate one rubric file."""
    path = Path(path)
    data = _read(path, reporter := Reporter(str(path)))
    return check_rubric_bytes(data, name=str(path)) if data is not None else Checked(reporter)


def rubric_files(folder: Path) -> list[Path]:
    """The rubric files of a scenario folder (`<folder>/rubrics/*.yaml`), sorted."""
    return yaml_files(folder / RUBRICS_FOLDER)


def yaml_files(folder: Path) -> list[Path]:
    """`*.yaml` and `*.yml` files directly in folder, sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())


class RubricSet:
    """Rubrics found next to scenario files, each file loaded and checked once."""

    def __init__(self) -> None:
        self.checked: dict[Path, Checked] = {}

    def check_file(self, path: Path) -> Checked:
        """The (cached) check of one rubric file."""
        key = path.resolve()
        if key not in self.checked:
            self.checked[key] = check_rubric_file(path)
        return self.checked[key]

    def for_folder(self, folder: Path) -> tuple[dict[str, Rubric], dict[str, str]]:
        """(valid rubrics by id, broken rubric id -> path) in `<folder>/rubrics/`."""
        valid: dict[str, Rubric] = {}
        broken: dict[str, str] = {}
        for path in rubric_files(folder):
            checked = self.check_file(path)
            if isinstance(checked.result, Rubric):
                valid[checked.result.id] = checked.result
            else:
                broken[path.stem] = str(path)
        return valid, broken


def check_scenario_file(path: Path | str, rubric_set: RubricSet | None = None) -> Checked:
    """Validate one scenario file, with the rubrics in `<its folder>/rubrics/`."""
    path = Path(path)
    data = _read(path, reporter := Reporter(str(path)))
    if data is None:
        return Checked(reporter)
    rubrics, broken = (rubric_set or RubricSet()).for_folder(path.parent)
    return check_scenario_bytes(data, name=str(path), rubrics=rubrics, broken_rubrics=broken)


def load_rubric_file(path: Path | str) -> tuple[Rubric | None, list[Problem]]:
    """(the Rubric or None, its problems) for one rubric file."""
    checked = check_rubric_file(path)
    return checked.result, checked.problems  # type: ignore[return-value]


def load_scenario_file(path: Path | str) -> tuple[Scenario | None, list[Problem]]:
    """(the Scenario or None, its problems), with rubrics from `<its folder>/rubrics/`."""
    checked = check_scenario_file(path)
    return checked.result, checked.problems  # type: ignore[return-value]


def load_library(directory: Path | str) -> Library:
    """Every scenario and rubric in directory; broken files are reported and skipped."""
    folder = Path(directory)
    library = Library()
    if not folder.is_dir():
        library.problems.append(Problem(str(folder), None, None, "",
                                        "scenario folder does not exist"))
        return library
    try:
        _load_into(library, folder)
    except OSError as exc:  # e.g. a folder we may not list; keep whatever loaded
        library.problems.append(Problem(str(folder), None, None, "",
                                        f"cannot read the folder: {exc.strerror or exc}"))
    return library


def _load_into(library: Library, folder: Path) -> None:
    rubric_set = RubricSet()
    library.rubrics, _ = rubric_set.for_folder(folder)
    for checked in rubric_set.checked.values():
        library.problems.extend(checked.problems)
    for path in yaml_files(folder):
        checked = check_scenario_file(path, rubric_set)
        library.problems.extend(checked.problems)
        scenario = checked.result
        if isinstance(scenario, Scenario):
            if scenario.id in library.scenarios:
                library.problems.append(Problem(str(path), 1, 1, "id", f"scenario id "
                                                f"'{scenario.id}' is already used by "
                                                f"{library.scenarios[scenario.id].path}"))
                continue
            library.scenarios[scenario.id] = scenario
