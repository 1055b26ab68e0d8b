"""A tenant's parameter overrides, read and checked against the catalog's parameters.

``Engine.with_params(minutes_per_transaction="4 min")`` comes here: the name must be a known
parameter, the value must measure what the parameter measures (``"4 min"`` is read as 4 minutes
per transaction, see :func:`per_item`), and a parameter that factors use must stay positive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from equivmetrics._core.expr import ExprError, Value
from equivmetrics._core.money import generic
from equivmetrics._core.quantity import as_text, optional_text
from equivmetrics._core.suggest import close_matches, shown
from equivmetrics._core.unit_text import format_unit
from equivmetrics._core.units import UnitScope
from equivmetrics.exceptions import (
    InputError,
    ParameterTypeError,
    ParameterValueError,
    UnitError,
    UnknownParameterError,
)

from .catalog import Catalog
from .values import number_and_unit, parameter_value

__all__ = ["Memo", "override_value", "per_item"]


#: How many (parameter, unit text) pairs a :data:`Memo` keeps.
MAX_REMEMBERED = 1024

#: The unit an override of a parameter is read in, by parameter and unit text, once checked.
Memo = dict[tuple[str, str], Any]


def override_value(catalog: Catalog, name: str, raw: Any, memo: Memo | None = None) -> Value:
    """The value a tenant gives parameter ``name``; :class:`ParameterError` when it cannot be
    (:class:`UnknownParameterError`, :class:`ParameterTypeError` or :class:`ParameterValueError`).

    ``raw`` is text (``"4 min"``), a ``(magnitude, unit)`` pair, a pint quantity, or a mapping
    with ``value`` and optional ``low``/``high``. Without a range the value is exact.

    With a ``memo`` (one per catalog), text of the form ``"4 min"`` whose parameter and unit
    were read before takes its checked unit from there: the same value, without pint.
    """
    if memo is not None and isinstance(raw, str):
        found = number_and_unit(raw)
        if found is not None and found[0] > 0 and math.isfinite(found[0]):
            unit = memo.get((name, found[1]))
            if unit is not None:
                return Value.exact(found[0], unit)
            value = _checked(catalog, name, raw)
            if _simple(catalog, found[1]) and len(memo) < MAX_REMEMBERED:
                unit = catalog.parameters[name].value.unit
                # the parameter's own unit object when it is that unit: an identity test after
                memo[(name, found[1])] = unit if value.unit == unit else value.unit
            return value
    return _checked(catalog, name, raw)


def _simple(catalog: Catalog, unit_text: str) -> bool:
    """Whether ``unit_text`` is read as one unit (so ``"<number> <unit_text>"`` is the number
    of that unit, not an expression the full grammar reads otherwise)."""
    try:
        catalog.units.parse(unit_text)
    except UnitError:
        return False
    return True


def _checked(catalog: Catalog, name: str, raw: Any) -> Value:
    parameters = catalog.parameters
    if name not in parameters:
        close = close_matches(name, parameters, 2)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise UnknownParameterError(f"unknown parameter {shown(name)}{hint}", name=name)
    low = high = None
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"value", "low", "high"}
        if unknown or "value" not in raw:
            raise ParameterValueError(
                f"parameter {name!r}: a mapping needs 'value' and may have 'low' and "
                f"'high' (got {sorted(raw)})",
                name=name,
            )
        value, low, high = raw["value"], raw.get("low"), raw.get("high")
    else:
        value = raw
    try:
        result = parameter_value(
            catalog.units, as_text(value), optional_text(low), optional_text(high), name
        )
    except (ExprError, UnitError, InputError) as exc:
        message = exc.message if isinstance(exc, ExprError) else str(exc)
        error = ParameterTypeError if isinstance(exc, TypeError) else ParameterValueError
        raise error(f"parameter {name!r}: {message}", name=name) from None
    except OverflowError:
        raise ParameterValueError(
            f"parameter {name!r}: the value is too large for a 64-bit float", name=name
        ) from None
    expected = parameters[name].value.unit
    if generic(result.unit.dimensionality) != generic(expected.dimensionality):
        result = per_item(catalog.units, result, expected) or result
    # money in any currency: a tenant's cost in EUR stays EUR (never exchanged silently)
    if generic(result.unit.dimensionality) != generic(expected.dimensionality):
        raise ParameterValueError(
            f"parameter {name!r} is measured in {format_unit(expected)} "
            f"({expected.dimensionality}); {value!r} is {result.unit.dimensionality}",
            name=name,
        )
    if _money_shape(result.unit) != _money_shape(expected):
        raise ParameterValueError(
            f"parameter {name!r} is measured in {format_unit(expected)}; {value!r} mixes "
            "currencies differently: give it in one currency, as the parameter is "
            "(any currency: EUR/hour for USD/hour)",
            name=name,
        )
    if not result.low > 0 and any(name in r.parameters for r in catalog.rules.values()):
        raise ParameterValueError(
            f"parameter {name!r} must be positive (got {result.central:g}, low "
            f"{result.low:g}): factors are positive",
            name=name,
        )
    return result


def _money_shape(unit: Any) -> list[float]:
    """The powers of the currencies in ``unit``, sorted: [1] for EUR/hour, [] for none."""
    return sorted(p for n, p in unit.dimensionality.items() if n.startswith("[currency_") and p)


def per_item(units: UnitScope, value: Value, expected: Any) -> Value | None:
    """Read ``"4 min"`` for a parameter in ``min/transaction`` as 4 minutes per transaction.

    Applies only when exactly one unit in the denominator of the parameter's declared unit is
    missing from the override and it is not a unit of time (a bare "55 USD" for an hourly cost
    could be per hour or per day); anything else stays a dimension error.
    """
    missing = units.per_item(value.unit, expected)
    if missing is None:
        return None
    return Value(value.unit / missing, value.central, value.low, value.high)
