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
from equivmetrics._core.money import currencies, in_currency, is_money
from equivmetrics._core.units import UnitScope, unit_factor
from equivmetrics._engine.result import Result
from equivmetrics._packs.wording import fill

from . import cldr
from .formatter import SHOW_RANGE, SYMBOLS, Formatter, duration_parts, round_sig
from .messages import Messages, language_of, sentence_words
from .names import amount

__all__ = ["Voice", "Words", "voice_for", "word"]

_PLACEHOLDER = re.compile(r"\{[a-z]+\}")
_NO_PER = re.compile(r"[ \t]*\{per\}")
_ENGLISH_TIME = ("minute", "hour", "min")


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
            return Formatter("en").plural(value, sig)
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

    def range_unit(self, range_text: str, unit: str, minutes: float) -> str:
        """'48–110 min': the range of a duration names the unit its ends are in."""
        if self.english:
            return f"{range_text} {'min' if minutes == 1 else unit}"
        return cldr.range_with_unit(range_text, unit, self.locale)


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
    voice = voice_for(kind, role, formatter.locale)
    value, low, high = float(result.magnitude), float(result.low), float(result.high)
    period, currency = _amount(units, kind, result.unit)
    template = _template(kind, role, voice)
    if currency:
        before, after = _money_signs(template)
        if formatter.english and (before or after).strip() == SYMBOLS.get(currency, "\x00"):
            currency = None  # the English wording writes this currency's sign itself
        else:
            template = _without_money_sign(template)
    count_like = not kind.dimension  # a count: no dimension at all
    minutes = _minutes(units, kind, result.unit)
    shown = _Shown(formatter, voice, digits, currency)
    value_text, category, duration = shown.value(value, count_like, minutes)
    label = _label(kind, voice, category)
    label = voice.without_unit_word(label, kind.unit) if duration else label
    below_one = count_like and 0 < abs(round_sig(value, digits)) < 1
    range_text = shown.range(value, low, high, template, below_one=below_one)
    if range_text and duration and minutes is not None:
        range_text = voice.range_unit(range_text, kind.unit, minutes)
    text = _sentence(template, value_text, label, voice.per(period) if period else "")
    if value == 0 and voice.messages.has("equivalent.zero"):
        text = voice.messages.text("equivalent.zero", label=_label(kind, voice, "other"))
    if range_text:
        text += " " + voice.messages.text("equivalent.range", range=range_text)
    return Words(text, value_text, range_text, label, voice.tag)


def _template(kind: Kind, role: str, voice: Voice) -> str:
    """The pack's wording in the voice's language, else the library's default wording."""
    presentation = kind.presentation
    if voice.english:
        found = presentation.template(role, voice.locale)
    else:
        found = presentation.localized(role, voice.locale) or presentation.template(role, "")
    return found if found is not None else str(voice.messages.raw(f"equivalent.{role}"))


def _sentence(template: str, value_text: str, label: str, per: str) -> str:
    """The wording filled in; the period where the wording puts ``{per}``, else at the end."""
    if not per:
        return fill(_NO_PER.sub("", template), value=value_text, label=label).strip()
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

    def value(self, value: float, count_like: bool, minutes: float | None) -> tuple[str, str, bool]:
        """The value as words ("1 h 15 min", "less than 1", "22,500"), its plural category,
        and whether it is a duration in hours and minutes."""
        if not math.isfinite(value):
            return str(value), "other", False
        if value == 0:
            return self.number(0.0) if self.currency else "0", "other", False
        if minutes is not None and (parts := duration_parts(abs(value) * minutes)) is not None:
            return self.voice.duration(*parts), "other", True
        if count_like and 0 < abs(round_sig(value, self.digits)) < 1:
            one = self.formatter.number(1, 1)
            text = self.voice.messages.text("equivalent.less_than", value=one)
            return text, self.voice.plural(self.formatter, 1, 1), False
        return self.number(value), self.voice.plural(self.formatter, value, self.digits), False

    def range(
        self, value: float, low: float, high: float, template: str, *, below_one: bool
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
        before, after = _money_signs(template)
        return f"{before}{self.number(low)}{after}\u2013{before}{self.number(high)}{after}"


def _label(kind: Kind, voice: Voice, category: str) -> str:
    if not voice.english:
        localized = kind.presentation.label(voice.locale, category)
        if localized:
            return localized
    return kind.label_one if category == "one" else kind.label_other


def _minutes(units: UnitScope, kind: Kind, unit: str) -> float | None:
    """Minutes per unit of the result, for kinds measured in time shown as totals."""
    if kind.dimension != units.time:
        return None
    parsed = units.parse(unit)
    if parsed.dimensionality != units.time:
        return None  # a rate such as hour/month: not a duration
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
