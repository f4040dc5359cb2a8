"""The branch map: layers, labels and marks from raw (possibly broken) YAML, and where it shows."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from flask import render_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.scenarios import branch_layout
from simulator.scenarios.branch_map import BranchMap, map_of_data, map_of_text
from simulator.scenarios.graph_export import edges as exported_edges
from simulator.scenarios.library import load_library
from tests.helpers import make_user
from tests.scenarios.conftest import fixture_text
from tests.supervisor.conftest import browser_for, course  # noqa: F401 (a fixture)

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

BROKEN = textwrap.dedent("""\
    start: opening
    nodes:
      opening:
        say: Fine.
        choices:
          - {text: a, goto: closer}
          - {text: b}
        branches:
          - when: {ownership: ">= 0.5", overall: ">=0.5"}
            goto: closer
          - when: {direction: against}
            goto: ghost
          - otherwise: done
      closer:
        say: Thanks.
        branches: [{otherwise: done}]
      done: {ending: repaired, debrief: Good.}
      stray:
        say: Nobody gets here.
        branches: [{otherwise: circle}]
      circle:
        say: Round and round.
        branches: [{otherwise: stray}]
    """)


def node(m: BranchMap, node_id: str):
    return next(n for n in m.nodes if n.id == node_id and n.kind != "missing")


def edge(m: BranchMap, source: str, target: str):
    return next(e for e in m.edges if (e.source, e.target) == (source, target))


def boxes_overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_tiny_scenario_reads_top_down_start_above_its_endings():
    m = map_of_text(fixture_text("tiny.yaml"))
    opening, repaired, unresolved = (node(m, n) for n in ("opening", "repaired", "unresolved"))
    assert opening.y == branch_layout.MARGIN and opening.start and opening.tag == "START · MOMENT"
    assert repaired.y == unresolved.y > opening.y + opening.h
    assert not boxes_overlap(repaired, unresolved)
    assert (repaired.tag, unresolved.tag) == ("ENDING · REPAIRED", "ENDING · UNRESOLVED")
    assert m.view_box == f"0 0 {m.width:g} {m.height:g}"
    assert all(n.x + n.w <= m.width and n.y + n.h <= m.height for n in m.nodes)


def test_labels_say_choice_condition_and_otherwise():
    m = map_of_text(BROKEN)
    assert [e.label for e in node(m, "opening").exits] == [
        "choice 1", "ownership >= 0.5 and overall >= 0.5", "direction = against", "otherwise"]
    assert [e.words for e in node(m, "opening").exits] == [
        "choice 1", "if ownership >= 0.5 and overall >= 0.5", "if direction = against",
        "otherwise"]
    # two exits to the same moment are one arrow carrying both labels
    merged = edge(m, "opening", "closer")
    assert merged.label == "choice 1 or ownership >= 0.5 and overall >= 0.5"
    assert merged.short == "choice 1 (+1)"


def test_unreachable_and_dead_end_nodes_are_marked():
    m = map_of_text(BROKEN)
    assert node(m, "stray").status == node(m, "circle").status == ("unreachable", "dead end")
    assert node(m, "opening").status == node(m, "closer").status == node(m, "done").status == ()
    assert m.counts == {"moments": 4, "endings": 1, "missing": 1, "unreachable": 2,
                        "dead_ends": 2, "exits": 7}
    # what the start cannot reach is drawn below everything it can
    assert node(m, "stray").y > node(m, "done").y


def test_an_exit_to_an_unknown_node_is_drawn_to_a_missing_box():
    m = map_of_text(BROKEN)
    ghost = next(n for n in m.nodes if n.kind == "missing")
    assert (ghost.id, ghost.tag) == ("ghost", "MISSING NODE")
    arrow = edge(m, "opening", "ghost")
    assert arrow.missing and arrow.label == "direction = against"
    exit_ = next(e for e in node(m, "opening").exits if e.target == "ghost")
    assert exit_.missing
    assert ghost not in m.outline()


def test_loops_run_back_up_and_forward_edges_run_down():
    m = map_of_text((SCENARIOS / "drill-withdrawal-minimal-response.yaml").read_text())
    loop = edge(m, "declan", "declan")
    assert loop.back and loop.label == "otherwise"
    for e in m.edges:
        source, target = node(m, e.source), node(m, e.target)
        assert e.back == (target.y <= source.y), (e.source, e.target)
        assert e.d.startswith(f"M{e.d.split()[0][1:]}")
    # endings share the bottom row, below every moment
    endings = {n.y for n in m.nodes if n.kind == "ending"}
    assert len(endings) == 1 and endings.pop() > max(n.y for n in m.nodes if n.kind == "client")


def test_outline_lists_every_node_once_in_reading_order():
    m = map_of_text(BROKEN)
    ids = [n.id for n in m.outline()]
    assert sorted(ids) == sorted(["opening", "closer", "done", "stray", "circle"])
    assert ids[0] == "opening" and ids.index("done") < ids.index("stray")
    assert m.anchor("closer") == "bm-node-2"


@pytest.fixture(scope="module")
def shipped():
    return load_library(SCENARIOS)


def test_every_shipped_scenario_maps_clean_and_agrees_with_graph_export(shipped):
    assert len(shipped.scenarios) >= 20
    for scenario in shipped.scenarios.values():
        m = map_of_text(scenario.source_text)
        assert m is not None, scenario.id
        assert m.counts["unreachable"] == m.counts["dead_ends"] == m.counts["missing"] == 0
        assert sorted(n.id for n in m.outline()) == sorted(scenario.nodes)
        drawn = {(n.id, e.target, e.label) for n in m.nodes for e in n.exits}
        assert drawn == set(exported_edges(scenario)), scenario.id
        assert not any(boxes_overlap(a, b) for a in m.nodes for b in m.nodes if a is not b)


def test_a_big_scenario_wraps_wide_rows_and_grows_the_drawing():
    nodes = {f"m{i}": {"say": f"moment {i}", "branches": [{"otherwise": "end"}]}
             for i in range(40)}
    nodes["hub"] = {"say": "Where now?",
                    "branches": [{"when": {"overall": f">= 0.{i}"}, "goto": f"m{i}"}
                                 for i in range(40)]}
    nodes["end"] = {"ending": "unresolved", "debrief": "Done."}
    m = map_of_data({"start": "hub", "nodes": nodes})
    rows: dict[float, int] = {}
    for n in m.nodes:
        rows[n.y] = rows.get(n.y, 0) + 1
    assert max(rows.values()) == branch_layout.MAX_ROW and len(rows) >= 7
    assert not any(boxes_overlap(a, b) for a in m.nodes for b in m.nodes if a is not b)
    assert m.width > 8 * branch_layout.NODE_W and m.counts["moments"] == 41


ODD = [
    "", "just text", "[1, 2]", "nodes: 3", "nodes: [a, b]", "nodes: {a: 1}", "nodes: {}",
    "start: 1\nnodes: {1: {branches: [{otherwise: 2}]}, 2: {ending: repaired}}",
    "nodes: {a: {branches: x}}", "nodes: {a: {choices: [{goto: [1]}, 3]}}",
    "nodes: {a: {ending: [1]}}", "nodes: {a: {ending: true}}", "nodes: {a: {}}",
    "nodes: {a: {branches: [{when: 5, goto: a}, {when: {}, goto: b}, {when: {x: 1}}, 7]}}",
    "nodes: [{id: a, branches: [{otherwise: b}]}, {id: b, ending: escalated}, {say: hi}]",
    "start: [a]\nnodes: {a: {branches: [{otherwise: null}, {goto: true}]}}",
    "nodes: {a: {say: 12, branches: [{when: {overall: '>= lots'}, goto: a}]}}",
    "nodes:\n  a: 1\n  a: 2\n", "nodes: {\"\": {}, \" \": {ending: x}}",
    "a: &x [*x]", "x: &a [1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]",
    "nodes: !!python/object:os.system {}", "\x00", "nodes: {a: {branches: [{otherwise: a}]}}",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_text_never_raises(text):
    m = map_of_text(text)
    assert m is None or isinstance(m, BranchMap)


def test_odd_shapes_still_draw_what_can_be_read():
    numbered = map_of_text(ODD[7])
    assert [(e.source, e.target) for e in numbered.edges] == [("1", "2")]
    assert node(numbered, "1").start and not node(numbered, "1").dead_end
    listed = map_of_text(ODD[14])
    assert [n.id for n in listed.outline()] == ["a", "item 3", "b"]  # no start: roots first
    assert node(listed, "item 3").dead_end
    assert node(map_of_text(ODD[5]), "a").status == ("unreachable", "dead end", "not a mapping")
    assert map_of_text("nodes: {}") is None and map_of_text("[1, 2]") is None


ids = st.sampled_from(["a", "b", "c", "d", "e", "ghost", 1, "a b"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), ids)
anything = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=6) | ids, inner, max_size=4),
                        max_leaves=12)
branch = st.one_of(st.fixed_dictionaries({"otherwise": ids}),
                   st.fixed_dictionaries({"when": anything, "goto": ids}), anything)
raw_node = st.one_of(
    st.fixed_dictionaries({"say": st.text(max_size=30), "branches": st.lists(branch, max_size=4)},
                          optional={"choices": st.lists(st.fixed_dictionaries(
                              {}, optional={"goto": ids}), max_size=3)}),
    st.fixed_dictionaries({"ending": st.sampled_from(["repaired", "escalated", "?"]) | anything}),
    anything)
scenario_like = st.fixed_dictionaries(
    {"nodes": st.dictionaries(ids, raw_node, max_size=7) | st.lists(raw_node, max_size=3)},
    optional={"start": ids | anything})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_like | anything)
def test_any_raw_shape_gives_a_map_of_what_can_be_read(data):
    m = map_of_data(data)
    if m is None:
        return
    real = [n for n in m.nodes if n.kind != "missing"]
    assert sorted(n.id for n in m.outline()) == sorted(n.id for n in real)
    assert len({n.id for n in real}) == len(real)
    assert not any(boxes_overlap(a, b) for a in m.nodes for b in m.nodes if a is not b)
    assert len(m.edges) == len({(e.source, e.target) for e in m.edges})
    assert all(e.d.startswith("M") for e in m.edges)


def test_template_escapes_scenario_text_and_explains_an_empty_map(app):
    hostile = ('start: "<b>x</b>"\nnodes:\n  "<b>x</b>":\n    say: "<script>alert(1)</script>"\n'
               '    branches: [{when: {"<i>": ">= 0.5"}, goto: "<img src=x>"}]\n')
    with app.test_request_context():
        html = render_template("_branch_map.html", branch_map=map_of_text(hostile))
        empty = render_template("_branch_map.html", branch_map=None)
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "missing node &lt;img src=x&gt;" in html
    assert 'role="img"' in html and "1 moment and 0 endings" in html
    assert "1 unreachable node" not in html and "1 dead end" in html and "1 missing node" in html
    assert "The map appears once the YAML reads as a scenario with nodes." in empty


def test_supervisors_and_admins_see_the_map_on_the_library_page_trainees_do_not(app, session):
    url = "/scenarios/you-started-late-again"
    for role, shown in (("supervisor", True), ("admin", True), ("trainee", False)):
        page = browser_for(app, make_user(session, role=role)).get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert ('id="branch-map"' in html) is shown, role
        assert ("The map as text" in html) is shown, role


def test_the_review_page_maps_the_pinned_scenario(app, course):  # noqa: F811
    page = browser_for(app, course.supervisor_a).get(
        course.attempt_a.replace("/attempts/", "/supervise/attempts/"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="branch-map"' in html and "7 moments and 4 endings" in html
