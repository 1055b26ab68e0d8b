"""Money: which currency a unit is in, and dimensions compared with the currency set aside.

Every ISO 4217 code is a unit of a dimension of its own (``[currency_EUR]``), so pint never
exchanges one for another. A kind measured in money (``labor_cost``, displayed in USD) holds an
amount in *any* currency: a tenant's hourly cost in EUR makes its labour cost EUR, end to end.
These helpers let the catalog and the compiler see "money" where pint sees one currency, and
find which currency an amount is in; exchanging currencies takes rates a caller supplies
(:class:`Rates`).

>>> from equivmetrics._core.units import base_scope
>>> units = base_scope()
>>> currencies(units.parse("EUR/hour"))
('EUR',)
>>> generic(units.parse("EUR/hour").dimensionality) == generic(
...     units.parse("USD/hour").dimensionality)
True
>>> in_currency("USD/month", "EUR")
'EUR/month'
"""

from __future__ import annotations

import re
from typing import Any

from .units import CURRENCIES

__all__ = ["currencies", "generic", "in_currency", "is_money"]

_PREFIX = "[currency_"


def currencies(unit: Any) -> tuple[str, ...]:
    """The ISO 4217 codes in ``unit``'s dimensions, sorted (none for a unit of no money)."""
    return tuple(
        sorted(
            name[len(_PREFIX) : -1]
            for name, power in unit.dimensionality.items()
            if name.startswith(_PREFIX) and power
        )
    )


def generic(dimensionality: Any) -> tuple[tuple[str, float], ...]:
    """``dimensionality`` with every currency read as one ``[currency]`` (hashable, sorted)."""
    merged: dict[str, float] = {}
    for name, power in dimensionality.items():
        key = "[currency]" if name.startswith(_PREFIX) else name
        merged[key] = merged.get(key, 0) + power
    return tuple(sorted((name, power) for name, power in merged.items() if power))


def is_money(dimensionality: Any) -> bool:
    """Whether the dimensions hold a currency."""
    return any(name.startswith(_PREFIX) for name in dimensionality)


def in_currency(text: str, code: str) -> str:
    """Unit text with its currency code replaced by ``code``: ``"USD/month"`` → ``"EUR/month"``."""
    return _CODES.sub(code, text)


_CODES = re.compile(r"\b(?:" + "|".join(CURRENCIES) + r")\b")
