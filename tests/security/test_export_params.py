"""The xAPI download's `since` parameter: a date it cannot use is a 400 that says what to send.

Before, garbage quietly became "the last 30 days" and a date that overflows UTC
(0001-01-01T00:00:00+14:00) was a 500.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simulator.courses.moments import MomentError, utc_moment
from tests.supervisor.conftest import browser_for

EXAMPLES = "for example 2025-03-01 or 2025-03-01T09:30:00Z"


@pytest.fixture
def supervisor(app, course):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is a 500 to count, not a raise
    return browser_for(app, course.supervisor_a)


def _get(browser, since: str):
    return browser.get(f"/supervise/xapi.json?since={quote(since, safe='')}")


def _statements(browser, since: str) -> list[dict]:
    response = _get(browser, since)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.loads(response.data)


@pytest.mark.parametrize(("refused", "usable"), [
    ("0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-01:00"),
    ("0001-01-01T13:59:59+14:00", "0001-01-01"),
    ("9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59+00:00"),
    ("9999-12-31T12:00:00-12:00", "9999-12-31T12:00:00+12:00"),
])
def test_a_date_beyond_what_utc_can_hold_is_a_400_that_says_so(supervisor, refused, usable):
    response = _get(supervisor, refused)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f"The since parameter &#39;{refused}&#39; falls outside the years 1 to 9999 in UTC" \
        in body and EXAMPLES in body
    found = _statements(supervisor, usable)  # the nearest moment UTC can hold still works
    if usable.startswith("0001"):
        assert {s["verb"]["display"]["en-US"] for s in found} >= {"launched", "responded"}
    else:
        assert found == []


@pytest.mark.parametrize(("refused", "usable"), [
    ("last tuesday", ""), ("2025-13-01", "2025-03-01"), ("2025-03-01T25:00", "2025-03-01T09:30Z"),
    ("1" * 5000, "2025-03-01T09:30:00+01:00"), ("2025-03-01\x00", " 2025-03-01 "),
    ("٢٠٢٥-٠٣-٠١", "20250301"), ("-1", "2025-W09-6"),
])
def test_text_that_is_no_date_is_a_400_naming_the_parameter_and_format(supervisor, refused,
                                                                       usable):
    response = _get(supervisor, refused)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "The since parameter" in body and "is not an ISO 8601 date or date-time" in body
    assert EXAMPLES in body
    assert isinstance(_statements(supervisor, usable), list)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(since=st.one_of(
    st.text(max_size=40),
    st.datetimes().map(lambda d: d.isoformat()),
    st.builds(lambda d, h: f"{d.isoformat()}{h}",
              st.one_of(st.datetimes(), st.datetimes(max_value=datetime(1, 1, 2)),
                        st.datetimes(min_value=datetime(9999, 12, 31))),
              st.sampled_from(["Z", "+14:00", "-14:00", "+23:59", "-23:59", "+00:00"]))))
@example(since="0001-01-01T00:00:00+14:00")
def test_any_since_is_answered_200_or_400_never_500(supervisor, since):
    assert _get(supervisor, since).status_code in (200, 400)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-01", "2025-03-01T00:00:00+00:00"),
    ("2025-03-01T09:30:00Z", "2025-03-01T09:30:00+00:00"),
    ("2025-03-01T09:30:00+01:00", "2025-03-01T08:30:00+00:00"),
    (" 2025-03-01 ", "2025-03-01T00:00:00+00:00"),
])
def test_moments_are_read_as_utc(text, expected):
    assert utc_moment(text).isoformat() == expected


def test_the_command_line_gives_the_same_message_for_an_overflowing_date(app):
    from simulator.cli import cli

    result = app.test_cli_runner().invoke(
        cli, ["export", "xapi", "--since", "0001-01-01T00:00:00+14:00"])
    assert result.exit_code == 2
    assert "'0001-01-01T00:00:00+14:00' falls outside the years 1 to 9999 in UTC" \
        in result.output
    with pytest.raises(MomentError):
        utc_moment("0001-01-01T00:00:00+14:00")
