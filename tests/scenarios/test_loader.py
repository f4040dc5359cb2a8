"""The YAML loader: plain types only, marks kept, hostile input refused with a clear message."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.scenarios.library import check_rubric_bytes, load_scenario_text
from simulator.scenarios.problems import Reporter
from simulator.scenarios.yaml_loader import load_yaml
from tests.scenarios.conftest import fixture_text, mutate, problems_in, small_rubric


def load(text: str) -> tuple[object, list[str]]:
    reporter = Reporter("x.yaml")
    loaded = load_yaml(text.encode("utf-8"), reporter)
    return (loaded.data if loaded else None), [str(p) for p in reporter.problems]


def test_marks_are_kept_for_keys_and_values():
    reporter = Reporter("x.yaml")
    loaded = load_yaml(b"a:\n  b: [1, two]\n", reporter)
    assert loaded is not None
    assert loaded.data == {"a": {"b": [1, "two"]}}
    assert loaded.marks[("a", "b")] == ((2, 3), (2, 6))
    assert loaded.marks[("a", "b", 1)] == (None, (2, 10))


def test_dates_stay_the_text_the_author_wrote():
    assert load("when: 2024-01-31\n")[0] == {"when": "2024-01-31"}


def test_keys_stay_as_written():
    # `yes:` would become True and `1:` an int under plain YAML 1.1 rules.
    assert load("yes: a\n1: b\n")[0] == {"yes": "a", "1": "b"}


@pytest.mark.parametrize(("text", "message"), [
    ("", "x.yaml:1:1: the file is empty"),
    ("a: &x [*x]\n", "x.yaml:1:4: an alias refers to the node that contains it (recursive alias)"),
    ("a: !!binary aGk=\n", "x.yaml:1:4: tag '!!binary' is not allowed; use plain YAML (text, "
                           "numbers, true/false, lists and mappings)"),
    ("a: !local x\n", "x.yaml:1:4: tag '!local' is not allowed; use plain YAML (text, "
                      "numbers, true/false, lists and mappings)"),
    ("a: b\x07\n", "x.yaml:1:5: character #x0007 is not allowed in YAML (control characters "
                   "must be removed)"),
    ("[" * 5000, "x.yaml:1:1: nesting is too deep (limit 40 levels)"),
    ("a: [" * 50 + "]" * 50, "x.yaml:1:81: nesting is too deep (limit 40 levels)"),
    ("a: 'unclosed\n", "x.yaml:2:1: YAML syntax error: found unexpected end of stream "
                       "(while scanning a quoted scalar at line 1)"),
    ("a: 1\n---\nb: 2\n", "x.yaml:2:1: YAML syntax error: expected a single document in the "
                          "stream at line 1, but found another document"),
])
def test_refusals_have_located_messages(text, message):
    data, problems = load(text)
    assert data is None
    assert problems == [message]


def test_a_long_flat_document_is_refused_while_composing():
    data, problems = load("[" + "1, " * 20_000 + "1]")
    assert data is None
    assert problems == ["x.yaml:1:1: the document has more than 10,000 YAML nodes once aliases "
                        "are expanded; aliases ('*name') cannot be used to build huge documents"]


def test_duplicate_and_unusable_keys_are_reported_and_skipped():
    data, problems = load("a: 1\na: 2\n? [k]\n: v\n<<: {m: 1}\n")
    assert data == {"a": 1}
    assert problems == [
        "x.yaml:2:1: a: duplicate key 'a' (first at line 1)",
        "x.yaml:3:3: lists or mappings cannot be used as keys",
        "x.yaml:5:1: merge keys ('<<') cannot be used as keys",
    ]


def test_a_byte_order_mark_is_accepted():
    reporter = Reporter("x.yaml")
    loaded = load_yaml(b"\xef\xbb\xbfa: 1\n", reporter)
    assert loaded is not None and loaded.data == {"a": 1}


@pytest.mark.parametrize("text", ["[]", "42", "null", "- a\n- b", "'just text'"])
def test_top_level_must_be_a_mapping(text):
    assert len(problems_in(text)) == 1
    assert problems_in(text)[0].startswith(
        "tiny.yaml:1:1: expected a mapping of keys at the top of the file, got ")


# Validation must never raise: feed it shapes nobody would write on purpose.
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAML_VALUES)
def test_scenario_validation_never_raises(value):
    text = yaml.safe_dump(value)
    scenario, problems = load_scenario_text(text, name="fuzz.yaml",
                                            rubrics={"repair-core": small_rubric()})
    assert scenario is None
    assert problems
    assert not any("internal error" in p.message for p in problems)


KEYS = ["id", "say", "cue", "nodes", "branches", "when", "goto", "otherwise", "ending",
        "choices", "scores", "notice", "markers", "alliance", "rules", "client", "exemplars"]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(KEYS), YAML_VALUES)
def test_any_value_in_any_slot_never_raises(key, value):
    # Replace one real key's value in the valid fixture with an arbitrary value.
    text = fixture_text("tiny.yaml")
    lines = text.splitlines()
    hits = [i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:")]
    if hits:
        indent = lines[hits[0]][: len(lines[hits[0]]) - len(lines[hits[0]].lstrip())]
        lines[hits[0]] = f"{indent}{key}: {yaml.safe_dump(value, default_flow_style=True).strip()}"
    _, problems = load_scenario_text("\n".join(lines), name="tiny.yaml",
                                     rubrics={"repair-core": small_rubric()})
    assert not any("internal error" in p.message for p in problems)


@settings(max_examples=60, deadline=None)
@given(YAML_VALUES)
def test_rubric_validation_never_raises(value):
    checked = check_rubric_bytes(yaml.safe_dump(value).encode(), name="fuzz.yaml")
    assert checked.result is None
    assert not any("internal error" in p.message for p in checked.problems)


def test_null_everywhere_never_raises():
    text = fixture_text("tiny.yaml")
    nulled = "\n".join(
        line.split(":")[0] + ": null" if ":" in line and not line.lstrip().startswith("#")
        else line for line in text.splitlines())
    problems = problems_in(nulled)
    assert problems and not any("internal error" in p for p in problems)


def test_numbers_where_text_goes():
    text = mutate(fixture_text("tiny.yaml"), "    say: Fine.", "    say: 3.5")
    assert problems_in(text) == [
        "tiny.yaml:22:10: nodes.opening.say: expected text, got a number (3.5)"]


def test_a_stored_version_from_before_settings_still_loads_with_a_warning():
    """Attempts pin the version they were played on; one saved before issue 16 has no
    `setting` or `difficulty_reason` and must stay readable (new files must have both)."""
    old = "\n".join(line for line in fixture_text("tiny.yaml").splitlines()
                    if not line.startswith(("setting:", "difficulty_reason:"))) + "\n"
    rubrics = {"repair-core": small_rubric()}
    scenario, problems = load_scenario_text(old, name="tiny.yaml", rubrics=rubrics, stored=True)
    assert scenario is not None and scenario.setting == "individual"
    assert problems and all(p.severity == "warning" for p in problems)
    fresh, refused = load_scenario_text(old, name="tiny.yaml", rubrics=rubrics)
    assert fresh is None and any("missing 'setting'" in str(p) for p in refused)
