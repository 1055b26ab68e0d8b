"""An equivalent's words: the value, its range, the label and the sentence, in one language.

An equivalent is worded in the caller's language when its pack translates the kind into it —
labels for that locale or its language, and the wording of the role (a wording without words,
such as ``"{value} {label}"``, needs none) — and in English otherwise: one language per
sentence, never half and half. Numbers (and money) always take the locale's formatting.

Either way the library's own words come in the same language: English by its own rules ("a
month", "1 h 15 min", "less than 1"); any other language from CLDR through babel (periods,
durations, money: :mod:`.cldr`) and the library's catalog (:mod:`.messages`).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

import attrs

from equivmetrics._catalog.catalog import Kind
from equivmetrics._core.memo import ByIdentity
from equivmetrics._core.money import currencies, in_currency, is_money
from equivmetrics._core.units import UnitScope, unit_factor
from equivmetrics._engine.result import Result
from equivmetrics._packs.wording import fill

from . import cldr
from .formatter import (
    SHOW_RANGE,
    SYMBOLS,
    Formatter,
    duration_parts,
    duration_unit,
    formatter_of,
    round_sig,
)
from .messages import Messages, language_of, sentence_words
from .names import amount

__all__ = ["Voice", "Words", "voice_for", "word"]

_PLACEHOLDER = re.compile(r"\{[a-z]+\}")
_NO_PER = re.compile(r"[ \t]*\{per\}")
_ENGLISH_TIME = ("minute", "hour", "min")
_ENGLISH_RANGE_UNITS = {"minute": "min", "min": "min", "hour": "hours", "h": "hours"}
_MINUTES = {"minute": 1.0, "hour": 60.0}


@attrs.frozen
class Words:
    """The parts of an equivalent's text, and the language (a BCP 47 tag) they are in."""

    text: str
    value_text: str
    range_text: str
    label: str
    language: str


@attrs.frozen
class Voice:
    """How one language words an equivalent: English by rule, others by CLDR and a catalog."""

    language: str
    locale: str
    messages: Messages

    @property
    def english(self) -> bool:
        return self.language == "en"

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the words: the locale (``de-CH``), or ``en`` for English words in
        another locale."""
        return self.locale.replace("_", "-")

    def plural(self, formatter: Formatter, value: float, sig: int) -> str:
        """The plural category of a shown value, by this language's rules."""
        if self.english:
            return formatter_of("en").plural(value, sig)
        return formatter.plural(value, sig)

    def duration(self, hours: int, minutes: int) -> str:
        if self.english:
            return f"{hours} h {minutes} min" if minutes else f"{hours} h"
        return cldr.duration_text(hours, minutes, self.locale)

    def per(self, period: str) -> str:
        """The period of a rate around :data:`cldr.MARK` ("MARK a month", "MARK pro Monat")."""
        if self.english:
            article = "an" if period[:1] in "aeiou" or period.startswith("hour") else "a"
            return f"{cldr.MARK} {article} {period.replace('_', ' ')}"
        return cldr.per_pattern(period, self.locale) or f"{cldr.MARK} / {period}"

    def without_unit_word(self, label: str, unit: str) -> str:
        """'minutes of brisk walking' -> 'of brisk walking' (the duration names its units)."""
        head, _, tail = label.partition(" ")
        if not tail:
            return label
        if self.english:
            return tail if head.rstrip("s") in _ENGLISH_TIME else label
        names = cldr.unit_words("minute", self.locale) | cldr.unit_words(unit, self.locale)
        return tail if head.lower() in names | cldr.unit_words("hour", self.locale) else label

    def range_unit(self, range_text: str, unit: str) -> str:
        """'48–110 min', '2.5–25 hours': the range of a duration names the unit its ends are
        in, in the plural."""
        if self.english:
            return f"{range_text} {_ENGLISH_RANGE_UNITS.get(unit, unit)}"
        return cldr.range_with_unit(range_text, unit, self.locale)

    def in_unit(self, number: str, unit: str, category: str) -> str:
        """'45 minutes', '12 hours': a number of a time unit, for a value shown in another
        unit than its kind's."""
        if self.english:
            return f"{number} {unit if category == 'one' else unit + 's'}"
        return cldr.range_with_unit(number, unit, self.locale)


@functools.cache
def _english() -> Voice:
    return Voice("en", "en", sentence_words("en"))


def voice_for(kind: Kind, role: str, locale: str) -> Voice:
    """The language ``kind`` is worded in for ``role``: the locale's when the pack translates
    it (labels and the role's wording), else English."""
    language = language_of(locale)
    if language == "en":
        return Voice("en", locale, sentence_words("en"))
    presentation = kind.presentation
    wording = presentation.template(role, "")
    translated = presentation.localized(role, locale) is not None or (
        wording is None or not _has_words(wording)
    )
    if presentation.has_labels(locale) and translated:
        return Voice(language, locale, sentence_words(language))
    return _english()


def _has_words(template: str) -> bool:
    return any(ch.isalpha() for ch in _PLACEHOLDER.sub("", template))


def word(
    kind: Kind,
    result: Result,
    role: str,
    *,
    units: UnitScope,
    formatter: Formatter,
    digits: int,
) -> Words:
    """Word one scalar result of ``kind`` for ``role`` (see the module doc)."""
    phrasing = _phrasing(kind, role, formatter, units, result.unit)
    voice, template = phrasing.voice, phrasing.template
    value, low, high = float(result.magnitude), float(result.low), float(result.high)
    count_like = phrasing.count_like
    shown = _Shown(formatter, voice, digits, phrasing.currency)
    value_text, category, unit_shown, scale = shown.value(
        value, count_like, phrasing.minutes, kind.unit
    )
    label = phrasing.label(category)
    label = voice.without_unit_word(label, kind.unit) if unit_shown else label
    below_one = count_like and 0 < abs(round_sig(value, digits)) < 1
    range_text = shown.range(
        value * scale, low * scale, high * scale, phrasing.signs, below_one=below_one
    )
    if range_text and unit_shown:
        range_text = voice.range_unit(range_text, unit_shown)
    text = _sentence(template, value_text, label, phrasing.per)
    if value == 0 and voice.messages.has("equivalent.zero"):
        text = voice.messages.text("equivalent.zero", label=phrasing.label("other"))
    if range_text:
        text += " " + voice.messages.text("equivalent.range", range=range_text)
    return Words(text, value_text, range_text, label, voice.tag)


@attrs.frozen
class _Phrasing:
    """What the words of ``kind`` for a role, locale and result unit are, whatever the value:
    the voice, the wording, the currency written by the locale, the period, the minutes per
    unit of a time kind and the currency signs of the range. Made once (:func:`_phrasing`)."""

    kind: Kind
    voice: Voice
    template: str
    currency: str | None
    per: str
    count_like: bool
    minutes: float | None
    signs: tuple[str, str]
    labels: dict[str, str] = attrs.field(factory=dict, eq=False)

    def label(self, category: str) -> str:
        found = self.labels.get(category)
        if found is None:
            found = self.labels[category] = _label(self.kind, self.voice, category)
        return found


#: Phrasings by kind and unit scope (their identities), role, locale and result unit.
_PHRASINGS: ByIdentity[_Phrasing] = ByIdentity()


def _phrasing(
    kind: Kind, role: str, formatter: Formatter, units: UnitScope, unit: str
) -> _Phrasing:
    return _PHRASINGS.get(
        (kind, units),
        lambda: _phrase(kind, role, formatter, units, unit),
        (role, formatter.locale, unit),
    )


def _phrase(kind: Kind, role: str, formatter: Formatter, units: UnitScope, unit: str) -> _Phrasing:
    voice = voice_for(kind, role, formatter.locale)
    period, currency = _amount(units, kind, unit)
    template = _template(kind, role, voice)
    if currency:
        before, after = _money_signs(template)
        if formatter.english and (before or after).strip() == SYMBOLS.get(currency, "\x00"):
            currency = None  # the English wording writes this currency's sign itself
        else:
            template = _without_money_sign(template)
    return _Phrasing(
        kind,
        voice,
        template,
        currency,
        voice.per(period) if period else "",
        not kind.dimension,  # a count: no dimension at all
        _minutes(units, kind, kind.unit if period else unit),
        _money_signs(template),
    )


def _template(kind: Kind, role: str, voice: Voice) -> str:
    """The pack's wording in the voice's language, else the library's default wording."""
    presentation = kind.presentation
    if voice.english:
        found = presentation.template(role, voice.locale)
    else:
        found = presentation.localized(role, voice.locale) or presentation.template(role, "")
    return found if found is not None else str(voice.messages.raw(f"equivalent.{role}"))


@functools.lru_cache(maxsize=1024)
def _without_per(template: str) -> str:
    """The wording without its ``{per}`` (and the space before it), for a total."""
    return _NO_PER.sub("", template)


def _sentence(template: str, value_text: str, label: str, per: str) -> str:
    """The wording filled in; the period where the wording puts ``{per}``, else at the end."""
    if not per:
        return fill(_without_per(template), value=value_text, label=label).strip()
    if "{per}" in template:
        alone = per.replace(cldr.MARK, "").strip()
        return fill(template, value=value_text, label=label, per=alone).strip()
    return per.replace(cldr.MARK, fill(template, value=value_text, label=label).strip())


@attrs.frozen
class _Shown:
    """How numbers are written in one equivalent: the locale's digits, the voice's words."""

    formatter: Formatter
    voice: Voice
    digits: int
    currency: str | None

    def number(self, value: float) -> str:
        if self.currency:
            return amount(value, self.digits, self.currency, self.formatter)
        return self.formatter.number(value, self.digits)

    def value(
        self, value: float, count_like: bool, minutes: float | None, unit: str
    ) -> tuple[str, str, str, float]:
        """The value as words ("1 h 15 min", "45 minutes", "less than 1", "22,500"), its
        plural category, the time unit the words name ("" when the label names it: "7.5"
        hours of manual work) and the scale from the kind's unit to the one shown."""
        if not math.isfinite(value):
            return str(value), "other", "", 1.0
        if value == 0:
            return self.number(0.0) if self.currency else "0", "other", "", 1.0
        if minutes is not None:
            total = abs(value) * minutes
            if (parts := duration_parts(total)) is not None:
                return self.voice.duration(*parts), "other", unit, 1.0
            shown_unit = duration_unit(total)
            scale = minutes / _MINUTES[shown_unit]
            if scale != 1.0:  # "45 minutes" of a kind in hours: the words name the unit
                number = self.number(value * scale)
                category = self.voice.plural(self.formatter, value * scale, self.digits)
                return self.voice.in_unit(number, shown_unit, category), category, shown_unit, scale
        if count_like and 0 < abs(round_sig(value, self.digits)) < 1:
            one = self.formatter.number(1, 1)
            text = self.voice.messages.text("equivalent.less_than", value=one)
            return text, self.voice.plural(self.formatter, 1, 1), "", 1.0
        return self.number(value), self.voice.plural(self.formatter, value, self.digits), "", 1.0

    def range(
        self, value: float, low: float, high: float, signs: tuple[str, str], *, below_one: bool
    ) -> str:
        """ "9,100–96,000" (with the wording's currency sign on both ends), or "" when not
        worth it."""
        show = (
            value != 0
            and math.isfinite(value)
            and not below_one  # "less than 1 railcar (0.0001-0.0002)" tells nothing more
            and (high - low) / abs(value) > SHOW_RANGE
        )
        if not show:
            return ""
        before, after = signs  # the wording's currency sign, on both ends
        return f"{before}{self.number(low)}{after}\u2013{before}{self.number(high)}{after}"


def _label(kind: Kind, voice: Voice, category: str) -> str:
    if not voice.english:
        localized = kind.presentation.label(voice.locale, category)
        if localized:
            return localized
    return kind.label_one if category == "one" else kind.label_other


def _minutes(units: UnitScope, kind: Kind, unit: str) -> float | None:
    """Minutes per unit of the amount shown (``unit``: the result's, or for a rate such as
    hour/month the kind's own), for kinds measured in time; None for other kinds."""
    if kind.dimension != units.time:
        return None
    parsed = units.parse(unit)
    if parsed.dimensionality != units.time:
        return None
    return unit_factor(parsed, units.parse("minute"))


def _money_signs(template: str) -> tuple[str, str]:
    """The currency sign a wording writes next to ``{value}`` (``"${value}"``, ``"{value} €"``).

    The range repeats it on both ends, so "$27,000" comes with "(range $9,100–$96,000)".
    """
    at = template.find("{value}")
    if at < 0:
        return "", ""
    before = template[at - 1] if at and unicodedata.category(template[at - 1]) == "Sc" else ""
    rest = template[at + len("{value}") :]
    sign = rest.lstrip(" \u00a0")
    after = (
        rest[: len(rest) - len(sign) + 1] if sign and unicodedata.category(sign[0]) == "Sc" else ""
    )
    return before, after


def _without_money_sign(template: str) -> str:
    """The wording without the currency sign by ``{value}``: the locale's format puts its own."""
    before, after = _money_signs(template)
    at = template.find("{value}")
    end = at + len("{value}")
    return template[: at - len(before)] + "{value}" + template[end + len(after) :]


def _amount(units: UnitScope, kind: Kind, unit: str) -> tuple[str | None, str | None]:
    """The period of a rate ('month' for 'hour/month' of a kind shown in 'hour') and the
    currency of an amount of money ('EUR' for 'EUR/month' of a kind shown in 'USD': a money
    kind holds any currency), each None when there is none."""
    display = kind.unit
    codes = currencies(units.parse(unit)) if is_money(kind.dimension) else ()
    if len(codes) == 1:
        display = in_currency(kind.unit, codes[0])
    prefix = f"{display}/"
    period = unit[len(prefix) :] if unit.startswith(prefix) else None
    amount = display if period else unit
    return period, (codes[0] if len(codes) == 1 and amount == codes[0] else None)
