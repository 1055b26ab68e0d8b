"""Numbers as spreadsheets export them to CSV, read the same way for every file the command
line takes (a report's totals, a scorecard's team numbers).

What a number's separators mean depends on the file's column separator:

- separated by commas (``,``): a dot is the decimal point and a quoted number's commas
  separate thousands (``"12,000"``);
- separated by ``;`` or tabs (a spreadsheet's export in a language that may write a decimal
  comma): a number whose form settles it is read that way (``120,5`` and ``1.234,5``: a
  decimal comma; ``3.5``, ``0.125`` and ``1,234.5``: a decimal point; ``1.250.000``:
  thousands). A number with one group of three digits after its mark (``1.250``,
  ``1,250``) could be either; the file's other numbers decide (:func:`convention`), and
  when they do not (none settles it, or they disagree) it is refused, never guessed;
- a space, no-break space or narrow no-break space separates thousands anywhere (``12 000``).

A leading ``0`` is never a thousands group: ``0.125`` and ``0,125`` are decimals.

>>> spreadsheet_number("12.000,5", ";", ""), spreadsheet_number('12,000', ",", "")
(12000.5, 12000.0)
>>> spreadsheet_number("12.000", ";", "") is None, spreadsheet_number("12.000", ";", "comma")
(True, 12000.0)
>>> convention(["120,5", "7"], ";"), ambiguity("1,250", "\\t")
('comma', "'1,250' could be 1250 (commas separating thousands) or 1.25 (a decimal comma)")
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, Literal

__all__ = ["Convention", "ambiguity", "convention", "finite_number", "spreadsheet_number"]

#: How a ``;`` or tab file writes its decimals: ``"comma"``, ``"point"``, or ``""`` when its
#: numbers do not settle it.
Convention = Literal["comma", "point", ""]

_SIGN = r"[+-]?"
_LEAD = r"[1-9]\d{0,2}"  # the first group of a number with thousands separators
_SPACED = re.compile(rf"{_SIGN}{_LEAD}(?:[ \u00a0\u202f]\d{{3}})+(?:[.,]\d+)?")
_COMMA_GROUPS = re.compile(rf"{_SIGN}{_LEAD}(?:,\d{{3}})+(?:\.\d+)?")  # 1,234 / 1,234.5
_DOT_GROUPS = re.compile(rf"{_SIGN}{_LEAD}(?:\.\d{{3}})+(?:,\d+)?")  # 1.234 / 1.234,5
_ONE_GROUP = re.compile(rf"{_SIGN}{_LEAD}[.,]\d{{3}}")  # 1.250 or 1,250: either reading
_DECIMAL_COMMA = re.compile(rf"{_SIGN}\d+,\d+")
_DECIMAL_POINT = re.compile(rf"{_SIGN}\d+\.\d+")


def convention(cells: Iterable[str], delimiter: str) -> Convention:
    """How the numbers ``cells`` of a file separated by ``delimiter`` write their decimals,
    as far as those whose form settles it say: ``""`` for a comma-separated file (its
    decimal mark is the point), and when none settles it or they disagree."""
    if delimiter == ",":
        return ""
    found = {_form(cell.strip()) for cell in cells}
    comma, point = "comma" in found, "point" in found
    return "comma" if comma and not point else "point" if point and not comma else ""


def _form(text: str) -> Convention:
    """The convention ``text``'s own form settles, if any (a ``;`` or tab file's cell)."""
    if _ONE_GROUP.fullmatch(text):
        return ""
    if _DECIMAL_COMMA.fullmatch(text) or _thousands(text, ".") is not None:
        return "comma"
    if _DECIMAL_POINT.fullmatch(text) or _thousands(text, ",") is not None:
        return "point"
    return ""


def spreadsheet_number(text: str, delimiter: str, decimals: Convention) -> float | None:
    """``text`` as a finite number, read with the separators a spreadsheet's export uses with
    ``delimiter``; ``decimals``: the file's :func:`convention`. None when it is not a number,
    or is one whose separators the file does not settle (:func:`ambiguity`)."""
    text = text.strip()
    if _SPACED.fullmatch(text):
        text = re.sub(r"[ \u00a0\u202f]", "", text)
        return finite_number(text.replace(",", ".") if delimiter != "," else text)
    if delimiter == ",":
        return _thousands(text, ",") if _COMMA_GROUPS.fullmatch(text) else finite_number(text)
    if _ONE_GROUP.fullmatch(text):  # 1.250 or 1,250: the file's convention decides
        if not decimals:
            return None
        decimal_mark = "," if decimals == "comma" else "."
        if decimal_mark in text:
            return _decimal(text, decimal_mark)
        return _thousands(text, "." if decimal_mark == "," else ",")
    if _DECIMAL_COMMA.fullmatch(text):
        return _decimal(text, ",")
    for mark in (".", ","):
        value = _thousands(text, mark)
        if value is not None:
            return value
    return finite_number(text)


def ambiguity(text: str, delimiter: str) -> str | None:
    """Why ``text`` cannot be read without the file's convention, when it cannot: its two
    readings, ``"'1.250' could be 1250 (dots separating thousands) or 1.25 (a decimal
    point)"``; None for a number any file reads one way."""
    text = text.strip()
    if delimiter == "," or not _ONE_GROUP.fullmatch(text):
        return None
    mark = "." if "." in text else ","
    names = ("dots", "point") if mark == "." else ("commas", "comma")
    whole = text.replace(mark, "")
    return (
        f"{text!r} could be {whole.lstrip('+')} ({names[0]} separating thousands) or "
        f"{_decimal(text, mark):g} (a decimal {names[1]})"
    )


def _thousands(text: str, mark: str) -> float | None:
    """``text`` read with ``mark`` separating thousands (and the other mark as the decimal
    one), when it is written so; else None."""
    if mark == ".":
        return _decimal(text.replace(".", ""), ",") if _DOT_GROUPS.fullmatch(text) else None
    return finite_number(text.replace(",", "")) if _COMMA_GROUPS.fullmatch(text) else None


def _decimal(text: str, mark: str) -> float | None:
    return finite_number(text.replace(mark, "."))


def finite_number(text: Any) -> float | None:
    """``float(text)`` when that is a finite number, else None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
