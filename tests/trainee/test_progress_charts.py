"""Progress charts: exact gridline labels, text legible on a phone and a desktop, named sessions."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from simulator.trainee import charts
from simulator.trainee.charts import line_chart, text_width, tick_text
from tests.courses.factories import T0, make_attempt, make_turn

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
REM = 16
# How wide a progress chart is drawn, worked out from the stylesheet's boxes: .wrap is
# min(72rem, 100% - 2rem) wide, a .card has 1.5rem padding and a 1px border, and the chart grid
# has columns of at least min(20rem, 100%) with 1rem gaps; a chart is never drawn wider than
# its viewBox.
CARD_INSET = 2 * 1.5 * REM + 2


def drawn_width(viewport: int, viewbox_width: float) -> float:
    content = min(72 * REM, viewport - 2 * REM) - CARD_INSET
    column_min = min(20 * REM, content)
    columns = max(1, int((content + REM) // (column_min + REM)))
    column = (content - (columns - 1) * REM) / columns
    return min(column, viewbox_width)


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


@pytest.fixture
def charted(app, session, trainee, library):
    """Three finished sessions of two scenarios with written answers."""
    rubric = library.rubrics["repair-core"]
    days = [("you-must-be-sick-of-me", 0), ("thought-records-are-pointless", 2),
            ("you-must-be-sick-of-me", 9)]
    for n, (scenario_id, offset) in enumerate(days):
        attempt = make_attempt(session, app, trainee, scenario_id=scenario_id, mode="practice",
                               finished_at=T0.replace(day=1 + offset))
        make_turn(session, rubric, attempt, 0, node_id="opening", overall=0.3 + n / 10,
                  criteria={"reflection": 0.2 + n / 10, "validation": 0.5})


def test_gridlines_are_labelled_with_their_exact_values():
    chart = line_chart([0.1, 0.9], ["a", "b"], low=0, high=1)
    assert [text for _y, text in chart.ticks] == ["0", "0.25", "0.5", "0.75", "1"]
    for (y, value), (_y, text) in zip(chart.gridlines, chart.ticks, strict=True):
        assert float(text) == value
        assert y == pytest.approx(charts.TOP + (1 - float(text)) * (
            charts.HEIGHT - charts.TOP - charts.BOTTOM))
    alliance = line_chart([3, 4], ["Start", "Turn 1"], low=1, high=5)
    assert [text for _y, text in alliance.ticks] == ["1", "2", "3", "4", "5"]
    assert tick_text(0.125) == "0.125"


def test_the_progress_page_writes_the_exact_gridline_values(client, charted):
    page = client.get("/progress").get_data(as_text=True)
    for svg in svgs(page):
        axis = re.findall(r'text-anchor="end">([^<]*)</text>', svg)
        assert axis == ["0", "0.25", "0.5", "0.75", "1"]


@pytest.mark.parametrize("viewport", [390, 1280])
def test_chart_text_is_at_least_11_px_where_the_chart_is_drawn(client, charted, viewport):
    page = client.get("/progress").get_data(as_text=True)
    assert svgs(page)
    for svg in svgs(page):
        width = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
        texts = re.findall(r"<text\b[^>]*>", svg)
        assert texts
        for tag in texts:
            size = re.search(r'font-size="([\d.]+)"', tag)
            assert size, f"no text size set on {tag}"
            drawn_px = float(size.group(1)) * drawn_width(viewport, width) / width
            assert drawn_px >= 11, (viewport, drawn_px)


def test_the_stylesheet_draws_charts_at_the_widths_the_sizes_assume():
    rules = CSS.read_text()
    grid = re.findall(r"\.chart-grid\s*\{([^}]*)\}", rules)[-1]
    assert "minmax(min(20rem, 100%), 1fr)" in grid
    assert re.findall(r"\.chart svg\s*\{([^}]*)\}", rules)[-1].strip() == "max-width: 560px;"
    assert drawn_width(390, charts.WIDTH) == charts.PHONE_DRAWN
    assert drawn_width(1280, charts.WIDTH) == pytest.approx(charts.DESKTOP_DRAWN, abs=1)
    chart = line_chart([0.5], ["a"], low=0, high=1)
    assert chart.drawn_font_px(charts.PHONE_DRAWN) >= 11


def test_sessions_are_named_by_scenario_and_date_in_the_charts_and_the_table(client, charted):
    page = client.get("/progress").get_data(as_text=True)
    header = re.search(r"<thead>.*?</thead>", page, flags=re.S).group(0)
    assert header.count("You must be sick of me") == 2
    assert "Thought records are pointless" in header
    for date in ("1 Mar 2025", "3 Mar 2025", "10 Mar 2025"):
        assert date in header
    assert not re.search(r'<th scope="col">\d+</th>', header)
    first = svgs(page)[0]
    shown = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", first)
    assert "You must be sick…" in shown and "1 Mar 2025" in shown and "10 Mar 2025" in shown
    assert "<title>You must be sick of me, 1 Mar 2025: 0.2</title>" in first


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 20])
def test_axis_labels_never_overlap_and_keep_the_first_and_newest(count):
    labels = ["Fine. Nothing to…"] * count
    chart = line_chart([0.5] * count, labels, low=0, high=1, notes=["10 Dec 2026"] * count)
    boxes = [(label.x - max(map(text_width, label.lines)) / 2,
              label.x + max(map(text_width, label.lines)) / 2) for label in chart.x_labels]
    assert boxes[0][0] >= 0 and boxes[-1][1] <= charts.WIDTH
    assert all(left >= right for (_l, right), (left, _r) in pairwise(boxes))
    xs = [x for x, _y, _label, _value in chart.points]
    assert chart.x_labels[-1].x == pytest.approx(min(xs[-1], charts.WIDTH - (
        boxes[-1][1] - boxes[-1][0]) / 2 - 2), abs=0.1)
    assert len(chart.titles) == count


@pytest.mark.parametrize(("title", "short"), [
    ("You must be sick of me", "You must be sick…"),
    ("You must think I'm disgusting", "You must think…"),
    ("Fine. Nothing to report.", "Fine. Nothing to…"),
    ("The long story", "The long story"),
])
def test_titles_are_cut_at_a_whole_word_to_fit_under_a_point(title, short):
    from simulator.practice.progress import short_title

    assert short_title(title) == short
