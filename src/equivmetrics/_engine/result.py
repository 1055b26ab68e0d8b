"""Results of a conversion, with the steps that produced them.

A :class:`Result` holds plain floats (or the caller's array type) and strings only — no pint
objects — so it is cheap to build, safe to share between threads and pickles into worker
processes. ``quantity`` builds a pint quantity on demand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

from equivmetrics._core.memo import ByIdentity
from equivmetrics._core.numbers import count as _count
from equivmetrics._core.numbers import is_scalar as _is_scalar
from equivmetrics._core.numbers import json_float as _json_float
from equivmetrics._core.numbers import json_value as _json_value
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.numbers import range_end
from equivmetrics._core.records import FOREIGN, explained
from equivmetrics._core.regions import is_region, specificity
from equivmetrics._core.units import get_registry, parse_unit
from equivmetrics._packs.source import Source, citation_dict, source_dict
from equivmetrics.exceptions import Location, UnitError

from .steps_later import StepsLater, same_steps, steps_of

__all__ = [
    "ParameterUse",
    "Result",
    "Step",
    "StepsLater",
    "editions_of",
    "region_of",
    "same_steps",
    "steps_of",
]

RESULT_SCHEMA = "equivmetrics.result/1"
RESULT_COMPACT_SCHEMA = "equivmetrics.result.compact/1"


@attrs.frozen
class ParameterUse:
    """A parameter as one step used it: its value and range, and where the number comes from.

    A parameter the engine was given with :meth:`~equivmetrics.Engine.with_params` is the
    tenant's own figure (``overridden``, ``origin == "tenant"``): its value, range and unit
    are the ones given, and it has no source, no edition and is no assumption. Otherwise
    (``origin == "pack"``) the pack's value comes with its source; ``assumption`` marks a
    default the pack advises replacing with your own figure. A derived parameter (computed
    from others: ``derivation``) cites no source of its own: the parameters it is computed
    from are listed in the same step, each with its source, for the region the engine is for.
    """

    name: str
    value: float
    low: float
    high: float
    unit: str
    source: Source | None
    edition: str
    assumption: bool
    overridden: bool
    #: A derived parameter's expression (``"a / b"``): its figures come from the parameters it
    #: names, each with its own source, so it cites none of its own. Empty for a figure.
    derivation: str = ""

    def describe(self) -> str:
        text = f"{self.name} = {_num(self.value)} {self.unit}".rstrip()
        if self.low != self.high:
            text += f" (range {_num(self.low)}–{_num(self.high)})"
        if self.overridden:
            text += "; set for this engine"
        elif self.derivation:
            text += f"; = {self.derivation}"
        elif self.source is not None:
            text += f"; source: {self.source.cite()}"
            if self.edition and self.edition != self.source.edition:
                text += f", edition {self.edition}"
        if self.assumption and not self.overridden:
            text += "; an assumption — override it with your own figure"
        return text

    @property
    def origin(self) -> Literal["tenant", "pack"]:
        """``"tenant"`` for a figure set for this engine, ``"pack"`` for the pack's own."""
        return "tenant" if self.overridden else "pack"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``origin`` says whose figure it is (a tenant's has no source)."""
        tenant = self.overridden
        return {
            "name": self.name,
            "origin": self.origin,
            "value": _json_float(self.value),
            "low": _json_float(self.low),
            "high": _json_float(self.high),
            "unit": self.unit,
            "source": None if tenant else source_dict(self.source),
            "edition": "" if tenant else self.edition,
            "assumption": self.assumption and not tenant,
            "overridden": tenant,
            "derivation": "" if tenant else self.derivation,
        }


@attrs.frozen
class Step:
    """One rule applied: ``value_after = value_before x factor`` (or ÷ when walked backwards).

    ``cumulative`` turns the input magnitude into the value after this step, in ``unit``.
    ``pack`` and ``location`` say where the rule is written (``location.file`` is the pack's
    origin on this machine); :meth:`to_dict` names the pack, the file without its folder, and
    the line, never a path.
    """

    rule: str
    source_kind: str
    target_kind: str
    expression: str
    inverse: bool
    factor: float
    factor_low: float
    factor_high: float
    factor_unit: str
    parameters: tuple[ParameterUse, ...]
    sources: tuple[Source, ...]
    pack: str
    location: Location
    cumulative: float
    unit: str
    #: The region this step's figures speak for ("" for a rule that holds everywhere) and the
    #: edition they come from.
    region: str = ""
    edition: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "from": self.source_kind,
            "to": self.target_kind,
            "expression": self.expression,
            "inverse": self.inverse,
            "factor": _json_float(self.factor),
            "factor_low": _json_float(self.factor_low),
            "factor_high": _json_float(self.factor_high),
            "factor_unit": self.factor_unit,
            "parameters": [p.to_dict() for p in self.parameters],
            "sources": [source_dict(s) for s in self.sources],
            "defined_in": {"pack": self.pack, **self.location.to_dict()},
            "unit": self.unit,
            "region": self.region,
            "edition": self.edition,
        }


def _same(a: Any, b: Any) -> bool:
    """Equality for magnitudes: numbers or arrays, NaN equal to NaN."""
    if _is_scalar(a) and _is_scalar(b):
        return bool(a == b or (a != a and b != b))  # noqa: PLR0124 - NaN test
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except TypeError:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))


@attrs.frozen(slots=True)
class Result:
    """A converted quantity: value, range, kind, unit and how it was computed.

    ``magnitude`` has the type of the input magnitude (a float for a number, an array for an
    array); ``low`` and ``high`` are computed on demand from the factor's range. Results are equal
    when all their fields are (arrays element by element, NaN equal to NaN).
    """

    magnitude: Any = attrs.field(eq=attrs.cmp_using(eq=_same))
    unit: str
    kind: str
    source_kind: str
    input_magnitude: Any = attrs.field(eq=attrs.cmp_using(eq=_same))
    input_unit: str
    factor: float
    factor_low: float
    factor_high: float
    _steps: tuple[Step, ...] | StepsLater[Step] = attrs.field(
        alias="steps", eq=attrs.cmp_using(eq=same_steps, require_same_type=False), hash=False
    )
    #: True when the input is known to hold no negative value (its path refused them or read
    #: them as NaN), so each end of the range is one multiplication. Not part of equality.
    nonnegative: bool = attrs.field(default=False, eq=False, repr=False)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The rules applied, in order (with the exchange of currencies, if any)."""
        return steps_of(self._steps)

    @property
    def low(self) -> Any:
        """The lower end of the range (same type as ``magnitude``)."""
        if self.nonnegative:
            return self.input_magnitude * self.factor_low
        return range_end(self.input_magnitude, self.factor_low, self.factor_high)

    @property
    def high(self) -> Any:
        """The upper end of the range (same type as ``magnitude``)."""
        if self.nonnegative:
            return self.input_magnitude * self.factor_high
        return range_end(self.input_magnitude, self.factor_high, self.factor_low)

    @property
    def quantity(self) -> Any:
        """The result as a quantity of :func:`equivmetrics.get_registry`'s registry.

        That registry holds pint's units and the library's own, not the units packs define: a
        result in such a unit (``home_year``, or a unit of your own pack) raises
        :class:`~equivmetrics.UnitError`; ``engine.quantity(result)`` gives it in the registry
        of the engine that computed it.
        """
        try:
            unit = parse_unit(self.unit)
        except UnitError:
            raise UnitError(
                f"em.get_registry() cannot read {self.unit!r}, the unit of this {self.kind} "
                "result: a pack defines it, and that registry holds pint's units and the "
                "library's own only; use engine.quantity(result) with the engine that "
                "computed it",
                unit=self.unit,
            ) from None
        return get_registry().Quantity(self.magnitude, unit)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source behind the result, each once, in the order the steps use them."""
        steps = self.steps
        return _SOURCES.get((steps,), lambda: _sources(steps))

    @property
    def region(self) -> str:
        """The region the result's figures speak for: the most specific of its steps'
        (``"US-CAMX"``, ``"GB"``), or ``""`` when no step depends on a place."""
        return region_of(self.steps)

    @property
    def editions(self) -> tuple[str, ...]:
        """The editions of the figures behind the result, each once, in step order."""
        return editions_of(self.steps)

    @property
    def edition(self) -> str:
        """:attr:`editions` as one label (``"eGRID2023 + AVERT2019-eGRID2019"``)."""
        return " + ".join(self.editions)

    def explain(self) -> str:
        """A derivation a customer can check by hand, one line per step, with sources.

        Always in English, with English number formatting, whatever locale equivalents are
        worded in: it quotes the packs' figures, units and sources as they are written.
        """
        try:
            return self._explain()
        except FOREIGN as exc:  # a Result built by hand with fields of other types
            raise explained(self, exc) from None

    def _explain(self) -> str:
        scalar = _is_scalar(self.input_magnitude)
        given = (
            f"{_num(self.input_magnitude)} {self.input_unit}"
            if scalar
            else f"{_count(self.input_magnitude)} values in {self.input_unit}"
        )
        lines = [f"{given} of {self.source_kind}"]
        if self.region:
            lines.append(f"  figures for region {self.region}, edition {self.edition}")
        if not self.steps:
            lines.append(f"  = {self._value_text()} (a unit conversion, no rule)")
        for number, step in enumerate(self.steps, 1):
            verb = "÷" if step.inverse else "×"
            lines.append(
                f"  {number}. {step.source_kind} -> {step.target_kind} by rule {step.rule!r}: "
                f"{verb} {_num(step.factor)} {step.factor_unit}".rstrip()
                + (
                    f" (range {_num(step.factor_low)}–{_num(step.factor_high)})"
                    if step.factor_low != step.factor_high
                    else ""
                )
            )
            lines.append(f"     factor = {step.expression}")
            lines.extend(f"       {p.describe()}" for p in step.parameters)
            lines.extend(f"       rule source: {s.cite()}" for s in step.sources)
            if scalar:
                value = self.input_magnitude * step.cumulative
                lines.append(f"     = {_num(value)} {step.unit} of {step.target_kind}")
        lines.append(f"Result: {self._value_text()} of {self.kind}")
        return "\n".join(lines)

    def _value_text(self) -> str:
        if not _is_scalar(self.magnitude):
            return f"input × {_num(self.factor)} {self.unit}"
        text = f"{_num(self.magnitude)} {self.unit}"
        if self.factor_low != self.factor_high:
            text += f" (range {_num(self.low)}–{_num(self.high)})"
        return text

    def to_dict(self, *, compact: bool = False) -> dict[str, Any]:
        """A JSON-safe dictionary (NaN and infinities become ``None``); arrays become lists.

        The full form (``equivmetrics.result/1``) carries the input and every step;
        ``compact=True`` gives ``equivmetrics.result.compact/1``: the kind, the value, its
        range, the unit and the citations behind it, for a dashboard.
        """
        try:
            return self._to_dict(compact)
        except FOREIGN as exc:  # a Result built by hand with fields of other types
            raise explained(self, exc) from None

    def _to_dict(self, compact: bool) -> dict[str, Any]:
        if compact:
            return {
                "schema": RESULT_COMPACT_SCHEMA,
                "kind": self.kind,
                "magnitude": _json_value(self.magnitude),
                "low": _json_value(self.low),
                "high": _json_value(self.high),
                "unit": self.unit,
                "region": self.region,
                "editions": list(self.editions),
                "sources": [citation_dict(s) for s in self.sources],
            }
        return {
            "schema": RESULT_SCHEMA,
            "kind": self.kind,
            "magnitude": _json_value(self.magnitude),
            "low": _json_value(self.low),
            "high": _json_value(self.high),
            "unit": self.unit,
            "input": {
                "kind": self.source_kind,
                "magnitude": _json_value(self.input_magnitude),
                "unit": self.input_unit,
            },
            "factor": _json_float(self.factor),
            "region": self.region,
            "editions": list(self.editions),
            "steps": [s.to_dict() for s in self.steps],
        }

    def _repr_html_(self) -> str | None:
        """The notebook view: :data:`html_renderer`'s HTML (None: the plain repr)."""
        return None if html_renderer is None else html_renderer(self)

    def __repr__(self) -> str:
        if _is_scalar(self.magnitude):
            return f"<Result {_num(self.magnitude)} {self.unit} of {self.kind}>"
        return f"<Result {_count(self.magnitude)} values in {self.unit} of {self.kind}>"


#: The sources of a conversion's steps, by the identity of its steps (shared by its results).
_SOURCES: ByIdentity[tuple[Source, ...]] = ByIdentity()


def _sources(steps: tuple[Step, ...]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for step in steps:
        for source in (*step.sources, *(p.source for p in step.parameters if p.source)):
            seen.setdefault(f"{source.key}|{source.title}", source)
    return tuple(seen.values())


#: Draws a result as HTML for notebooks. The engine never imports presentation: the public
#: package (``equivmetrics/__init__.py``) sets this to the presentation layer's renderer.
html_renderer: Callable[[Result], str] | None = None


def _depth(region: str) -> int:
    return specificity(region) if is_region(region) else 0


def region_of(steps: tuple[Step, ...]) -> str:
    """The most specific region of ``steps`` (``""`` when none depends on a place)."""
    return max((step.region for step in steps if step.region), key=_depth, default="")


def editions_of(steps: tuple[Step, ...]) -> tuple[str, ...]:
    """The editions of ``steps``' figures, each once, in step order."""
    return tuple(dict.fromkeys(step.edition for step in steps if step.edition))
