"""CSV cells that spreadsheet programs cannot run as formulas (OWASP CSV injection guidance)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import TextIO

# A spreadsheet treats a cell starting with any of these as a formula (or strips the
# tab/CR and then does), so a trainee named "=HYPERLINK(...)" could run code on a
# supervisor's machine when the gradebook is opened.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DECIMALS = 2
# Where a spreadsheet may start a new cell inside our text: after a comma, after a semicolon
# (the separator where the decimal mark is a comma, which splits our lines there and ignores
# quotes that do not open a cell), after a line break (a quoted newline ends the line for the
# same reader), optionally behind spaces and double quotes.
_CELL_START = re.compile(r'(^|[,;\n\r])([ "]*)(?=[=+\-@\t\r])')

Cell = str | int | float | None


def neutralise(text: str) -> str:
    """The text with a single quote before every part that could start a formula.

    A part starts the text, or follows a comma, semicolon or line break ("x;=HYPERLINK(...)"
    becomes "x;'=HYPERLINK(...)"), so the cell is safe whichever separator the reader uses.
    """
    return _CELL_START.sub(r"\1\2'", text)


def safe_cell(value: Cell) -> str:
    """One cell as text: numbers as numbers (floats to 2 decimals), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write booleans as words (for example yes/no), not True/False")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    return neutralise(str(value))


def write_safe_rows(stream: TextIO, rows: Iterable[Sequence[Cell]]) -> None:
    """Write rows with CRLF line ends, every cell passed through `safe_cell`.

    Open files with newline="" so the CRLF is not translated again.
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
