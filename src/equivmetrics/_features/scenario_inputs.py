"""A scenario's inputs, checked: numbers, shares, adoption levels, years, ramps, costs, benefits.

Every reader raises :class:`~equivmetrics.InputError` naming the argument and what it needs
(``costs[2]: expected an amount of money ...``), so :class:`~equivmetrics.Scenario` fails
before computing anything.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from equivmetrics._core.numbers import is_scalar as _is_scalar
from equivmetrics._core.quantity import is_number, split, unfit
from equivmetrics._core.units import UnitScope, parse_unit, unit_factor
from equivmetrics._engine.result import Result
from equivmetrics.exceptions import EquivMetricsError, InputTypeError, InputValueError

__all__ = [
    "ADOPTION_MEANING",
    "money_rate",
    "read_benefit",
    "read_cost_risk",
    "read_costs",
    "read_discount_rate",
    "read_levels",
    "read_ramp",
    "read_share",
    "read_years",
]

#: What an adoption level means, for messages.
ADOPTION_MEANING = "the share of licensed users who use the feature"


def _number(where: str, value: Any, meaning: str) -> float:
    if not is_number(value):
        raise InputTypeError(
            f"{where} must be a number ({meaning}), not {type(value).__name__} {value!r:.60}",
            value=value,
        )
    try:
        number = float(value)
    except OverflowError:  # an int beyond the doubles
        number = math.inf
    if not math.isfinite(number):
        raise InputValueError(f"{where} is {number}: give a finite number ({meaning})", value=value)
    return number


def read_share(where: str, value: Any, meaning: str) -> float:
    number = _number(where, value, f"{meaning}, from 0 to 1")
    if number < 0:
        raise InputValueError(
            f"{where} = {value!r} is negative: it is {meaning}, from 0 to 1", value=value
        )
    if number > 1:
        hint = f" (write {number / 100:g} for {number:g} %)" if number <= 100 else ""
        raise InputValueError(
            f"{where} = {value!r} is over 100 %: it is {meaning}, from 0 to 1{hint}",
            value=value,
        )
    return number


def read_levels(adoption: Any) -> tuple[float, ...]:
    if not isinstance(adoption, bool) and isinstance(adoption, numbers.Real):
        return (read_share("adoption", adoption, ADOPTION_MEANING),)
    if isinstance(adoption, str | bytes | Mapping) or not isinstance(adoption, Iterable):
        raise InputTypeError(
            f"adoption must be a share from 0 to 1 or a sequence of them such as "
            f"(0.25, 0.5, 0.75, 1.0), got {adoption!r}",
            value=adoption,
        )
    levels = tuple(
        read_share(f"adoption[{index}]", value, ADOPTION_MEANING)
        for index, value in enumerate(adoption)
    )
    if not levels:
        raise InputValueError(
            "adoption is empty: give at least one level, such as (0.25, 0.5, 0.75, 1.0)",
            value=adoption,
        )
    return levels


def read_years(years: Any) -> int:
    if not is_number(years) or not isinstance(years, numbers.Integral) or years < 1:
        raise unfit(years, numbers.Integral)(
            f"years must be a whole number of at least 1 (TEI uses 3 after the initial "
            f"period), got {years!r}",
            value=years,
        )
    return int(years)


def read_ramp(ramp: Any, years: int) -> tuple[float, ...]:
    if ramp is None:
        return (1.0,) * years
    meaning = "the share of the adoption level reached that year"
    if isinstance(ramp, str | bytes | Mapping) or not isinstance(ramp, Iterable):
        raise InputTypeError(
            f"ramp must be a sequence of {years} shares from 0 to 1, one per year (such as "
            f"{(0.5,) + (1,) * (years - 1)}), got {ramp!r}",
            value=ramp,
        )
    values = tuple(ramp)
    if len(values) != years:
        raise InputValueError(
            f"ramp has {len(values)} value{'s' if len(values) != 1 else ''} but years={years} "
            f"needs {years}: one share for each of years 1 to {years} (no ramp in the initial "
            "period)",
            value=ramp,
        )
    return tuple(
        read_share(f"ramp[{index}] (year {index + 1})", value, meaning)
        for index, value in enumerate(values)
    )


def read_cost_risk(value: Any) -> float:
    meaning = "the share by which costs are risk-adjusted up, 0.1 for 10 %"
    number = _number("cost_risk", value, meaning)
    if number < 0:
        raise InputValueError(
            f"cost_risk = {value!r} is negative: it is {meaning}; risk never lowers costs",
            value=value,
        )
    return number


def read_discount_rate(value: Any, years: int) -> float:
    meaning = "a yearly rate, 0.10 for TEI's 10 %"
    number = _number("discount_rate", value, meaning)
    if number <= -1:
        raise InputValueError(
            f"discount_rate = {value!r} must be greater than -1: it is {meaning}", value=value
        )
    try:
        growth = (1.0 + number) ** years
    except OverflowError:
        growth = math.inf
    if not 0 < growth < math.inf or not 0 < 1.0 / growth < math.inf:
        raise InputValueError(
            f"discount_rate = {value!r} over {years} years discounts by a factor outside a "
            f"64-bit float: it is {meaning}",
            value=value,
        )
    return number


def _amount(where: str, value: Any, currency: str, meaning: str) -> float:
    number = _number(where, value, f"an amount of {currency}")
    if number < 0:
        raise InputValueError(f"{where} = {value!r} is negative: {meaning}", value=value)
    return number


def read_costs(costs: Any, years: int, currency: str) -> tuple[float, ...]:
    negative = "costs are what the customer pays; count savings as benefits"
    shape = f"the initial period (year 0) then years 1 to {years}"
    if isinstance(costs, Mapping):
        values = [0.0] * (years + 1)
        for key, value in costs.items():
            year = 0 if key == "initial" else key
            if isinstance(year, bool) or not isinstance(year, int) or not 0 <= year <= years:
                raise unfit(key, int, str)(
                    f"costs has key {key!r}, but the years are 0 (or 'initial') to {years}: "
                    f"{shape}",
                    value=key,
                )
            values[year] = _amount(f"costs[{key!r}]", value, currency, negative)
        return tuple(values)
    if isinstance(costs, str | bytes) or not isinstance(costs, Iterable):
        raise InputTypeError(
            f"costs must be a sequence of {years + 1} amounts of {currency} ({shape}) or a "
            f"mapping from year to amount, got {costs!r}",
            value=costs,
        )
    values = list(costs)
    if len(values) != years + 1:
        raise InputValueError(
            f"costs has {len(values)} amount{'s' if len(values) != 1 else ''} but years={years} "
            f"needs {years + 1}: {shape} (write 0 for a year without costs)",
            value=costs,
        )
    return tuple(
        _amount(f"costs[{index}]", value, currency, negative) for index, value in enumerate(values)
    )


def money_rate(
    unit_text: str, what: str, *, result: Result | None = None, units: UnitScope | None = None
) -> tuple[str, bool]:
    """``(currency, True)`` for money per time; raise :class:`InputError` for anything else.

    ``units`` reads the unit (an engine's scope, whose packs may define its time unit); the
    library's own units by default.
    """
    try:
        parsed = units.parse(unit_text) if units is not None else parse_unit(unit_text)
        dims = dict(parsed.dimensionality.items())
    except EquivMetricsError as exc:
        amount = unit_text.split("/", maxsplit=1)[0]
        also = (
            f", or convert with unit='{amount}/year' (a pack's own time unit is read only by "
            "its engine: Scenario.from_usage(engine, ...) does this)"
            if result is not None
            else ""
        )
        raise InputValueError(
            f"annual_benefit: {what}: {exc}; write money per time with an ISO 4217 code, "
            f"such as '345000 USD/year'{also}",
            value=unit_text,
        ) from None
    money = [name for name, power in dims.items() if name.startswith("[currency_") and power == 1]
    if len(money) == 1:
        code = money[0][len("[currency_") : -1]
        rest = {name: power for name, power in dims.items() if name != money[0]}
        if rest == {"[time]": -1}:
            return code, True
        if not rest:
            raise InputValueError(
                f"annual_benefit: {what} is a total amount of {code} ({unit_text!r}), not a "
                f"yearly benefit: give a rate such as '{code}/year' or '{code}/month'"
                + (", or pass per='month' (the period the total covers)" if result else ""),
                value=unit_text,
            )
    hint = (
        f"; {result.kind} is not measured in money: convert to a kind such as 'labor_cost'"
        if result is not None
        else ""
    )
    raise InputValueError(
        f"annual_benefit must be money per unit of time, such as '345000 USD/year'; {what} "
        f"is in {unit_text!r}{hint}",
        value=unit_text,
    )


def read_benefit(value: Any, currency: str | None) -> tuple[float, str, Result | None]:
    """The yearly benefit at full adoption, its currency and the result it came from."""
    meaning = "the yearly benefit at 100 % adoption must be at least 0; put costs in costs="
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        code = currency or "USD"
        return _amount("annual_benefit", value, code, meaning), code, None
    result: Result | None = None
    if isinstance(value, Result):
        if not _is_scalar(value.magnitude):
            raise InputTypeError(
                "annual_benefit: a scenario takes one benefit, but this Result holds "
                f"{len(value.magnitude)} values; convert a single value (or their sum)",
                value=value,
            )
        result, magnitude, unit_text = value, value.magnitude, value.unit
        what = f"the {value.kind} result"
    else:
        try:
            magnitude, unit_text = split(value)
        except EquivMetricsError as exc:
            raise (InputTypeError if isinstance(exc, TypeError) else InputValueError)(
                f"cannot read annual_benefit {value!r}: {exc}; give a number in the "
                "scenario's currency, text such as '345000 USD/year', or a Result from "
                "Engine.convert",
                value=value,
            ) from None
        what = repr(value)
    code, _ = money_rate(unit_text, what, result=result)
    if currency is not None and code != currency:
        raise InputValueError(
            f"annual_benefit is in {code} but currency={currency!r}: equivmetrics never "
            f"converts currencies; state costs in {code} and pass currency={code!r} (or leave "
            "currency unset)",
            value=value,
        )
    amount = _amount(f"annual_benefit ({what})", magnitude, code, meaning)
    per_year = amount * unit_factor(parse_unit(unit_text), parse_unit(f"{code}/year"))
    return per_year, code, result
