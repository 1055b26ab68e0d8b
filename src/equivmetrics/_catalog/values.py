"""Values from text: quantities, parameter values with their ranges, and rule factors.

Each returns a :class:`~equivmetrics._core.expr.Value` (a unit and a central, low and high
magnitude), its units read in the given unit scope (the catalog's). The common form ``"4 min"``
is read on a fast path; anything else goes through the arithmetic grammar of
:mod:`equivmetrics._core.expr`, with units and parameter names resolved here.

A derived parameter (one whose value names other parameters) is computed from its inputs:
:func:`parameter_in` gives any parameter as an engine with some overrides sees it, and
:func:`parameters_used` lists what a factor depends on under those overrides.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping

from equivmetrics._core.expr import ExprError, Name, Value, evaluate, parse_expr
from equivmetrics._core.suggest import rewritten
from equivmetrics._core.unit_text import format_unit
from equivmetrics._core.units import UnitScope
from equivmetrics.exceptions import UnitError

from .catalog import Parameter, Rule

__all__ = [
    "factor_value",
    "number_and_unit",
    "parameter_in",
    "parameter_value",
    "parameters_used",
    "read_value",
    "resolver",
    "suggest",
]


def read_value(units: UnitScope, text: str, what: str, known: Iterable[str] = ()) -> Value:
    """Read a quantity written as a unit expression (``"1562.4 lb/MWh"``, ``"44/12"``).

    The common form, a number then a unit (``"4 min"``), takes a fast path: the unit part is
    parsed once and cached, so deriving tenant engines stays cheap. ``known`` names the
    parameters an unknown name may be a misspelling of.
    """
    quick = _number_and_unit(units, text)
    if quick is not None:
        return quick
    form = rewritten(text)
    if form is not None:  # "$55/hour", "12k kWh": said how to write them
        raise ExprError(f"cannot read {text!r}: {form[1]}; write {form[0]!r}")
    node = parse_expr(text)

    def resolve(name: Name) -> Value:
        try:
            unit = units.parse(name.id)
        except UnitError:
            hint = suggest(units, name.id, known)
            what_name = "unit or parameter" if known else "unit"
            message = f"unknown {what_name} {name.id!r} in {what}"
            raise ExprError(message, name.column, hint) from None
        return Value.exact(1.0, unit)

    value = evaluate(node, resolve, units.dimensionless)
    if not all(math.isfinite(x) for x in (value.central, value.low, value.high)):
        raise ExprError(f"{what} is not a finite number")
    return value


_SIMPLE = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s+[A-Za-z_][A-Za-z_/* ]*$")


def number_and_unit(text: str) -> tuple[float, str] | None:
    """``"4 min"`` as its number and unit text when it has that simple form, else None."""
    if not _SIMPLE.match(text):
        return None
    number, unit_text = text.split(maxsplit=1)  # any whitespace, as in the pattern
    return float(number), unit_text.strip()


def _number_and_unit(units: UnitScope, text: str) -> Value | None:
    """``"4 min"`` or ``"2080 hour/FTE/year"`` read directly; anything else returns None."""
    found = number_and_unit(text)
    if found is None:
        return None
    magnitude, unit_text = found
    try:
        unit = units.parse(unit_text)
    except UnitError:
        return None  # the full grammar reports the problem with its column
    return Value.exact(magnitude, unit) if math.isfinite(magnitude) else None


def suggest(units: UnitScope, name: str, parameters: Iterable[str]) -> str:
    """A hint naming the parameters and units closest to an unknown ``name``, or ''."""
    close = difflib.get_close_matches(name, list(parameters), n=2, cutoff=0.75)
    close += units.suggest(name, 2)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def parameter_value(
    units: UnitScope,
    value: str,
    low: str | None,
    high: str | None,
    name: str,
    known: Iterable[str] = (),
) -> Value:
    """Evaluate a parameter's value and optional range into one :class:`Value` (``known``:
    the parameters a misspelt name is matched against)."""
    central = read_value(units, value, f"parameter {name!r}", known)
    if low is None or high is None:
        return central
    lo = read_value(units, low, f"parameter {name!r} low")
    hi = read_value(units, high, f"parameter {name!r} high")
    for bound, label in ((lo, "low"), (hi, "high")):
        if bound.unit.dimensionality != central.unit.dimensionality:
            raise UnitError(
                f"{label} bound {format_unit(bound.unit)} does not measure the same thing as "
                f"the value ({format_unit(central.unit)})"
            )
    lo_m = lo.to(central.unit).central
    hi_m = hi.to(central.unit).central
    if not lo_m <= central.central <= hi_m:
        raise UnitError(
            f"range must contain the value: low {lo_m:g} <= value {central.central:g} "
            f"<= high {hi_m:g} does not hold"
        )
    return Value(central.unit, central.central, lo_m, hi_m)


def factor_value(
    units: UnitScope,
    rule: Rule,
    parameters: Mapping[str, Parameter],
    overrides: Mapping[str, Value],
) -> Value:
    """Evaluate a rule's factor with default parameters and any overrides."""
    value = evaluate(rule.expr, resolver(units, parameters, overrides), units.dimensionless)
    if not all(math.isfinite(x) for x in (value.central, value.low, value.high)):
        raise ExprError("factor is not a finite number")
    return value


def parameter_in(
    units: UnitScope,
    parameters: Mapping[str, Parameter],
    overrides: Mapping[str, Value],
    name: str,
) -> Value:
    """Parameter ``name`` as an engine with ``overrides`` uses it.

    An override wins; a derived parameter is computed again from its inputs when an override
    reaches any of them, and otherwise keeps the value the catalog computed.
    """
    if name in overrides:
        return overrides[name]
    param = parameters[name]
    if param.expr is None or overrides.keys().isdisjoint(parameters_used(parameters, param.inputs)):
        return param.value
    return evaluate(param.expr, resolver(units, parameters, overrides), units.dimensionless)


def parameters_used(
    parameters: Mapping[str, Parameter],
    names: Iterable[str],
    overridden: Collection[str] = (),
) -> tuple[str, ...]:
    """``names`` and, depth first, the inputs of each derived one among them, each once.

    The inputs of a parameter in ``overridden`` are left out: the override replaces them.
    """
    found: dict[str, None] = {}
    pending = list(reversed(list(names)))
    while pending:
        name = pending.pop()
        if name in found or name not in parameters:
            continue
        found[name] = None
        if name not in overridden:
            pending.extend(reversed(parameters[name].inputs))
    return tuple(found)


def resolver(
    units: UnitScope, parameters: Mapping[str, Parameter], overrides: Mapping[str, Value]
) -> Callable[[Name], Value]:
    """The value of a name in a factor: a parameter as an engine with ``overrides`` uses it,
    else a unit (1 of it)."""

    def resolve(name: Name) -> Value:
        if name.id in overrides or name.id in parameters:
            return parameter_in(units, parameters, overrides, name.id)
        try:
            return Value.exact(1.0, units.parse(name.id))
        except UnitError:
            raise ExprError(
                f"unknown name {name.id!r}",
                name.column,
                suggest(units, name.id, parameters) or "a name must be a parameter or a unit",
            ) from None

    return resolve
