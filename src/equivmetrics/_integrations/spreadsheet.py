"""Numbers as spreadsheets export them to CSV, read the same way for every file the command
line takes (a report's totals, a scorecard's team numbers).

What a number's separators mean depends on the file's column separator:

- separated by commas (``,``): a quoted number's commas separate thousands (``"12,000"``) and
  a dot is the decimal point;
- separated by ``;`` or tabs (the export of a spreadsheet set to a language that writes a
  decimal comma): when any number in the file has a decimal comma (``12,5``), dots separate
  thousands (``12.000,5``); a number with dots alone in such a file (``12.000``) could be
  twelve or twelve thousand, and is refused rather than guessed;
- a space, no-break space or narrow no-break space separates thousands anywhere (``12 000``).

>>> spreadsheet_number("12.000,5", ";", comma=True), spreadsheet_number('12,000', ",", comma=False)
(12000.5, 12000.0)
>>> spreadsheet_number("12.000", ";", comma=False) is None
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["ambiguous", "decimal_commas", "finite_number", "spreadsheet_number"]

#: Thousands groups follow a leading group that is not 0: ``0.125`` and ``0,125`` are never
#: read as 125.
_THOUSANDS_COMMA = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?")
_THOUSANDS_SPACE = re.compile(r"[+-]?[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_DOTTED = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
_COMMA_DECIMAL = re.compile(r"\d,\d")


def decimal_commas(cells: Iterable[str], delimiter: str) -> bool:
    """Whether a file separated by ``delimiter`` writes decimal commas: one of its number
    ``cells`` has a comma between digits, and its columns are not separated by commas."""
    return delimiter != "," and any(_COMMA_DECIMAL.search(cell) for cell in cells)


def spreadsheet_number(text: str, delimiter: str, *, comma: bool) -> float | None:
    """``text`` as a finite number, read with the separators a spreadsheet's export uses with
    ``delimiter`` (``comma``: the file writes decimal commas, see :func:`decimal_commas`);
    None when it is not one, or is :func:`ambiguous`."""
    text = text.strip()
    if _THOUSANDS_SPACE.fullmatch(text):
        text = re.sub(r"[ \u00a0\u202f]", "", text)
        return finite_number(text.replace(",", ".") if delimiter != "," else text)
    if delimiter == "," and _THOUSANDS_COMMA.fullmatch(text):
        return finite_number(text.replace(",", ""))
    if comma and _DECIMAL_COMMA.fullmatch(text):
        return finite_number(text.replace(".", "").replace(",", "."))
    if ambiguous(text, delimiter):
        return None
    return finite_number(text)


def ambiguous(text: str, delimiter: str) -> bool:
    """Whether ``text`` has dots that may separate thousands or mark a decimal (``12.000`` in
    a file separated by ``;`` or tabs that shows no decimal comma)."""
    return delimiter != "," and _DOTTED.fullmatch(text.strip()) is not None


def finite_number(text: Any) -> float | None:
    """``float(text)`` when that is a finite number, else None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
