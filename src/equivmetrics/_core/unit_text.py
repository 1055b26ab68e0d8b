"""Unit text on either side of pint: checked before pint reads it, written back after.

Nothing here needs a registry. Text is checked for what pint would silently misread or take
minutes over (stray characters, huge powers) before any registry sees it; a quantity's number is
split from its unit text; and a unit of any registry (the library's own scopes or a host's) is
written back as plain text through pint's public ``unit_items()``.
"""

from __future__ import annotations

import re
from typing import Any

from equivmetrics.exceptions import UnitError

from .suggest import rewritten

__all__ = [
    "MAX_QUANTITY_TEXT",
    "MAX_UNIT_POWER",
    "MAX_UNIT_TEXT",
    "PREFIXES",
    "checked_text",
    "format_unit",
    "split_quantity",
    "unit_items",
    "unit_text_of",
]

MAX_UNIT_TEXT = 200
#: The longest ``"number unit"`` text read: a number of up to 100 characters and its unit.
MAX_QUANTITY_TEXT = MAX_UNIT_TEXT + 100
#: The largest power a unit text may use (``m**3``, ``s**-2``); pint would otherwise compute
#: ``9**9**9`` or ``kWh**99999999`` exactly, which takes minutes.
MAX_UNIT_POWER = 6

#: The prefixes pint reads before any unit name (names, symbols and aliases of pint's default
#: definitions), for suggestions and for the check that a pack's unit leaves every prefixed
#: form free. pint lists its prefixes only through private attributes; a test keeps this list
#: equal to what the installed pint reads.
PREFIXES: frozenset[str] = frozenset((
    "quecto", "q", "ronto", "r", "yocto", "y", "zepto", "z", "atto", "a", "femto", "f",
    "pico", "p", "nano", "n", "micro", "µ", "μ", "u", "mu", "mc", "milli", "m", "centi", "c",
    "deci", "d", "deca", "da", "deka", "hecto", "h", "kilo", "k", "mega", "M", "giga", "G",
    "tera", "T", "peta", "P", "exa", "E", "zetta", "Z", "yotta", "Y", "ronna", "R",
    "quetta", "Q", "kibi", "Ki", "mebi", "Mi", "gibi", "Gi", "tebi", "Ti", "pebi", "Pi",
    "exbi", "Ei", "zebi", "Zi", "yobi", "Yi", "semi", "demi", "sesqui",
))  # fmt: skip

_UNIT_TEXT = re.compile(r"^[\w\s*/^().+\-%°µΩ]*$")
#: A leading number: digits with optional thousands separators (``12,000``: a comma only
#: between groups of three digits) or underscores, a decimal point, an exponent; or nan/inf.
_NUMBER = re.compile(
    r"""^\s*(?P<num>[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d[\d_]*)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?
        |[-+]?(?:nan|inf(?:inity)?)(?![A-Za-z_]))""",
    re.IGNORECASE | re.VERBOSE,
)


def checked_text(text: str) -> str:
    """``text``, refused when pint would silently misread it (``"kWh $"`` reads as ``kWh``)."""
    if len(text) > MAX_UNIT_TEXT:
        raise UnitError(f"unit text longer than {MAX_UNIT_TEXT} characters", unit=text[:40])
    if not _UNIT_TEXT.match(text):
        bad = next(c for c in text if not _UNIT_TEXT.match(c))
        raise UnitError(
            f"unexpected {bad!r} in unit {text!r}; units use names, numbers, * / ^ ** and "
            "parentheses",
            unit=text,
        )
    problem = _power_problem(text)
    if problem:
        raise UnitError(
            f"{problem} in unit {text!r}; a power in a unit is a plain number up to "
            f"{MAX_UNIT_POWER} after a unit name or parenthesised units, as in 'm**2' or "
            "'(m/s)**2'",
            unit=text,
        )
    return text


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_UNIT_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<pow>\*\*|\^|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)
      | (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<open>\() | (?P<close>\))
      | (?P<sign>[-+]) | (?P<op>[*/])
      | (?P<name>[^\W\d][^\W⁰¹²³⁴⁵⁶⁷⁸⁹]*|.)""",
    re.VERBOSE,
)


def _power_problem(text: str) -> str | None:
    """What makes a power in ``text`` unsafe to hand to pint, or None.

    A power must follow a unit name or a parenthesised group of units (no numbers, no powers
    inside), and its exponent is a plain number no larger than :data:`MAX_UNIT_POWER`; powers
    do not chain. Superscripts (``m²``) count as powers.
    """
    tokens = [
        (m.lastgroup or "", m.group()) for m in _UNIT_TOKEN.finditer(text) if m.lastgroup != "space"
    ]
    groups: list[bool] = [False]  # per open parenthesis: does it hold a number or a power?
    base_ok = False  # may the next power apply to what came just before?
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        index += 1
        if kind == "pow":
            if not base_ok:
                return f"power {value!r} of a number or of a group holding one"
            groups[-1] = True
            problem, index = _power_at(tokens, index, value)
            if problem:
                return problem
            base_ok = False
            continue
        if kind == "open":
            groups.append(False)
            base_ok = False
        elif kind == "close":
            inner = groups.pop() if len(groups) > 1 else True
            groups[-1] = groups[-1] or inner
            base_ok = not inner
        elif kind == "num":
            groups[-1] = True
            base_ok = False
        else:
            base_ok = kind == "name"
    return None


def _power_at(tokens: list[tuple[str, str]], index: int, value: str) -> tuple[str | None, int]:
    """Read the exponent of the power ``value`` (tokens from ``index``): a problem, or None,
    and the index after the exponent."""
    if value[0] in "*^":
        exponent = ""
        while index < len(tokens) and tokens[index][0] == "sign":
            exponent += tokens[index][1]
            index += 1
        if index >= len(tokens) or tokens[index][0] != "num":
            return f"power {value!r} without a plain number after it", index
        exponent += tokens[index][1]
        index += 1
    else:
        exponent = value.translate(_SUPERSCRIPTS)
    try:
        size = abs(float(exponent))
    except ValueError:
        return f"unreadable power {exponent!r}", index
    if not size <= MAX_UNIT_POWER:
        return f"power {exponent} is too large", index
    if index < len(tokens) and tokens[index][0] == "pow":
        return "chained powers", index
    return None, index


def split_quantity(text: str) -> tuple[float, str]:
    """Split ``"12,000 transaction/month"`` into ``(12000.0, "transaction/month")``.

    The number comes first; a comma may only separate groups of three digits. The unit text is
    returned as written (not parsed: that is the unit scope's work).
    """
    if len(text) > MAX_QUANTITY_TEXT:
        raise UnitError(
            f"quantity text longer than {MAX_QUANTITY_TEXT} characters ({text[:40]!r}...)",
            unit=text[:40],
        )
    form = rewritten(text)
    if form is not None:  # "$55/hour", "12k kWh": said how to write them
        raise UnitError(f"cannot read {text!r}: {form[1]}; write {form[0]!r}", unit=text)
    match = _NUMBER.match(text)
    if match is None:
        raise UnitError(
            f"cannot read {text!r} as a quantity: write a number then a unit, as in "
            "'12 kWh' or '12000 transaction/month'",
            unit=text,
        )
    rest = text[match.end() :]
    if rest[:1] in (",", ".") or rest[:1].isdigit():
        raise UnitError(
            f"cannot read the number in {text!r}: use '.' for decimals, and ',' only between "
            "groups of three digits (12,000.5)",
            unit=text,
        )
    number = match.group("num").replace(",", "").replace("_", "")
    try:
        magnitude = float(number)
    except ValueError:
        raise UnitError(f"cannot read the number {number!r} in {text!r}", unit=text) from None
    return magnitude, rest.strip()


def unit_items(unit: Any) -> list[tuple[str, float]] | None:
    """The ``(name, power)`` pairs of a pint unit or quantity of any registry; None otherwise.

    pint offers the pairs publicly on quantities (``unit_items()``); a unit is read through a
    quantity of one of it.
    """
    items = getattr(unit, "unit_items", None)
    if items is None:
        if not hasattr(unit, "dimensionality"):
            return None
        items = (1 * unit).unit_items
    return [(str(name), power) for name, power in items()]


#: pint names shown under a clearer name: pint's ``ton`` is the US short ton, a classic trap.
_DISPLAY_NAMES = {"ton": "short_ton"}


def format_unit(unit: Any) -> str:
    """Readable, unambiguous text for a unit: ``"metric_ton / short_ton"``, ``"kWh"`` stays
    ``"kilowatt_hour"``. The text parses back to the same unit."""
    items = unit_items(unit)
    if items is None:
        return str(unit)
    top: list[str] = []
    bottom: list[str] = []
    for name, power in items:
        shown = _DISPLAY_NAMES.get(name, name)
        exponent = int(power) if float(power).is_integer() else float(power)
        size = abs(exponent)
        (top if exponent > 0 else bottom).append(shown if size == 1 else f"{shown} ** {size}")
    text = " * ".join(top) if top else ("1" if bottom else "dimensionless")
    return text + "".join(f" / {part}" for part in bottom)


def unit_text_of(quantity: Any) -> str:
    """Text for the unit of a quantity (or unit) of any pint registry, whatever its format."""
    items = unit_items(quantity)
    if items is None:
        return str(getattr(quantity, "units", quantity))
    parts = []
    for name, power in items:
        exponent = int(power) if float(power).is_integer() else float(power)
        parts.append(name if exponent == 1 else f"{name} ** {exponent}")
    return " * ".join(parts)
