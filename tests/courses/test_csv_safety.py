"""Formula-safe CSV whichever separator the spreadsheet uses: comma, or semicolon.

Where the decimal mark is a comma, spreadsheets read CSV with `;` between cells: they split our
lines at every semicolon (quotes only count where a cell begins) and at every line break, so a
part of a cell after `;`, `,` or a line break can start a formula of its own.
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.courses.csv_safety import FORMULA_TRIGGERS, neutralise, safe_cell, write_safe_rows


def _written(rows) -> str:
    stream = io.StringIO(newline="")
    write_safe_rows(stream, rows)
    return stream.getvalue()


def _semicolon_cells(text: str) -> list[str]:
    """The cells a semicolon-separated reader makes of our comma-separated text."""
    return [cell for line in re.split(r"\r\n|\n|\r", text) for cell in line.split(";")]


def _starts_a_formula(cell: str) -> bool:
    return cell.lstrip(' "').startswith(FORMULA_TRIGGERS)


CHANGED = [
    ('x;=HYPERLINK("http://evil.example","Open")', 'x;\'=HYPERLINK("http://evil.example","Open")'),
    ("Ng; +44 20 7946 0000", "Ng; '+44 20 7946 0000"),
    ("a;-2+3", "a;'-2+3"),
    ("me@example.org;@SUM(A1:A9)", "me@example.org;'@SUM(A1:A9)"),
    ('Zoë;"=1+1"', 'Zoë;"\'=1+1"'),
    ("first line\n=cmd|' /C calc'!A0", "first line\n'=cmd|' /C calc'!A0"),
    ("Smith, =2", "Smith, '=2"),
    ("tab;\t=1", "tab;'\t=1"),
]
UNCHANGED = ["Anne-Marie O'Neil", "a=b", "x;y", "Zoë, \"Z\" Ng", "3 + 4 = 7", "me@example.org"]


def test_only_parts_that_could_start_a_formula_after_a_separator_are_neutralised():
    for text, safe in CHANGED:
        assert neutralise(text) == safe
        assert not any(_starts_a_formula(c) for c in _semicolon_cells(_written([[text]])))
    for text in UNCHANGED:
        assert neutralise(text) == text


cell_text = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n;,\"' aZ1é")), max_size=30)
cell = st.one_of(cell_text, st.floats(allow_nan=False, allow_infinity=False, width=32),
                 st.integers(-10**6, 10**6))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(cell, min_size=1, max_size=5).map(lambda r: ["name", *r]),
                     min_size=1, max_size=5))
def test_no_cell_starts_a_formula_in_either_reading(rows):
    text = _written(rows)
    for parsed, row in zip(csv.reader(io.StringIO(text, newline="")), rows, strict=True):
        for value, original in zip(parsed, row, strict=True):
            if isinstance(original, str):
                assert not _starts_a_formula(value), value
    assert not any(_starts_a_formula(c) for c in _semicolon_cells(text))
    numbers = [safe_cell(v) for row in rows for v in row if not isinstance(v, str)]
    assert all(re.fullmatch(r"-?\d+(\.\d\d)?", n) for n in numbers)  # numbers stay numbers
