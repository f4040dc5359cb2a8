"""Schema checks: each mistake an author can make gets one exact, located message."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import fixture_text, mutate, problems_in

TINY = fixture_text("tiny.yaml")
WHEN = '{overall: ">= 0.5"}'
OTHERWISE = "      - otherwise: unresolved"
BRANCH = "nodes.opening.branches[0].when"

CASES = [
    ("marker: minimal-response", "marker: minimal-responses",
     "tiny.yaml:6:9: marker: unknown marker 'minimal-responses' "
     "(did you mean 'minimal-response'?)"),
    ("rupture: withdrawal", "rupture: withdrawl",
     "tiny.yaml:5:10: rupture: 'withdrawl' is not one of withdrawal, confrontation, testing, "
     "mixed (did you mean 'withdrawal'?)"),
    ("id: tiny", "id: small", "tiny.yaml:2:5: id: id 'small' does not match the file name 'tiny'"),
    ("title: Tiny", "title: ''", "tiny.yaml:3:8: title: must not be empty"),
    ("title: Tiny", "title: 42", "tiny.yaml:3:8: title: expected text, got a number (42)"),
    ("difficulty: 1", "difficulty: true",
     "tiny.yaml:7:13: difficulty: expected a whole number, got true/false (true)"),
    ("  age: 30", "  age: 12", "tiny.yaml:12:8: client.age: must be between 13 and 100, got 12"),
    ("  age: 30", "  age: null",
     "tiny.yaml:12:8: client.age: expected a whole number, got nothing (null)"),
    ("objectives: [Notice the short answer]", "objectives: []",
     "tiny.yaml:9:13: objectives: needs at least one item, got 0"),
    ("start: opening", "start: openin",
     "tiny.yaml:19:8: start: unknown node 'openin' (did you mean 'opening'?)"),
    ("rubric: repair-core", "rubric: repair-cor",
     "tiny.yaml:8:9: rubric: unknown rubric 'repair-cor' (did you mean 'repair-core'?)"),
    ("rubric: repair-core", "rubric: other",
     "tiny.yaml:8:9: rubric: unknown rubric 'other' (known: repair-core)"),
    (WHEN, '{overal: ">= 0.5"}',
     f"tiny.yaml:30:16: {BRANCH}.overal: unknown measure 'overal' (did you mean 'overall'?)"),
    (WHEN, '{overall: ">> 0.5"}',
     f"tiny.yaml:30:25: {BRANCH}.overall: cannot read comparison '>> 0.5'; write "
     "'<op> <number>' with op one of >=, >, <=, <, =="),
    (WHEN, "{overall: 0.5}",
     f"tiny.yaml:30:25: {BRANCH}.overall: expected a comparison like '>= 0.5' (in quotes), "
     "got a number (0.5)"),
    (WHEN, '{overall: ">= 2"}',
     f"tiny.yaml:30:25: {BRANCH}.overall: overall runs from 0 to 1, so '>= 2' cannot be meant"),
    (WHEN, "{direction: sideways}",
     f"tiny.yaml:30:27: {BRANCH}.direction: 'sideways' is not one of away, against"),
    (WHEN, "{}",
     f"tiny.yaml:30:15: {BRANCH}: needs at least one measure (use 'otherwise' for a branch "
     "that always fires)"),
    ("    cue: Shrugs.", "    cue: Shrugs.\n    respond: choice",
     "tiny.yaml:21:3: nodes.opening: missing 'choices' (required when respond is choice)"),
    ("    cue: Shrugs.",
     "    cue: Shrugs.\n    respond: both\n    choices:\n"
     "      - {text: Hm., scores: {reflection: 0.5}, feedback: Ok.}",
     "tiny.yaml:26:7: nodes.opening.choices: needs 2 to 5 items, got 1"),
    ('weak: ["Great, let\'s get started then."]', "weak: []",
     "tiny.yaml:28:13: nodes.opening.exemplars.weak: needs at least one item, got 0"),
    ("notice: {family: withdrawal", "notice: {family: confrontation",
     "tiny.yaml:25:47: nodes.opening.notice.markers[0]: marker 'minimal-response' is a "
     "withdrawal marker, but the notice family is confrontation"),
    (OTHERWISE, OTHERWISE + "\n        goto: repaired",
     "tiny.yaml:33:9: nodes.opening.branches[1].goto: unknown key 'goto' (known: otherwise)"),
    (OTHERWISE, OTHERWISE + "\n      - when: {overall: '< 0.2'}\n        goto: unresolved",
     "tiny.yaml:32:9: nodes.opening.branches[1]: 'otherwise' must be the last branch"),
    ("    debrief: The flatness went unremarked.",
     "    debrief: The flatness went unremarked.\n    branches: []",
     "tiny.yaml:39:5: nodes.unresolved.branches: unknown key 'branches' "
     "(known: ending, say, cue, inner, debrief)"),
    ("    ending: unresolved", "    ending: repaired",
     "tiny.yaml:20:1: nodes: every ending is 'repaired'; add at least one ending that is "
     "partly-repaired, unresolved or escalated"),
    ("  opening:\n", "  opening: []\n  x:\n",
     "tiny.yaml:21:12: nodes.opening: expected a mapping, got a list"),
]


@pytest.mark.parametrize(("old", "new", "message"), CASES, ids=[c[1][:40] for c in CASES])
def test_one_mistake_one_message(old, new, message):
    assert problems_in(mutate(TINY, old, new)) == [message]


def test_the_tiny_fixture_is_valid():
    assert problems_in(TINY) == []


def test_every_problem_is_reported_at_once():
    text = mutate(TINY, "  age: 30", "  age: thirty")
    text = mutate(text, "    cue: Shrugs.", "    cue: Shrugs.\n    sya: Hi.")
    text = mutate(text, "goto: repaired", "goto: repairde")
    assert problems_in(text) == [
        "tiny.yaml:12:8: client.age: expected a whole number, got text ('thirty')",
        "tiny.yaml:24:5: nodes.opening.sya: unknown key 'sya' (did you mean 'say'?)",
        "tiny.yaml:32:15: nodes.opening.branches[0].goto: unknown node 'repairde' "
        "(did you mean 'repaired'?)",
        "tiny.yaml:34:3: nodes.repaired: node 'repaired' cannot be reached from start 'opening'",
    ]


def test_choice_scores_and_gotos_are_checked():
    choices = ("    cue: Shrugs.\n    respond: both\n    choices:\n"
               "      - {text: Hm., scores: {reflexion: 0.5, blame: 1.5}, feedback: Ok.}\n"
               "      - {text: Ah., scores: {}, feedback: Ok., goto: nowhere}")
    assert problems_in(mutate(TINY, "    cue: Shrugs.", choices)) == [
        "tiny.yaml:26:30: nodes.opening.choices[0].scores.reflexion: unknown rubric id "
        "'reflexion' (did you mean 'reflection'?)",
        "tiny.yaml:26:53: nodes.opening.choices[0].scores.blame: must be between 0 and 1, "
        "got 1.5",
        "tiny.yaml:27:29: nodes.opening.choices[1].scores: needs at least one entry",
        "tiny.yaml:27:54: nodes.opening.choices[1].goto: unknown node 'nowhere' "
        "(known: opening, repaired, unresolved)",
    ]


def test_alliance_rules_are_checked():
    rules = ("  direction: away\n  rules:\n    - when: {ownership: '>= 0.5'}\n"
             "    - when: {blame: '>= 0.5'}\n      salience: 9\n      direction: up")
    assert problems_in(mutate(TINY, "  direction: away", rules)) == [
        "tiny.yaml:20:7: alliance.rules[0]: a rule needs 'salience' (a change such as -1) "
        "or 'direction'",
        "tiny.yaml:22:17: alliance.rules[1].salience: must be between -4 and 4, got 9",
        "tiny.yaml:23:18: alliance.rules[1].direction: 'up' is not one of away, against",
    ]


def test_two_otherwise_branches():
    text = mutate(TINY, OTHERWISE, OTHERWISE + "\n      - otherwise: repaired")
    assert problems_in(text) == [
        "tiny.yaml:32:9: nodes.opening.branches[1]: 'otherwise' must be the last branch",
        "tiny.yaml:33:9: nodes.opening.branches[2]: 'otherwise' appears more than once; "
        "keep one, last",
    ]


def test_indicator_ids_and_shapes():
    text = mutate(TINY, "    inner: Wants to be asked properly.\n",
                  "    inner: Wants to be asked properly.\n"
                  "    indicators: {ownershp: ['sorry'], reflection: 'flat'}\n")
    assert problems_in(text) == [
        "tiny.yaml:25:18: nodes.opening.indicators.ownershp: unknown rubric id 'ownershp' "
        "(did you mean 'ownership'?)",
        "tiny.yaml:25:51: nodes.opening.indicators.reflection: expected a list, got text ('flat')",
    ]


NO_LOOKAROUND = ("uses lookahead or lookbehind ((?=, (?!, (?<=, (?<!), which RE2 does not have; "
                 "write the words you want to match")


@pytest.mark.parametrize(("pattern", "reason"), [
    (r"(\w)\1", r"uses a backreference (\1 or (?P=name)), which RE2 does not have; write the "
                "words out"),
    ("(?=sorry)", NO_LOOKAROUND),
    (r"(?<!not )\bflat\b", NO_LOOKAROUND),
    ("sorry++", "uses a possessive repeat (*+, ++, ?+), which RE2 does not have and indicators "
                "do not need; drop the final +"),
    ("(?>sorry)", "uses an atomic group (?>...), which RE2 does not have and indicators do not "
                  "need; write (?:...)"),
    ("sorry{,3}", "uses {,3}, which RE2 reads as the text '{,3}'; write {0,3} for 'up to 3 "
                  "times'"),
    (r"\w{0,25}" * 6 + "x", "is too complex to search quickly (1,355 instructions once "
                            "compiled; limit 250); use * or + instead of long counted repeats "
                            "such as {0,25}"),
])
def test_indicator_patterns_re2_cannot_run_are_refused_with_advice(pattern, reason):
    text = mutate(TINY, "    inner: Wants to be asked properly.\n",
                  f"    inner: Wants to be asked properly.\n    indicators:\n"
                  f"      reflection: ['{pattern}']\n")
    assert problems_in(text) == [
        f"tiny.yaml:26:20: nodes.opening.indicators.reflection[0]: regular expression "
        f"'{pattern}' {reason}"
    ]


def test_too_long_and_invalid_patterns():
    long_pattern = "x" * 201
    text = mutate(TINY, "    inner: Wants to be asked properly.\n",
                  f"    inner: Wants to be asked properly.\n    indicators:\n"
                  f"      reflection: ['{long_pattern}', '(unclosed', 'a**']\n")
    assert problems_in(text) == [
        "tiny.yaml:26:20: nodes.opening.indicators.reflection[0]: pattern is 201 characters "
        "long (limit 200); split it into shorter indicators",
        "tiny.yaml:26:225: nodes.opening.indicators.reflection[1]: regular expression "
        r"'(unclosed' has a ( without its closing ); close it, or write \( for the character",
        "tiny.yaml:26:238: nodes.opening.indicators.reflection[2]: invalid regular expression "
        "'a**': bad repetition operator: **",
    ]


def test_a_testing_notice_may_name_markers_of_either_family():
    # Testing acceptance is not a 3RS family of its own: it shows through withdrawal or
    # confrontation markers, so any marker may be expected.
    text = mutate(TINY, "notice: {family: withdrawal", "notice: {family: testing")
    assert problems_in(text) == []


def test_a_mapping_of_the_wrong_shape_and_a_stray_key_are_both_reported():
    assert problems_in(mutate(TINY, "client:\n", "client: Sam\nx:\n")) == [
        "tiny.yaml:10:9: client: expected a mapping, got text ('Sam')",
        "tiny.yaml:11:1: x: unknown key 'x' (known: id, title, summary, rupture, marker, "
        "kind, setting, difficulty, difficulty_reason, mastery, rubric, minutes, objectives, "
        "client, alliance, start, ...)",
    ]


def test_missing_keys_are_listed_together():
    assert problems_in("id: tiny\n") == [
        "tiny.yaml:1:1: missing required keys: title, summary, rupture, marker, difficulty, "
        "rubric, objectives, client, alliance, start, nodes",
        "tiny.yaml:1:1: missing 'setting' (one of individual, couple, group, telehealth, school, "
        "inpatient, interpreted, mandated)",
        "tiny.yaml:1:1: missing 'difficulty_reason' (one line on why the scenario sits at its "
        "level)",
    ]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    inner: Wants to be asked properly.\n", "",
     "tiny.yaml:21:3: nodes.opening: warning: no 'inner' (what the client feels); the debrief "
     "and supervisors rely on it"),
    ("    say: Fine.", "    say: " + "Fine. " * 80,
     "tiny.yaml:22:10: nodes.opening.say: warning: say is 479 characters long; keep client "
     "lines under 400 so they read as speech"),
    ("    notice: {family: withdrawal, markers: [minimal-response]}\n", "",
     "tiny.yaml:20:1: nodes: warning: no node has a notice step; consider asking the trainee "
     "to name the rupture at least once"),
    ("        goto: repaired", "        goto: unresolved",
     "tiny.yaml:29:5: nodes.opening.branches: warning: every branch leads to 'unresolved', so "
     "the trainee's answer makes no difference here"),
])
def test_style_warnings(old, new, message):
    problems = problems_in(mutate(TINY, old, new))
    assert message in problems
    assert all("warning:" in p or "cannot be reached" in p for p in problems)


ABOUT_AT = "    inner: Wants to be asked properly."


@pytest.mark.parametrize(("lines", "messages"), [
    ("    about: [last week, fine]\n    needs: [reflection, metacommunication]", []),
    ("    needs: [reflection, ownershp]",
     ["tiny.yaml:25:25: nodes.opening.needs[1]: 'ownershp' is not a criterion of the rubric "
      "(did you mean 'ownership'?)"]),
    ("    needs: [advice]",
     ["tiny.yaml:25:13: nodes.opening.needs[0]: 'advice' is not a criterion of the rubric "
      "(known: reflection, validation, exploration, ownership, metacommunication, "
      "collaboration)"]),
    ("    needs: [reflection, reflection]",
     ["tiny.yaml:25:25: nodes.opening.needs[1]: 'reflection' is listed twice"]),
    ("    needs: []", ["tiny.yaml:25:12: nodes.opening.needs: needs 1 to 3 items, got 0"]),
    ("    about: [last week, '']",
     ["tiny.yaml:25:24: nodes.opening.about[1]: must not be empty"]),
    ("    about: ['" + "x" * 61 + "']",
     ["tiny.yaml:25:13: nodes.opening.about[0]: 61 characters; keep each phrase to 60 (a few "
      "words a trainee might type)"]),
    ("    about: ['...']",
     ["tiny.yaml:25:13: nodes.opening.about[0]: '...' names nothing a trainee could type "
      "(needs a word)"]),
    ("    about: the break",
     ["tiny.yaml:25:12: nodes.opening.about: expected a list, got text ('the break')"]),
])
def test_about_and_needs_are_checked(lines, messages):
    assert problems_in(mutate(TINY, ABOUT_AT, f"{ABOUT_AT}\n{lines}")) == messages
