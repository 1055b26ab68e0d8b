"""Compiling a conversion: kinds, periods, the path and its factors, reduced to plain floats.

:class:`Compiler` works out one conversion for an :class:`~equivmetrics.Engine` — the source
kind (from ``of=`` or the input unit), refused units, rates and periods, the catalog's path, each
rule's factor with its range, the result unit — and returns a :class:`Compiled`: three floats
(central, low, high factor), the steps that explain them and the negative-value policy. pint is
used here, once per conversion; applying a :class:`Compiled` never touches it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from equivmetrics._catalog.catalog import Catalog, Edge, Kind
from equivmetrics._catalog.regional import elsewhere, place_of
from equivmetrics._catalog.values import parameter_in, parameters_used, read_value
from equivmetrics._core.expr import ExprError, Value
from equivmetrics._core.money import currencies
from equivmetrics._core.negative import strictest
from equivmetrics._core.suggest import close_matches, shown
from equivmetrics._core.unit_text import format_unit
from equivmetrics._core.units import PintUnit, UnitScope, unit_factor
from equivmetrics.exceptions import (
    InputTypeError,
    NoPathError,
    PeriodError,
    UnitError,
    UnknownKindError,
)

from .compiled import Compiled
from .exchange import Rates, exchange, kind_unit
from .offers import dead_end
from .reading import infer, is_rate_of, refuse
from .result import ParameterUse, Step

__all__ = ["Compiler", "FactorOf", "Plan"]


#: How many input unit texts an engine remembers the kind of.
MAX_INFERRED = 10_000

#: The factor of one rule edge with an engine's parameters (central, low, high, unit).
FactorOf = Callable[[Edge], Value]


@attrs.frozen
class Plan:
    """What a conversion reads and where it goes, before any factor is looked up."""

    source: Kind
    target: Kind
    path: tuple[Edge, ...]
    input_unit: PintUnit
    #: The time unit of a rate ("month"), or None for a total.
    time_text: str | None
    #: ``1 / period`` for ``per=``, else 1; and the unit after it.
    scale: float
    unit: PintUnit


class Compiler:
    """Works out one conversion: kinds, period handling, path, factors and step records.

    :meth:`plan` reads the input and finds the path (pint and the catalog only);
    :meth:`build` multiplies the path's factors, as the engine supplies them, into a
    :class:`Compiled`. The engine decides between the two whether another engine (a tenant's
    root) can answer instead.
    """

    def __init__(
        self,
        catalog: Catalog,
        input_unit: str,
        to: str,
        of: str | None,
        unit: str | None,
        per: str | None,
        rates: Rates | None = None,
        inferred: dict[str, str] | None = None,
    ) -> None:
        self.catalog = catalog
        self.units = catalog.units
        self.rates = rates
        #: The kind each input unit text was read as (catalog facts an engine keeps).
        self.inferred = inferred if inferred is not None else {}
        self.input_text = input_unit
        self.to, self.of, self.unit, self.per = to, of, unit, per

    def kind(self, name: Any, role: str) -> Kind:
        if not isinstance(name, str):
            raise InputTypeError(
                f"{role} must be a kind name (text), not {type(name).__name__}", value=name
            )
        kinds = self.catalog.kinds
        if name not in kinds:
            close = close_matches(name, kinds, 3)
            hint = (
                f" — did you mean {' or '.join(map(repr, close))}?"
                if close
                else elsewhere(self.catalog, name) or "; see engine.kinds for the known kinds"
            )
            raise UnknownKindError(
                f"unknown kind {shown(name)} ({role}){hint}", kind=name, known=sorted(kinds)
            )
        return kinds[name]

    def source(self, unit: PintUnit) -> Kind:
        """The kind the input is read as (``of=``, else inferred), its unit checked against it."""
        if self.of is not None:
            source = self.kind(self.of, "of")
        elif (known := self.inferred.get(self.input_text)) is not None:
            source = self.catalog.kinds[known]
        else:
            source = infer(self.catalog, unit, self.input_text, self.to)
            if len(self.inferred) < MAX_INFERRED:  # unit texts come from callers: bounded
                self.inferred[self.input_text] = source.name
        refuse(source, self.input_text, repr(self.input_text), self.units)
        return source

    def read_input(self) -> tuple[Kind, PintUnit, str | None, float, PintUnit]:
        """The input's kind and unit, its period (None for a total), and the scale and unit
        after ``per=`` (1 and the input unit without it)."""
        in_unit = self.units.parse(self.input_text)
        source = self.source(in_unit)
        time_text = self.form(source, in_unit)
        scale, cur = 1.0, in_unit
        if self.per is not None:
            if time_text is not None:
                raise PeriodError(
                    f"{self.input_text!r} is already a rate per {time_text}; drop per=",
                    unit=self.input_text,
                )
            per_mag, per_unit, time_text = _period(self.units, self.per)
            scale, cur = 1.0 / per_mag, in_unit / per_unit
        return source, in_unit, time_text, scale, cur

    def plan(self) -> Plan:
        target = self.kind(self.to, "target")
        if isinstance(self.unit, str):  # a result unit the target refuses, as for its input
            refuse(target, self.unit, f"unit={self.unit!r}", self.units)
        source, in_unit, time_text, scale, cur = self.read_input()
        if source.name == target.name:
            path: tuple[Edge, ...] = ()
        else:
            found = self.catalog.paths.get((source.name, target.name))
            if found is None:
                raise NoPathError(
                    f"no rule leads from {source.name!r} to {target.name!r}"
                    f"{_kept_apart(source, target)}; {_reachable(self.catalog, source.name)}",
                    source=source.name,
                    target=target.name,
                )
            path = found
        return Plan(source, target, path, in_unit, time_text, scale, cur)

    def build(self, plan: Plan, factor_of: FactorOf, overrides: Mapping[str, Value]) -> Compiled:
        """The plan's path multiplied out with ``factor_of`` (the engine's factors)."""
        source, target, time_text, cur = plan.source, plan.target, plan.time_text, plan.unit
        k = lo = hi = plan.scale
        steps: list[Step] = []
        for edge in plan.path:
            f = factor_of(edge)
            if edge.inverse:
                cur, k, lo, hi = cur / f.unit, k / f.central, lo / f.high, hi / f.low
            else:
                cur, k, lo, hi = cur * f.unit, k * f.central, lo * f.low, hi * f.high
            kind = self.catalog.kinds[edge.target]
            step_text, conv = _natural(self.units, kind, cur, time_text, None, final=False)
            steps.append(self.step(edge, f, k * conv, step_text, overrides))
        what = f"{self.input_text!r} to {target.name}"
        cur, rate, swap = exchange(self.units, cur, self._currency(target, cur), self.rates, what)
        k, lo, hi = k * rate, lo * rate, hi * rate
        out_text, conv = _natural(
            self.units,
            target,
            cur,
            time_text,
            self.unit,
            final=True,
            given=self.input_text,
            source=source.name,
        )
        if swap is not None:  # the exchange, shown in the result's own unit
            name = target.name
            steps.append(
                attrs.evolve(
                    swap, source_kind=name, target_kind=name, cumulative=k * conv, unit=out_text
                )
            )
        if not all(0.0 < x < math.inf for x in (k * conv, lo * conv, hi * conv)):
            raise UnitError(
                f"converting {self.input_text!r} to {target.name} in {out_text} needs a factor "
                f"of {k * conv:g}, outside the range of a 64-bit float; choose units (or a "
                "per= period) closer in size",
                unit=out_text,
            )
        shown = self.input_text if self.per is None else f"{self.input_text} per {self.per.strip()}"
        kinds = [source, *(self.catalog.kinds[edge.target] for edge in plan.path)]
        policy, policy_kind = strictest((kind.negative, kind.name) for kind in kinds)
        return Compiled(
            k * conv,
            lo * conv,
            hi * conv,
            out_text,
            target.name,
            source.name,
            shown,
            tuple(steps),
            policy,
            policy_kind or source.name,
        )

    def _currency(self, target: Kind, cur: PintUnit) -> str | None:
        """The currency the result is wanted in: ``unit=``'s, else the target kind's when the
        amount mixes currencies (then rates decide), else None (the amount's own)."""
        if isinstance(self.unit, str):
            found = currencies(self.units.parse(self.unit))
            if len(found) == 1:
                return found[0]
        held = currencies(cur)
        shown = currencies(self.units.parse(target.unit))
        if len(held) > 1 and len(shown) == 1:
            return shown[0]
        return None

    def form(self, kind: Kind, unit: PintUnit) -> str | None:
        """None for a total; the time unit's text for a rate; an error otherwise."""
        dim = unit.dimensionality
        dimension = kind_unit(self.units, kind, unit)[1]
        if dim == dimension:
            return None
        if dim == dimension / self.units.time:
            part = self.units.time_part(unit)
            if part is not None:
                return part
            if not is_rate_of(self.units, kind, unit):
                raise UnitError(
                    f"{self.input_text!r} is a plain number, not an amount of {kind.name}: "
                    f"give a unit such as {kind.unit!r} or '{kind.unit}/month'",
                    unit=self.input_text,
                )
            return "year"  # a rate with its time inside the unit ("5 kW", "10 acre")
        raise UnitError(
            f"{self.input_text!r} does not measure {kind.name} (measured in {kind.unit}, "
            f"or {kind.unit} per unit of time)",
            unit=self.input_text,
        )

    def step(
        self,
        edge: Edge,
        f: Value,
        cumulative: float,
        unit_text: str,
        overrides: Mapping[str, Value],
    ) -> Step:
        uses = []
        catalog = self.catalog
        for name in parameters_used(catalog.parameters, edge.rule.names, overrides):
            param = catalog.parameters[name]
            tenant = name in overrides  # the engine's own figure: no source, no assumption
            derived = bool(param.inputs) and not tenant  # cites the parameters it is made of
            value = parameter_in(catalog.units, catalog.parameters, overrides, name)
            uses.append(
                ParameterUse(
                    name=name,
                    value=value.central,
                    low=value.low,
                    high=value.high,
                    unit=format_unit(value.unit),
                    source=None if tenant or derived else param.spec.source,
                    edition="" if tenant or derived else param.spec.edition,
                    assumption=False if tenant else param.spec.assumption,
                    overridden=tenant,
                    derivation=str(param.spec.value) if derived else "",
                )
            )
        spec = edge.rule.spec
        used = [catalog.parameters[u.name].spec for u in uses if not u.overridden]
        region, edition = place_of(self.catalog, spec.pack, used)
        return Step(
            rule=spec.id,
            source_kind=edge.source,
            target_kind=edge.target,
            expression=spec.factor,
            inverse=edge.inverse,
            factor=f.central,
            factor_low=f.low,
            factor_high=f.high,
            factor_unit=format_unit(f.unit),
            parameters=tuple(uses),
            sources=spec.sources,
            pack=spec.pack,
            location=spec.location,
            cumulative=cumulative,
            unit=unit_text,
            region=region,
            edition=edition,
        )


def _natural(
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


def _period(units: UnitScope, text: str) -> tuple[float, PintUnit, str]:
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


def _kept_apart(source: Kind, target: Kind) -> str:
    """Why a pair may have no path: a kind's ``not_via`` (" (... is never reached through ...)")."""
    kept = [kind for kind in (target, source) if kind.not_via]
    return "".join(
        f" ({kind.name!r} is never reached through {', '.join(map(repr, kind.not_via))})"
        for kind in kept
    )


def _reachable(catalog: Catalog, source: str) -> str:
    targets = sorted(t for (s, t) in catalog.paths if s == source)
    if not targets:
        return dead_end(catalog, source)
    shown = ", ".join(targets[:12]) + (", ..." if len(targets) > 12 else "")
    return f"from {source!r} you can reach: {shown}"
