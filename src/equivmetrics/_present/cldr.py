"""Words CLDR has for every language, through babel: periods, durations, units, money, script.

The library does not write these by hand for languages other than English: a rate's period
("pro Monat", "par mois", "por mes"), the parts of a duration ("1 Std. 15 Min."), the names of
time units a label starts with ("Minuten"), amounts of money ("27.000 $", "27 000 $US") and the
direction of a language's script all come from babel's CLDR data, for any locale babel knows.
Every function needs babel (the ``[locale]`` extra) and caches what it reads.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal
from typing import Any

from equivmetrics.exceptions import LocaleError

from .formatter import Formatter, babel_locale, round_sig
from .messages import language_of

__all__ = [
    "MARK",
    "compact_money",
    "direction",
    "duration_text",
    "money_text",
    "per_pattern",
    "range_with_unit",
    "unit_words",
]

#: Stands for the text a CLDR pattern wraps ("MARK pro Monat"): a character no text contains.
MARK = "\x00"

#: Time units (as the library and pint name them) that CLDR has words for.
_TIME_UNITS = {
    name: f"duration-{name}"
    for name in ("second", "minute", "hour", "day", "week", "month", "year", "decade", "century")
}
_TIME_UNITS.update({"min": "duration-minute", "h": "duration-hour", "s": "duration-second"})
_DIGITS = re.compile(r"(#[#,]*0|0)(?:\.0+)?")


@functools.lru_cache(maxsize=256)
def per_pattern(period: str, locale: str) -> str | None:
    """CLDR's words for "per ``period``" around :data:`MARK` ("MARK pro Monat"), or None.

    None when CLDR has no such time unit (``fortnight``).
    """
    unit = _TIME_UNITS.get(period)
    if unit is None:
        return None
    from babel.units import format_compound_unit  # noqa: PLC0415 - babel is the optional [locale] extra

    text = format_compound_unit(MARK, denominator_unit=unit, length="long", locale=_cldr(locale))
    return str(text) if text and MARK in text else None


def duration_text(hours: int, minutes: int, locale: str) -> str:
    """``"1 Std. 15 Min."``: hours and minutes in CLDR's short unit forms, a space apart."""
    from babel.units import format_unit  # noqa: PLC0415 - babel is the optional [locale] extra

    where = _cldr(locale)
    parts = [format_unit(hours, "duration-hour", length="short", locale=where)]
    if minutes:
        parts.append(format_unit(minutes, "duration-minute", length="short", locale=where))
    return " ".join(str(part) for part in parts)


def range_with_unit(range_text: str, unit: str, locale: str) -> str:
    """``"48–110 Min."``: a range of a time unit with CLDR's short unit word (as for 2 of it)."""
    name = _TIME_UNITS.get(unit)
    if name is None:
        return f"{range_text} {unit}"
    from babel.numbers import format_decimal  # noqa: PLC0415 - babel is the optional [locale] extra
    from babel.units import format_unit  # noqa: PLC0415 - babel is the optional [locale] extra

    where = _cldr(locale)
    two = str(format_decimal(2, locale=where))
    return str(format_unit(2, name, length="short", locale=where)).replace(two, range_text, 1)


@functools.lru_cache(maxsize=256)
def unit_words(unit: str, locale: str) -> frozenset[str]:
    """The long names of a time unit in ``locale``, lower case (``{"minute", "minuten"}``)."""
    name = _TIME_UNITS.get(unit)
    if name is None:
        return frozenset()
    from babel.numbers import format_decimal  # noqa: PLC0415 - babel is the optional [locale] extra
    from babel.units import format_unit  # noqa: PLC0415 - babel is the optional [locale] extra

    where = _cldr(locale)
    words = set()
    for count in (1, 2, 5, 1.5, 1_000_000):
        shown = str(format_unit(count, name, length="long", locale=where))
        words.add(shown.replace(str(format_decimal(count, locale=where)), "").strip().lower())
    return frozenset(word for word in words if word)


def money_text(value: float, sig: int, currency: str, formatter: Formatter) -> str:
    """``"27.000 $"``: an amount rounded as :meth:`Formatter.number` rounds it, in the
    locale's currency format (CLDR's pattern and symbol: ``$`` in German, ``$US`` in French).
    """
    from babel.numbers import format_currency  # noqa: PLC0415 - babel is the optional [locale] extra

    where = _cldr(formatter.locale)
    number = formatter.number(value, sig)
    plain = formatter.plain(value, sig)
    decimals = len(plain.partition(".")[2])
    if "\u00d7" in number:  # a power of ten: the locale's pattern around it
        pattern = _pattern(where, 0)
        return str(
            format_currency(1, currency, format=pattern, locale=where, currency_digits=False)
        ).replace("1", number, 1)
    pattern = _pattern(where, decimals)
    return str(
        format_currency(
            Decimal(plain), currency, format=pattern, locale=where, currency_digits=False
        )
    )


def compact_money(value: float, sig: int, currency: str, formatter: Formatter) -> str:
    """An amount as :func:`money_text` writes it, and from a million in CLDR's short form
    ("1,2 Mio. $", "1,2 M$US")."""
    rounded = round_sig(value, sig)
    size = abs(rounded)
    if not 1e6 <= size < 1e15:
        return money_text(value, sig, currency, formatter)
    from babel.numbers import format_compact_currency  # noqa: PLC0415 - babel is the optional [locale] extra

    scale = next(s for s in (1e12, 1e9, 1e6) if size >= s)
    decimals = max(0, sig - 1 - math.floor(math.log10(size / scale)))
    return str(
        format_compact_currency(
            rounded, currency, locale=_cldr(formatter.locale), fraction_digits=decimals
        )
    )


def _pattern(where: Any, decimals: int) -> str:
    """The locale's standard currency pattern with ``decimals`` digits after the point."""
    standard = str(where.currency_formats["standard"].pattern)
    fraction = "." + "0" * decimals if decimals else ""
    return _DIGITS.sub(lambda m: "#,##0" + fraction, standard)


def direction(tag: str) -> str:
    """``"rtl"`` or ``"ltr"``: how a language tag's script runs; ``""`` when babel cannot say."""
    if language_of(tag) == "en":
        return "ltr"
    try:
        where = babel_locale(tag)
    except LocaleError:  # no babel, or a tag babel does not know: say nothing
        return ""
    return "rtl" if where.character_order == "right-to-left" else "ltr"


def _cldr(locale: str) -> Any:
    return babel_locale(locale)
