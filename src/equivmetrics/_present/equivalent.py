"""Equivalents: results presented to people, and the choice of which to show.

``Engine.feel_good`` and ``Engine.action`` convert one quantity into every kind the packs offer
in that role, keep those a person can picture, at most one per family, and word them.

Relatability, the rule that orders them (documented in docs/equivalents.md):

1. Candidates are the kinds that have a wording for the role and that a rule path reaches
   from the input's kind (a total that a kind cannot take without a period is skipped).
2. Each gets a distance: 0 when its magnitude lies in the kind's ``picturable`` range
   (default 1 to 100,000), else how many powers of ten it lies outside.
3. Within a ``family`` only the closest stays (ties: lower ``priority``, then pack order).
4. Sorted by distance, then ``priority`` (default 100), then pack order: stable for ties.
5. Kinds outside their picturable range are offered only to make up three in all.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from equivmetrics._catalog.catalog import Kind
from equivmetrics._core.numbers import is_scalar as _is_scalar
from equivmetrics._core.numbers import json_float as _json_float
from equivmetrics._core.quantity import unfit
from equivmetrics._core.units import UnitScope, unit_factor
from equivmetrics._engine.core import Candidate
from equivmetrics._engine.result import Result, Step, editions_of, region_of
from equivmetrics._packs.model import Source, citation_dict, source_dict
from equivmetrics._packs.wording import fill
from equivmetrics.exceptions import InputTypeError, InputValueError

from .formatter import SHOW_RANGE, Formatter, default_sig, duration_parts, round_sig
from .html import render_html

__all__ = [
    "EQUIVALENT_COMPACT_SCHEMA",
    "EQUIVALENT_SCHEMA",
    "Equivalent",
    "Equivalents",
    "choose",
    "describe",
]

EQUIVALENT_SCHEMA = "equivmetrics.equivalent/1"
EQUIVALENT_COMPACT_SCHEMA = "equivmetrics.equivalent.compact/1"
MIN_OFFERED = 3  # outside-the-picturable-range kinds only fill up to this many
_DEFAULT_WORDING = {"feel_good": "about {value} {label}", "action": "{value} {label}"}


@attrs.frozen(repr=False)
class Equivalent:
    """An equivalent as a person sees it: the number, its range, the words and the sources."""

    kind: str
    role: str
    magnitude: float
    unit: str
    low: float
    high: float
    text: str
    value_text: str
    range_text: str
    label: str
    icon: str
    family: str
    locale: str
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]

    @property
    def region(self) -> str:
        """The region its figures speak for (see :attr:`Result.region`)."""
        return region_of(self.steps)

    @property
    def editions(self) -> tuple[str, ...]:
        """The editions of its figures (see :attr:`Result.editions`)."""
        return editions_of(self.steps)

    def to_dict(self, *, compact: bool = False) -> dict[str, Any]:
        """JSON-ready data in the documented shape ``equivmetrics.equivalent/1``.

        ``compact=True`` gives ``equivmetrics.equivalent.compact/1`` for a dashboard: the
        kind and role, the value, its range and unit, the text, the icon and the citations —
        no derivation.
        """
        if compact:
            return {
                "schema": EQUIVALENT_COMPACT_SCHEMA,
                "kind": self.kind,
                "role": self.role,
                "magnitude": _json_float(self.magnitude),
                "low": _json_float(self.low),
                "high": _json_float(self.high),
                "unit": self.unit,
                "text": self.text,
                "icon": self.icon,
                "region": self.region,
                "editions": list(self.editions),
                "sources": [citation_dict(s) for s in self.sources],
            }
        return {
            "schema": EQUIVALENT_SCHEMA,
            "kind": self.kind,
            "role": self.role,
            "magnitude": _json_float(self.magnitude),
            "low": _json_float(self.low),
            "high": _json_float(self.high),
            "unit": self.unit,
            "text": self.text,
            "value_text": self.value_text,
            "range_text": self.range_text,
            "label": self.label,
            "icon": self.icon,
            "family": self.family,
            "locale": self.locale,
            "region": self.region,
            "editions": list(self.editions),
            "sources": [source_dict(s) for s in self.sources],
            "steps": [s.to_dict() for s in self.steps],
        }

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<Equivalent {self.role} {self.kind}: {self.text!r}>"

    def _repr_html_(self) -> str:
        return render_html([self])


class Equivalents(tuple[Equivalent, ...]):
    """A tuple of equivalents that also shows itself as one card in notebooks."""

    __slots__ = ()

    def to_dicts(self, *, compact: bool = False) -> list[dict[str, Any]]:
        """``[e.to_dict(compact=compact) for e in self]``: JSON-ready."""
        return [equivalent.to_dict(compact=compact) for equivalent in self]

    def _repr_html_(self) -> str:
        return render_html(self)


def describe(
    kind: Kind,
    result: Result,
    role: str,
    *,
    units: UnitScope,
    locale: str = "en",
    sig: int | None = None,
) -> Equivalent:
    """Word one scalar result for ``role`` in ``locale``, read in ``units`` (its engine's)."""
    if not _is_scalar(result.magnitude):
        raise InputTypeError(
            "equivalents are worded one value at a time; pass a number, "
            "or use Metric.columns() for arrays",
            value=result.magnitude,
        )
    formatter = Formatter(locale)
    value, low, high = float(result.magnitude), float(result.low), float(result.high)
    digits = sig if sig is not None else default_sig(value, low, high)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 6:
        raise unfit(digits, int)(
            f"sig= must be a whole number from 1 to 6, got {digits!r}", value=digits
        )
    count_like = not kind.dimension  # a count: no dimension at all
    minutes = _minutes(units, kind, result.unit)
    value_text, category = _value_words(value, digits, formatter, count_like, minutes)
    duration = minutes is not None and "h" in value_text.split()
    label = _label(kind, formatter, category)
    label = _without_unit_word(label) if duration else label
    template = kind.presentation.template(role, locale) or _DEFAULT_WORDING[role]
    below_one = count_like and 0 < abs(round_sig(value, digits)) < 1
    range_text = _range_words(value, low, high, digits, formatter, template, below_one=below_one)
    if range_text and duration:
        range_text += " min" if minutes == 1 else f" {_unit_word(kind)}"
    rate_period = _period(result.unit, kind.unit)
    per = _per_text(rate_period, formatter) if rate_period else ""
    text = fill(template, value=value_text, label=label, per=per).strip()
    if per and "{per}" not in template:
        text = f"{text} {per}"
    if value == 0 and formatter.english:
        text = f"no {_label(kind, formatter, 'other')}"
    if range_text:
        text += f" (range {range_text})"
    return Equivalent(
        kind=kind.name,
        role=role,
        magnitude=value,
        unit=result.unit,
        low=low,
        high=high,
        text=text,
        value_text=value_text,
        range_text=range_text,
        label=label,
        icon=kind.icon,
        family=kind.presentation.family or kind.name,
        locale=locale,
        sources=result.sources,
        steps=result.steps,
    )


def _value_words(
    value: float, digits: int, formatter: Formatter, count_like: bool, minutes: float | None
) -> tuple[str, str]:
    """The value as words ("1 h 15 min", "less than 1", "22,500") and its plural category."""
    if not math.isfinite(value):
        return str(value), "other"
    if value == 0:
        return "0", "other"
    if minutes is not None and (parts := duration_parts(abs(value) * minutes)) is not None:
        hours, mins = parts
        return (f"{hours} h {mins} min" if mins else f"{hours} h"), "other"
    if count_like and 0 < abs(round_sig(value, digits)) < 1:
        text = "less than 1" if formatter.english else f"< {formatter.number(1, 1)}"
        return text, formatter.plural(1, 1)
    return formatter.number(value, digits), formatter.plural(value, digits)


def _range_words(
    value: float,
    low: float,
    high: float,
    digits: int,
    formatter: Formatter,
    template: str,
    *,
    below_one: bool,
) -> str:
    """ "9,100–96,000" (with the wording's currency sign on both ends), or "" when not worth it."""
    show = (
        value != 0
        and math.isfinite(value)
        and not below_one  # "less than 1 railcar (0.0001-0.0002)" tells nothing more
        and (high - low) / abs(value) > SHOW_RANGE
    )
    if not show:
        return ""
    before, after = _money_signs(template)
    return (
        f"{before}{formatter.number(low, digits)}{after}"
        f"\u2013{before}{formatter.number(high, digits)}{after}"
    )


def _label(kind: Kind, formatter: Formatter, category: str) -> str:
    if not formatter.english:
        localized = kind.presentation.label(formatter.locale, category)
        if localized:
            return localized
    return kind.label_one if category == "one" else kind.label_other


def _unit_word(kind: Kind) -> str:
    return kind.unit


def _without_unit_word(label: str) -> str:
    """'minutes of brisk walking' -> 'of brisk walking' (the duration names its units)."""
    head, _, tail = label.partition(" ")
    if head.rstrip("s") in ("minute", "hour", "min") and tail:
        return tail
    return label


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


def _period(unit: str, kind_unit: str) -> str | None:
    """'month' for a result in 'hour/month' of a kind shown in 'hour'."""
    prefix = f"{kind_unit}/"
    return unit[len(prefix) :] if unit.startswith(prefix) else None


def _per_text(period: str, formatter: Formatter) -> str:
    if formatter.english:
        article = "an" if period[:1] in "aeiou" or period.startswith("hour") else "a"
        return f"{article} {period.replace('_', ' ')}"
    return f"/ {period}"


def choose(
    candidates: Iterable[Candidate],
    role: str,
    *,
    units: UnitScope,
    ranked: bool = True,
    top: int | None = None,
    locale: str = "en",
    sig: int | None = None,
) -> Equivalents:
    """Word the engine's candidates for ``role``; rank them by relatability (see module doc).

    ``units`` is the engine's unit scope. ``ranked=False`` keeps the candidates as given (the
    caller named them with ``only=``).
    """
    if not ranked:
        chosen = [
            describe(c.kind, _finite(c.result), role, units=units, locale=locale, sig=sig)
            for c in candidates
        ]
        return Equivalents(chosen[:top] if top else chosen)
    scored: list[tuple[float, int, int, Equivalent]] = []
    for order, candidate in enumerate(candidates):
        kind, result = candidate.kind, _finite(candidate.result)
        equivalent = describe(kind, result, role, units=units, locale=locale, sig=sig)
        distance = _distance(kind, result.magnitude)
        scored.append((distance, kind.presentation.priority, order, equivalent))
    best: dict[str, tuple[float, int, int, Equivalent]] = {}
    for item in sorted(scored, key=lambda s: s[:3]):
        best.setdefault(item[3].family, item)
    ranked_items = sorted(best.values(), key=lambda s: s[:3])
    inside = [item[3] for item in ranked_items if item[0] == 0]
    outside = [item[3] for item in ranked_items if item[0] != 0]
    chosen = inside + outside[: max(0, MIN_OFFERED - len(inside))]
    return Equivalents(chosen[:top] if top else chosen)


def _finite(result: Result) -> Result:
    """Refuse to word NaN or an infinity: "nan trees" is no equivalent (arrays pass through)."""
    if _is_scalar(result.magnitude) and not math.isfinite(float(result.magnitude)):
        raise InputValueError(
            f"cannot word {result.input_magnitude!r} {result.input_unit} as {result.kind}: the "
            f"result is {float(result.magnitude)!r}, and equivalents need a finite number; "
            "drop missing values (NaN) and check the input's size before asking for equivalents",
            value=result.input_magnitude,
        )
    return result


def _distance(kind: Kind, magnitude: float) -> float:
    """0 inside the picturable range, else how many powers of ten outside it."""
    value = abs(float(magnitude))
    low, high = kind.presentation.picturable
    if value == 0 or not math.isfinite(value):
        return math.inf
    if value < low:
        return math.log10(low / value)
    if value > high:
        return math.log10(value / high)
    return 0.0
