"""The packs' parameters evaluated: quantities, and derived parameters computed from others.

A parameter's value is a quantity (``"2080 hour/FTE/year"``) or an arithmetic expression that
names other parameters of the loaded packs
(``"paid_hours_per_fte_year / (1 + paid_leave_per_hour_worked / wages_per_hour_worked)"``):
a *derived* parameter. It is evaluated after the parameters it names, its range follows from
theirs by interval arithmetic (so it has no ``low``/``high`` of its own), and no parameter may
be computed from itself. An engine whose tenant overrides an input computes it again
(:func:`~.values.parameter_in`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from equivmetrics._core.expr import Expr, ExprError, Name, Value, evaluate, names, parse_expr
from equivmetrics._core.units import UnitScope
from equivmetrics._packs.model import Pack, ParameterSpec
from equivmetrics.exceptions import Problem, UnitError

from .catalog import Parameter
from .values import parameter_value, suggest

__all__ = ["build_parameters", "derivation"]


def build_parameters(
    packs: Iterable[Pack], units: UnitScope
) -> tuple[dict[str, Parameter], list[Problem]]:
    """Every parameter of ``packs`` evaluated, and the problems of those that could not be."""
    builder = _Parameters(units)
    for pack in packs:
        for spec in pack.parameters:
            builder.declare(spec)
    for name in list(builder.specs):
        builder.evaluate(name, ())
    return builder.done, builder.problems


def derivation(text: str, known: Mapping[str, object]) -> tuple[Expr, tuple[str, ...]] | None:
    """The parsed value and the parameters it names, in order; None when it names none."""
    try:
        expr = parse_expr(text)
    except ExprError:
        return None  # read as a quantity, which reports the problem
    inputs = tuple(dict.fromkeys(n.id for n in names(expr) if n.id in known))
    return (expr, inputs) if inputs else None


class _Parameters:
    def __init__(self, units: UnitScope) -> None:
        self.units = units
        self.specs: dict[str, ParameterSpec] = {}
        self.done: dict[str, Parameter] = {}
        self.failed: set[str] = set()
        self.problems: list[Problem] = []

    def fail(self, spec: ParameterSpec, message: str, hint: str = "") -> None:
        self.failed.add(spec.name)
        self.problems.append(Problem(spec.location, f"parameters.{spec.name}", message, hint))

    def declare(self, spec: ParameterSpec) -> None:
        other = self.specs.get(spec.name)
        if other is None:
            self.specs[spec.name] = spec
            return
        self.problems.append(
            Problem(
                spec.location,
                f"parameters.{spec.name}",
                f"parameter {spec.name!r} of pack {spec.pack!r} is already defined by pack "
                f"{other.pack!r} at {other.location}",
                "rename one of them",
            )
        )

    def evaluate(self, name: str, chain: tuple[str, ...]) -> Parameter | None:
        """Parameter ``name``, evaluated after its inputs; None after a problem."""
        if name in self.done or name in self.failed:
            return self.done.get(name)
        spec = self.specs[name]
        if name in chain:
            cycle = " -> ".join((*chain[chain.index(name) :], name))
            self.fail(
                spec,
                f"parameter {name!r} is computed from itself: {cycle}",
                "a parameter's value may name other parameters, never itself through them",
            )
            return None
        found = derivation(spec.value, self.specs)
        param: Parameter | None
        try:
            if found is None:
                value = parameter_value(
                    self.units, spec.value, spec.low, spec.high, name, self.specs
                )
                param = Parameter(spec, value)
            else:
                param = self.derived(spec, *found, chain=(*chain, name))
        except (ExprError, UnitError) as exc:
            message = exc.message if isinstance(exc, ExprError) else str(exc)
            self.fail(spec, message, exc.hint if isinstance(exc, ExprError) else "")
            return None
        if param is not None:
            self.done[name] = param
        return param

    def derived(
        self, spec: ParameterSpec, expr: Expr, inputs: tuple[str, ...], *, chain: tuple[str, ...]
    ) -> Parameter | None:
        if spec.low is not None or spec.high is not None:
            raise ExprError(
                f"parameter {spec.name!r} is computed from other parameters "
                f"({', '.join(map(repr, inputs))}), so its range comes from theirs",
                hint="leave out 'low' and 'high', or give the range to the parameters it names",
            )
        for used in inputs:
            if self.evaluate(used, chain) is None:
                self.failed.add(spec.name)  # the input's own problem is reported
                return None

        def resolve(node: Name) -> Value:
            param = self.done.get(node.id)
            if param is not None:
                return param.value
            try:
                return Value.exact(1.0, self.units.parse(node.id))
            except UnitError:
                raise ExprError(
                    f"unknown unit or parameter {node.id!r} in parameter {spec.name!r}",
                    node.column,
                    suggest(self.units, node.id, self.specs),
                ) from None

        value = evaluate(expr, resolve, self.units.dimensionless)
        if not all(math.isfinite(x) for x in (value.central, value.low, value.high)):
            raise ExprError(f"parameter {spec.name!r} is not a finite number")
        return Parameter(spec, value, expr, inputs)
