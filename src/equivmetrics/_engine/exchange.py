"""Money in a conversion: a money kind shown in the amount's own currency, and exchange at the
dated rates a caller supplied — never without them.

A kind measured in money (``labor_cost``, displayed in USD) holds an amount in any currency:
with a tenant's hourly cost in EUR, 600 hours are EUR. When a conversion would combine two
currencies, or a result is asked for in another currency (``unit="GBP/month"``), it needs
:class:`Rates` (``Engine.with_rates``); without them it is a :class:`~equivmetrics.UnitError`
that says what to supply. An exchange is a step of its own, with the rate, its date and source.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from equivmetrics._core.money import currencies, in_currency, is_money
from equivmetrics._core.units import CURRENCIES, PintUnit, UnitScope
from equivmetrics._packs.source import Source
from equivmetrics.exceptions import InputTypeError, InputValueError, Location, UnitError

from .result import Step

if TYPE_CHECKING:
    from equivmetrics._catalog.catalog import Kind

__all__ = ["Rates", "exchange", "kind_unit"]


@attrs.frozen
class Rates:
    """Exchange rates of one date: ``per_base[code]`` units of ``code`` buy one ``base``."""

    base: str
    per_base: tuple[tuple[str, float], ...]
    date: str
    source: str = ""

    @classmethod
    def of(cls, rates: Mapping[str, float], *, base: str, date: str, source: str = "") -> Rates:
        """Checked rates: ISO 4217 codes the library knows, positive finite numbers, a date."""
        if not isinstance(date, str) or not date.strip():
            raise InputValueError(
                "exchange rates need the date they hold for, e.g. date='2025-02-28'", value=date
            )
        if not isinstance(rates, Mapping):
            raise InputTypeError(
                "rates must be a mapping of currency codes to how many of each buy one base, "
                f"e.g. {{'USD': 1.0411}}, not {type(rates).__name__}",
                value=rates,
            )
        _known(base, "base")
        table = {base: 1.0}
        for code, value in rates.items():
            _known(code, f"rates[{code!r}]")
            number = _number(code, value, base)
            if code == base and number != 1.0:
                raise InputValueError(
                    f"rates[{code!r}] is {value!r}, but one {base} buys one {base}: leave the "
                    "base out of rates, or give 1",
                    value=value,
                )
            table[code] = number
        return cls(base, tuple(sorted(table.items())), date.strip(), source)

    def rate(self, source: str, target: str) -> float | None:
        """How many ``target`` one ``source`` buys (None when a currency has no rate)."""
        table = dict(self.per_base)
        if source not in table or target not in table:
            return None
        return table[target] / table[source]


def _known(code: object, where: str) -> None:
    if isinstance(code, str) and code in CURRENCIES:
        return
    close = [c for c in CURRENCIES if isinstance(code, str) and c == code.strip().upper()]
    hint = f"; did you mean {close[0]!r}?" if close else f"; known are {', '.join(CURRENCIES)}"
    raise InputValueError(f"{where}: unknown currency {code!r}{hint}", value=code)


def _number(code: str, value: object, base: str) -> float:
    """A rate as a float: a real, positive, finite number of ``code`` per one ``base``."""
    what = f"rates[{code!r}]: give how many {code} buy one {base}, a positive number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputTypeError(f"{what}, not {type(value).__name__} {value!r}", value=value)
    try:
        number = float(value)
    except OverflowError:
        raise InputValueError(f"{what}; it is too large for a float", value=value) from None
    if not (number > 0 and math.isfinite(number)):
        raise InputValueError(f"{what}, not {value!r}", value=value)
    return number


def kind_unit(units: UnitScope, kind: Kind, cur: PintUnit) -> tuple[str, object]:
    """``kind``'s display unit and dimension in the currency ``cur`` is in (a money kind in
    EUR shows EUR); the kind's own for anything else."""
    found = currencies(cur)
    if len(found) != 1 or not is_money(kind.dimension):
        return kind.unit, kind.dimension
    text = in_currency(kind.unit, found[0])
    return text, units.parse(text).dimensionality


def exchange(
    units: UnitScope,
    cur: PintUnit,
    want: str | None,
    rates: Rates | None,
    what: str,
) -> tuple[PintUnit, float, Step | None]:
    """``cur`` in one currency (``want``, else the one it holds): the unit, the factor, and the
    exchange step (None when nothing was exchanged)."""
    held = currencies(cur)
    if not held or held == (want,) or (want is None and len(held) == 1):
        return cur, 1.0, None  # no money, or money in one currency that stays
    target = want or held[0]
    if rates is None:
        others = [c for c in (*held, target) if c != held[0]] or [target]
        example = f"engine.with_rates({{'{others[0]}': ...}}, base='{held[0]}', date='YYYY-MM-DD')"
        raise UnitError(
            (
                f"{what} is an amount in {held[0]}, asked for in {want}"
                if want and len(held) == 1
                else f"{what} combines amounts in {' and '.join(held)}"
            )
            + ": currencies are never exchanged silently; give dated rates with "
            f"{example} (how many {others[0]} buy one {held[0]} on that date), or give every "
            "money figure in one currency",
            unit=str(cur),
        )
    factor, parts = 1.0, []
    for code, power in _powers(cur):
        if code == target:
            continue
        rate = rates.rate(code, target)
        if rate is None:
            raise UnitError(
                f"{what}: the rates of {rates.date} have no rate between {code} and {target}; "
                "add it to engine.with_rates(...)",
                unit=str(cur),
            )
        factor *= rate**power
        cur = cur * (units.parse(target) / units.parse(code)) ** power
        parts.append(f"1 {code} = {rate:.6g} {target}")
    return cur, factor, _step(parts, rates, factor, format_text=str(cur))


def _powers(cur: PintUnit) -> list[tuple[str, float]]:
    return [
        (name[len("[currency_") : -1], power)
        for name, power in cur.dimensionality.items()
        if name.startswith("[currency_") and power
    ]


def _step(parts: list[str], rates: Rates, factor: float, format_text: str) -> Step:
    source = Source(
        key="exchange_rates", title=rates.source or "exchange rates given", edition=rates.date
    )
    return Step(
        rule="exchange_rate",
        source_kind="",
        target_kind="",
        expression="; ".join(parts),
        inverse=False,
        factor=factor,
        factor_low=factor,
        factor_high=factor,
        factor_unit="",
        parameters=(),
        sources=(source,),
        pack="",
        location=Location("<exchange rates>"),
        cumulative=factor,
        unit=format_text,
        edition=rates.date,
    )
