"""Every broken fixture file gets its exact, located message and makes `validate` exit 1."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import FIXTURES, run_validate

BROKEN = {
    "syntax-error": [
        "syntax-error.yaml:25:5: YAML syntax error: expected ',' or '}', but got '<scalar>' "
        "(while parsing a flow mapping at line 24)",
    ],
    "unknown-key": [
        "unknown-key.yaml:20:3: nodes.opening: missing required key 'say'",
        "unknown-key.yaml:21:5: nodes.opening.sya: unknown key 'sya' (did you mean 'say'?)",
    ],
    "wrong-type": [
        "wrong-type.yaml:6:13: difficulty: expected a whole number, got a list",
        "wrong-type.yaml:11:8: client.age: expected a whole number, got text ('thirty')",
    ],
    "dangling-goto": [
        "dangling-goto.yaml:30:15: nodes.opening.branches[0].goto: unknown node 'repaird' "
        "(did you mean 'repaired'?)",
        "dangling-goto.yaml:32:3: nodes.repaired: node 'repaired' cannot be reached from "
        "start 'opening'",
    ],
    "unreachable-node": [
        "unreachable-node.yaml:38:3: nodes.forgotten: node 'forgotten' cannot be reached from "
        "start 'opening'",
    ],
    "no-ending-path": [
        "no-ending-path.yaml:35:3: nodes.unresolved: node 'unresolved' cannot be reached from "
        "start 'opening'",
        "no-ending-path.yaml:38:3: nodes.circling: no path from node 'circling' leads to an "
        "ending (the conversation could never finish)",
        "no-ending-path.yaml:43:5: nodes.circling.branches: warning: every branch leads to "
        "'circling-again', so the trainee's answer makes no difference here",
        "no-ending-path.yaml:47:3: nodes.circling-again: no path from node 'circling-again' "
        "leads to an ending (the conversation could never finish)",
        "no-ending-path.yaml:52:5: nodes.circling-again.branches: warning: every branch leads "
        "to 'circling', so the trainee's answer makes no difference here",
    ],
    "no-repaired-ending": [
        "no-repaired-ending.yaml:19:1: nodes: no ending has outcome 'repaired'; each scenario "
        "needs at least one",
    ],
    "missing-otherwise": [
        "missing-otherwise.yaml:28:5: nodes.opening.branches: warning: every branch leads to "
        "'repaired', so the trainee's answer makes no difference here",
        "missing-otherwise.yaml:29:7: nodes.opening.branches: missing the final 'otherwise' "
        "branch (where the conversation goes when no condition holds)",
        "missing-otherwise.yaml:34:3: nodes.unresolved: node 'unresolved' cannot be reached "
        "from start 'opening'",
    ],
    "alias-bomb": [
        "alias-bomb.yaml:7:4: the document has more than 10,000 YAML nodes once aliases are "
        "expanded; aliases ('*name') cannot be used to build huge documents",
    ],
    "python-tag": [
        "python-tag.yaml:2:8: tag '!!python/object/apply:os.system' is not allowed; use plain "
        "YAML (text, numbers, true/false, lists and mappings)",
    ],
    "duplicate-keys": [
        "duplicate-keys.yaml:23:5: nodes.opening.say: duplicate key 'say' (first at line 21)",
    ],
    "unsupported-regex": [
        "unsupported-regex.yaml:25:20: nodes.opening.indicators.reflection[0]: regular "
        "expression '(?<!not )\\bflat\\b' uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), "
        "which RE2 does not have; write the words you want to match",
    ],
}


def test_every_broken_fixture_has_a_case():
    assert {p.stem for p in (FIXTURES / "broken").glob("*.yaml")} == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_reports_exact_located_problems(stage, name):
    stage(f"broken/{name}.yaml")
    result = run_validate(f"{name}.yaml", "--no-self-test")
    lines = result.stdout.splitlines()
    assert lines[:-1] == BROKEN[name]
    assert result.exit_code == 1


def test_python_tag_is_never_executed(stage, tmp_path):
    # The tag asks for os.system("echo pwned"); composing YAML ourselves means nothing runs.
    stage("broken/python-tag.yaml")
    result = run_validate("python-tag.yaml")
    assert "pwned" not in result.output
    assert result.exit_code == 1


def test_alias_bomb_is_rejected_without_expanding(stage):
    stage("broken/alias-bomb.yaml")
    result = run_validate("alias-bomb.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 scenario, 0 rubrics: 1 error, 0 warnings"


def test_oversized_file_names_its_size_and_the_limit(stage, tmp_path):
    stage()
    (tmp_path / "huge.yaml").write_bytes(b"# " + b"x" * (300 * 1024) + b"\n")
    result = run_validate("huge.yaml")
    assert result.stdout.splitlines()[0] == (
        "huge.yaml: file is 300.0 KiB (307,203 bytes); the limit is 256 KiB")
    assert result.exit_code == 1


def test_non_utf8_bytes_are_located_not_a_traceback(stage, tmp_path):
    stage()
    text = (FIXTURES / "tiny.yaml").read_bytes().replace(b"title: Tiny", b"title: Tin\xff")
    (tmp_path / "tiny.yaml").write_bytes(text)
    result = run_validate("tiny.yaml")
    assert result.stdout.splitlines()[0] == (
        "tiny.yaml:3:11: not valid UTF-8: byte 0xff at byte offset 106; save the file as UTF-8")
    assert result.exit_code == 1
