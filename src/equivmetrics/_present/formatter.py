"""How numbers are shown to people: rounding, ranges, durations, plural forms, locales.

English works without extra packages. Other locales use babel (``pip install
'equivmetrics[locale]'``) for number formatting and plural categories; the locale is always an
argument, never process-wide state (no ``setlocale``).

Rules, in short:

* Rounded to what the data supports: 3 significant figures when the range is narrow (its
  half-width under 25 % of the value), 2 when it is wide; ``sig=`` overrides.
* A positive value never reads as 0: a count under one reads "less than 1".
* Durations follow one rule for every kind measured in time, totals and rates alike: under
  an hour in minutes ("45 minutes"), up to ten hours in hours and minutes ("1 h 15 min") unless
  a whole or half number of hours ("7.5 hours"), beyond that in hours.
* A range is shown when it is wide (its ends differ by more than 20 % of the value).
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from typing import Any

import attrs

from equivmetrics.exceptions import InputTypeError, LocaleError

__all__ = [
    "SYMBOLS",
    "Formatter",
    "LocaleError",
    "babel_locale",
    "english_money",
    "formatter_of",
    "round_sig",
]

WIDE_RANGE = 0.25  # half-width / value above which only 2 significant figures are shown
SHOW_RANGE = 0.20  # (high - low) / value above which the range is shown


def round_sig(value: float, sig: int) -> float:
    """``value`` rounded to ``sig`` significant figures (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = sig - 1 - math.floor(math.log10(abs(value)))
    try:
        return round(value, digits)
    except OverflowError:  # rounding up past the largest float (1.797e308 to 2 figures)
        return value


def default_sig(value: float, low: float, high: float) -> int:
    """2 or 3 significant figures, by how wide the range is compared with the value."""
    if value == 0 or not (math.isfinite(value) and math.isfinite(low) and math.isfinite(high)):
        return 3
    half_width = (high - low) / 2
    return 2 if half_width / abs(value) > WIDE_RANGE else 3


@functools.lru_cache(maxsize=64)
def _babel_locale(name: str) -> Any:
    try:
        from babel import Locale, UnknownLocaleError  # noqa: PLC0415 - babel is the optional [locale] extra
    except ImportError:
        raise LocaleError(
            f"locale {_shown(name)} needs babel: pip install 'equivmetrics[locale]'"
        ) from None
    if len(name) > 40:  # no locale identifier is this long; do not echo the whole text
        raise LocaleError(f"unknown locale {_shown(name)}: a locale is like 'en', 'pl' or 'de_CH'")
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise LocaleError(f"unknown locale {name!r}: {exc}") from None


#: The babel ``Locale`` of a locale name (cached; :class:`LocaleError` without babel).
babel_locale = _babel_locale


def _shown(name: str) -> str:
    return repr(name) if len(name) <= 40 else f"{name[:40]!r}... ({len(name)} characters)"


#: Numbers shown in full lie in [SMALLEST, LARGEST); others get a power of ten.
SMALLEST = 1e-6
LARGEST = 1e15
_SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def _language(formatter: Formatter) -> str:
    locale = formatter.locale
    return locale.replace("-", "_").split("_")[0].lower() if isinstance(locale, str) else ""


@attrs.frozen
class Formatter:
    """Formats numbers, ranges and plural categories for one locale (``"en"`` by default)."""

    locale: str = attrs.field(default="en")

    @locale.validator
    def _check_locale(self, attribute: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str):
            raise InputTypeError(
                f"locale must be text such as 'en', 'pl' or 'de_CH', not {value!r}", value=value
            )

    #: The locale's language in lower case: ``"de"`` for ``de_CH`` (worked out once).
    language: str = attrs.field(
        init=False, repr=False, eq=False, default=attrs.Factory(_language, takes_self=True)
    )
    english: bool = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: self.language == "en", takes_self=True),
    )

    def number(self, value: float, sig: int) -> str:
        """``value`` rounded to ``sig`` significant figures, with the locale's separators.

        Beyond a thousand trillion, or below a millionth, the number is written with a power of
        ten (``"3.9 × 10²⁹⁶"``) rather than as hundreds of digits.
        """
        rounded = round_sig(value, sig)
        if not math.isfinite(rounded):
            return str(rounded)  # "inf", "nan": never a power of ten of an infinity
        if rounded and not SMALLEST <= abs(rounded) < LARGEST:
            digits_text, _, exponent_text = f"{rounded:.{sig - 1}e}".partition("e")
            mantissa = self.number(float(digits_text), sig)  # 10**-324 is 0.0: never divide
            return f"{mantissa} \u00d7 10{str(int(exponent_text)).translate(_SUPERSCRIPT)}"
        digits = max(0, sig - 1 - math.floor(math.log10(abs(rounded)))) if rounded else 0
        if self.english:
            return f"{rounded:,.{digits}f}"
        from babel.numbers import format_decimal  # noqa: PLC0415 - babel is the optional [locale] extra

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(rounded, format=pattern, locale=_babel_locale(self.locale)))

    def plural(self, value: float, sig: int | None = None) -> str:
        """The CLDR plural category (``one``, ``few``, ``many``, ``other``) of a shown value.

        With ``sig``, the value is taken as shown — its visible decimals count, as CLDR says:
        "1 tree" but "1.0 trees" in English.
        """
        if self.english and sig is not None and abs(round_sig(value, sig)) != 1:
            return "other"  # only a value shown as "1" or "-1" is singular in English
        shown = self.plain(value, sig) if sig is not None else repr(value)
        if self.english:
            return "one" if shown in ("1", "-1") else "other"
        category: str = _babel_locale(self.locale).plural_form(Decimal(shown))
        return category

    @staticmethod
    def plain(value: float, sig: int) -> str:
        """The shown number without locale separators: ``"1.00"``, ``"22"``."""
        rounded = round_sig(value, sig)
        digits = max(0, sig - 1 - math.floor(math.log10(abs(rounded)))) if rounded else 0
        return f"{rounded:.{digits}f}"

    def check(self) -> None:
        """Raise :class:`LocaleError` now if the locale cannot be used."""
        if not self.english:
            _babel_locale(self.locale)


@functools.lru_cache(maxsize=64)
def _cached_formatter(locale: str) -> Formatter:
    return Formatter(locale)


def formatter_of(locale: str) -> Formatter:
    """The (immutable) formatter of ``locale``, made once per locale."""
    try:
        return _cached_formatter(locale)
    except TypeError:  # unhashable: Formatter says what a locale is
        return Formatter(locale)


#: Currency signs English writes before an amount; other currencies take their ISO code.
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def english_money(number: str, currency: str) -> str:
    """``"$27,000"``, ``"-€45,000"``, ``"CHF 310,000"``: an English amount (no babel needed)."""
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{currency} {digits}"


def duration_parts(minutes: float) -> tuple[int, int] | None:
    """``(hours, minutes)`` for durations shown as "1 h 15 min" (one hour to ten, not a whole
    or half number of hours), else None."""
    if not 60 <= minutes < 600:
        return None
    total = round(minutes)
    hours, rest = divmod(total, 60)
    return None if rest in (0, 30) else (hours, rest)


def duration_unit(minutes: float) -> str:
    """The unit a duration of ``minutes`` is shown in when not in hours and minutes:
    ``"minute"`` under an hour, ``"hour"`` from one hour on.

    >>> duration_unit(45), duration_unit(450), duration_unit(36_000)
    ('minute', 'hour', 'hour')
    """
    return "minute" if minutes < 60 else "hour"
