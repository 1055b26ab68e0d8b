"""A compiled path's units: what each step's value is shown in, and the result's unit.

:func:`natural` chooses the unit a value of a kind is shown in (the kind's own, per the period
of a rate, or the ``unit=`` asked for) and the factor to it; a :class:`Frame` holds those of
every step of a path, worked out once for factors in given units. The factors' values do not
change them: a tenant whose figures are in their parameters' own units shares its root's frame
(see ``tenant.py``). :func:`multiplied` is the one place a path's factors are multiplied out.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from equivmetrics._catalog.catalog import Edge, Kind
from equivmetrics._catalog.values import read_value
from equivmetrics._core.expr import ExprError, Floats
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._core.unit_text import format_unit
from equivmetrics._core.units import PintUnit, UnitScope, unit_factor
from equivmetrics.exceptions import InputTypeError, PeriodError, UnitError

from .exchange import kind_unit
from .result import Step

__all__ = ["Frame", "multiplied", "natural", "period"]


@attrs.frozen
class Frame:
    """A path's units for factors in given units: each step's unit text and the factor from
    the running unit to it, the exchange (its rate and step), the result's unit and factor."""

    shown: tuple[tuple[str, float], ...]
    rate: float
    swap: Step | None
    unit: str
    conv: float
    #: The path's negative-value policy (the strictest of its kinds) and the kind it is from.
    negative: NegativePolicy
    negative_kind: str


def multiplied(scale: float, path: Sequence[Edge], factors: Sequence[Floats]) -> list[Floats]:
    """The running factor (central, low, high) after each step of ``path``, from ``scale``:
    times each factor, or divided by it (low by high) where the rule is walked backwards."""
    k = lo = hi = scale
    running = []
    for edge, (central, low, high) in zip(path, factors, strict=True):
        if edge.inverse:
            k, lo, hi = k / central, lo / high, hi / low
        else:
            k, lo, hi = k * central, lo * low, hi * high
        running.append((k, lo, hi))
    return running


def natural(
    units: UnitScope,
    kind: Kind,
    cur: PintUnit,
    time_text: str | None,
    requested: str | None,
    *,
    final: bool,
    given: str = "",
    source: str = "",
) -> tuple[str, float]:
    """The unit to show a value of ``kind`` in, and the factor from ``cur`` to it."""
    dim, time = cur.dimensionality, units.time
    shown, dimension = kind_unit(units, kind, cur)  # a money kind in the amount's currency
    kind = attrs.evolve(kind, unit=shown, dimension=dimension)
    if requested is not None:
        wanted = units.parse(requested)
        if wanted.dimensionality == dim:
            return requested, unit_factor(cur, wanted)
        if wanted.dimensionality == kind.dimension and dim == kind.dimension / time:
            raise PeriodError(
                f"the result is a rate ({kind.unit} per {time_text}); ask for a rate unit such "
                f"as {kind.unit + '/' + (time_text or 'month')!r}",
                unit=requested,
            )
        raise UnitError(
            f"unit {requested!r} does not fit {kind.name}, which is measured in {kind.unit}",
            unit=requested,
        )
    if dim == kind.dimension:
        return kind.unit, unit_factor(cur, units.parse(kind.unit))
    if dim == kind.dimension / time:
        period = time_text or units.time_part(cur) or "year"
        text = f"{kind.unit}/{period}"
        return text, unit_factor(cur, units.parse(text))
    if final and dim == kind.dimension * time:
        raise PeriodError(
            f"input in {given!r} is a total of {source}, but {kind.name} ({kind.unit}) is a "
            f"capacity, so converting needs a period: give a rate (a unit such as "
            f"'{given}/month'), pass per='month' (command line: --per month), or ask for a "
            f"total with unit='{kind.unit}*year'",
            unit=given,
        )
    if final:
        raise UnitError(f"internal: cannot express {format_unit(cur)} as {kind.name}")
    return format_unit(cur), 1.0


def period(units: UnitScope, text: str) -> tuple[float, PintUnit, str]:
    if not isinstance(text, str):
        raise InputTypeError(
            f"per= must be text such as 'month' or '30 day', not {text!r}", value=text
        )
    try:
        value = read_value(units, text, "per=")
    except ExprError as exc:
        raise UnitError(f"cannot read per={text!r}: {exc.message}", unit=text) from None
    if value.unit.dimensionality != units.time or not value.central > 0:
        raise PeriodError(
            f"per={text!r} must be a positive period of time, like 'month'", unit=text
        )
    # the magnitude goes into the factor; rates are shown per the unit ("per 28 day" -> /day)
    return value.central, value.unit, format_unit(value.unit)
