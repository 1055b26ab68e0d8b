"""Naming what the caller may have meant: close matches and safely shortened names.

Used by every message about an unknown name (kinds, parameters, options), so that a "did you
mean" is offered the same way everywhere and a message never echoes megabytes of input.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["LONG_NAME", "close_matches", "rewritten", "shown"]

#: Names longer than this get no suggestions (matching costs grow with the length) and are
#: shown shortened in messages: no kind or parameter name is anywhere near it.
LONG_NAME = 64


def close_matches(name: str, known: Iterable[str], n: int) -> list[str]:
    """Close matches for an unknown name; none for a name no real one resembles.

    >>> close_matches("ftee", ["fte", "co2e", "coal"], 2)
    ['fte']
    """
    return difflib.get_close_matches(name, list(known), n=n) if len(name) <= LONG_NAME else []


def shown(name: str) -> str:
    """``repr(name)``, shortened when it is very long (a message never echoes megabytes).

    >>> shown("fte")
    "'fte'"
    >>> shown("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)"
    """
    if len(name) <= LONG_NAME:
        return repr(name)
    return f"{name[:LONG_NAME]!r}... ({len(name)} characters)"


#: Currency signs people write before an amount, and the ISO 4217 code a unit needs.
_SIGNS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP"}
#: Words and letters people write after a number to scale it, and what they multiply by.
_SCALES = {
    "k": 1e3,
    "K": 1e3,
    "thousand": 1e3,
    "M": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
}
_NUMBER = r"(?P<num>\d[\d,_]*(?:\.\d*)?|\.\d+)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|bn|mn|k|K|M)(?![A-Za-z_]))?"
_MONEY = re.compile(
    r"^\s*(?P<minus>-?)\s*(?P<sign>US\$|[$€£])\s*" + _NUMBER + _SCALE + r"\s*(?P<rest>.*)$"
)
#: "55 €/hour", "55€": the sign after the number, as German, French and Spanish write it.
_MONEY_AFTER = re.compile(
    r"^\s*(?P<minus>-?)" + _NUMBER + r"\s*(?P<sign>US\$|[$€£])\s*(?P<rest>.*)$"
)
#: The digits after a decimal comma: one, two, or four or more (never a thousands group).
_COMMA_PART = r"\d{1,2}|\d{4,}"
#: "2,5 min": a number with a decimal comma, then the rest.
_DECIMAL_COMMA = re.compile(
    rf"^\s*(?P<minus>-?)(?P<whole>\d+),(?P<part>{_COMMA_PART})(?![\d,.])\s*(?P<rest>.*)$"
)
_SCALED = re.compile(
    r"^\s*(?P<minus>-?)" + _NUMBER + r"\s*(?P<scale>thousand|million|billion|bn|mn|k|K|M)"
    r"\s+(?P<rest>[^\s\d].*)$"
)


def rewritten(text: str) -> tuple[str, str] | None:
    """How to write a common form of quantity that pint cannot read, and why; None when the
    text is not one of them.

    Amounts with a currency sign before them take the currency's code after the number; a
    number scaled by a letter or word ("12k", "3 million") is written in full.

    >>> rewritten("$55/hour")
    ('55 USD/hour', 'a currency is written as its ISO 4217 code after the number')
    >>> rewritten("12k kWh")
    ('12000 kWh', "'k' after a number is not read as a multiplier")
    >>> rewritten("55 €/hour")
    ('55 EUR/hour', 'a currency is written as its ISO 4217 code after the number')
    >>> rewritten("2,5 min")
    ('2.5 min', "a decimal is written with '.'")
    >>> rewritten("12 kWh") is None, rewritten("12,000 kWh") is None
    (True, True)
    """
    if len(text) > LONG_NAME * 4:
        return None
    money = _MONEY.match(text) or _MONEY_AFTER.match(text)
    if money is not None:
        number = _scaled(money.group("num"), money.groupdict().get("scale"))
        if number is None:
            return None
        rest = money.group("rest").strip()
        rest = "/" + rest[4:] if rest.startswith("per ") else rest
        code = _SIGNS[money.group("sign")]
        unit = f"{code}{rest}" if rest.startswith("/") else f"{code} {rest}".strip()
        why = "a currency is written as its ISO 4217 code after the number"
        return f"{money.group('minus')}{number} {unit}", why
    comma = _DECIMAL_COMMA.match(text)
    if comma is not None:
        number = f"{comma.group('minus')}{comma.group('whole')}.{comma.group('part')}"
        return f"{number} {comma.group('rest').strip()}".strip(), "a decimal is written with '.'"
    scaled = _SCALED.match(text)
    if scaled is not None:
        number = _scaled(scaled.group("num"), scaled.group("scale"))
        if number is None:
            return None
        why = f"{scaled.group('scale')!r} after a number is not read as a multiplier"
        return f"{scaled.group('minus')}{number} {scaled.group('rest').strip()}", why
    return None


def _scaled(number: str, scale: str | None) -> str | None:
    """``"12"`` scaled by ``"k"`` as ``"12000"``; None when the number cannot be read. A
    comma before other than three digits is a decimal comma (``"2,50"``: 2.5)."""
    if re.fullmatch(rf"\d+,(?:{_COMMA_PART})", number):
        number = number.replace(",", ".")
    try:
        value = float(number.replace(",", "").replace("_", ""))
    except ValueError:
        return None
    value *= _SCALES.get(scale or "", 1.0)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"
