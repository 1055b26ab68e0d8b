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
from equivmetrics._catalog.values import parameter_in, parameters_used
from equivmetrics._core.expr import Floats, Value
from equivmetrics._core.money import currencies
from equivmetrics._core.negative import strictest
from equivmetrics._core.suggest import close_matches, shown
from equivmetrics._core.unit_text import format_unit
from equivmetrics._core.units import PintUnit
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
from .path_units import Frame, multiplied, natural, period
from .reading import infer, is_rate_of, refuse
from .result import ParameterUse, Step, StepsLater

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
            per_mag, per_unit, time_text = period(self.units, self.per)
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
        factors = [factor_of(edge) for edge in plan.path]
        frame = self.frame(plan, [f.unit for f in factors])
        running = multiplied(plan.scale, plan.path, [f.floats for f in factors])
        steps = [
            self.step(edge, f, k * conv, text, overrides)
            for edge, f, (k, _, _), (text, conv) in zip(
                plan.path, factors, running, frame.shown, strict=True
            )
        ]
        return self.finish(plan, frame, running, steps)

    def frame(self, plan: Plan, factor_units: list[PintUnit]) -> Frame:
        """The units of ``plan``'s steps and result for factors in ``factor_units``."""
        time_text, cur, shown = plan.time_text, plan.unit, []
        for edge, unit in zip(plan.path, factor_units, strict=True):
            cur = cur / unit if edge.inverse else cur * unit
            kind = self.catalog.kinds[edge.target]
            shown.append(natural(self.units, kind, cur, time_text, None, final=False))
        target = plan.target
        what = f"{self.input_text!r} to {target.name}"
        cur, rate, swap = exchange(self.units, cur, self._currency(target, cur), self.rates, what)
        out_text, conv = natural(
            self.units,
            target,
            cur,
            time_text,
            self.unit,
            final=True,
            given=self.input_text,
            source=plan.source.name,
        )
        kinds = [plan.source, *(self.catalog.kinds[edge.target] for edge in plan.path)]
        policy, policy_kind = strictest((kind.negative, kind.name) for kind in kinds)
        return Frame(tuple(shown), rate, swap, out_text, conv, policy, policy_kind)

    def finish(
        self, plan: Plan, frame: Frame, running: list[Floats], steps: list[Step] | StepsLater[Step]
    ) -> Compiled:
        """The :class:`Compiled` of ``plan`` from its frame and running factors."""
        k, lo, hi = running[-1] if running else (plan.scale,) * 3
        rate, conv, out_text, target = frame.rate, frame.conv, frame.unit, plan.target
        k, lo, hi = k * rate, lo * rate, hi * rate
        if frame.swap is not None and isinstance(steps, list):  # the exchange, in the result's unit
            name = target.name
            swap = frame.swap
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
        return Compiled(
            k * conv,
            lo * conv,
            hi * conv,
            out_text,
            target.name,
            plan.source.name,
            shown,
            tuple(steps) if isinstance(steps, list) else steps,
            frame.negative,
            frame.negative_kind or plan.source.name,
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
