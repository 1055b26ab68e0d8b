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
from collections.abc import Iterable
from typing import Any

import attrs

from equivmetrics._catalog.catalog import Kind
from equivmetrics._core.numbers import is_scalar as _is_scalar
from equivmetrics._core.numbers import json_float as _json_float
from equivmetrics._core.quantity import unfit
from equivmetrics._core.records import FOREIGN, explained, vouch
from equivmetrics._core.units import UnitScope
from equivmetrics._engine.core import Candidate
from equivmetrics._engine.result import Result, Step, editions_of, region_of
from equivmetrics._packs.model import Source, citation_dict, source_dict
from equivmetrics.exceptions import InputTypeError, InputValueError

from .formatter import default_sig, formatter_of
from .html import render_html
from .sentence import word

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


@attrs.frozen(repr=False)
class Equivalent:
    """An equivalent as a person sees it: the number, its range, the words and the sources.

    ``locale`` is the locale asked for (it formats the numbers); ``language`` is the BCP 47 tag
    of the language the words are in: the locale's (``"de-CH"``) when the pack translates the
    kind, else ``"en"`` (see docs/equivalents.md, "Locales").
    """

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
    #: built by hand without it, the words are taken to be in the locale's language
    language: str = attrs.field(
        default=attrs.Factory(lambda self: self.locale.replace("_", "-"), takes_self=True)
    )

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
        try:
            return self._to_dict(compact)
        except FOREIGN as exc:  # an Equivalent built by hand with fields of other types
            raise explained(self, exc) from None

    def _to_dict(self, compact: bool) -> dict[str, Any]:
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
            "language": self.language,
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
    _one_value(result)
    formatter = formatter_of(locale)
    digits = (
        sig
        if sig is not None
        else default_sig(float(result.magnitude), float(result.low), float(result.high))
    )
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 6:
        raise unfit(digits, int)(
            f"sig= must be a whole number from 1 to 6, got {digits!r}", value=digits
        )
    words = word(kind, result, role, units=units, formatter=formatter, digits=digits)
    return vouch(
        Equivalent(
            kind=kind.name,
            role=role,
            magnitude=float(result.magnitude),
            unit=result.unit,
            low=float(result.low),
            high=float(result.high),
            text=words.text,
            value_text=words.value_text,
            range_text=words.range_text,
            label=words.label,
            icon=kind.icon,
            family=kind.presentation.family or kind.name,
            locale=locale,
            sources=result.sources,
            steps=result.steps,
            language=words.language,
        )
    )


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
        worded = [
            describe(c.kind, _finite(c.result), role, units=units, locale=locale, sig=sig)
            for c in candidates
        ]
        return Equivalents(worded[:top] if top else worded)
    scored: list[tuple[float, int, int, Candidate]] = []
    for order, candidate in enumerate(candidates):  # ranked first; only the chosen are worded
        kind, result = candidate.kind, _finite(_one_value(candidate.result))
        distance = _distance(kind, result.magnitude)
        scored.append((distance, kind.presentation.priority, order, candidate))
    best: dict[str, tuple[float, int, int, Candidate]] = {}
    for item in sorted(scored, key=lambda s: s[:3]):
        kind = item[3].kind
        best.setdefault(kind.presentation.family or kind.name, item)
    ranked_items = sorted(best.values(), key=lambda s: s[:3])
    inside = [item[3] for item in ranked_items if item[0] == 0]
    outside = [item[3] for item in ranked_items if item[0] != 0]
    chosen = inside + outside[: max(0, MIN_OFFERED - len(inside))]
    return Equivalents(
        describe(c.kind, c.result, role, units=units, locale=locale, sig=sig)
        for c in (chosen[:top] if top else chosen)
    )


def _one_value(result: Result) -> Result:
    """``result`` when it holds one value: equivalents are worded one value at a time."""
    if not _is_scalar(result.magnitude):
        raise InputTypeError(
            "equivalents are worded one value at a time; pass a number, "
            "or use Metric.columns() for arrays",
            value=result.magnitude,
        )
    return result


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
