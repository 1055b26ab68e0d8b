"""When a role has nothing to offer for an input: the error that says why, and what to do.

``feel_good`` and ``action`` never answer with nothing. When no kind of the role asked for can
be given — none is reachable from the input's kind, or every one was left out (a capacity a
total cannot fill without a period, a figure too large for a float) — the engine raises
:class:`~equivmetrics.NoEquivalentError`, naming the other role when that one has equivalents
for the input ("420 kcal of food_energy has no feel_good equivalents; it has action
equivalents ...").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from equivmetrics._core.numbers import is_scalar
from equivmetrics._core.quantity import split
from equivmetrics._packs.source import ROLES, Role
from equivmetrics.exceptions import NoEquivalentError

if TYPE_CHECKING:
    from equivmetrics._catalog.catalog import Catalog

__all__ = ["NEGATIVE", "PERIOD", "TOO_LARGE", "dead_end", "nothing_offered", "overflowed"]

#: Why a candidate was left out: it needs a period, its figure overflowed a float, or it
#: refuses the negative amount the input's kind allows (net CO2e added).
PERIOD, TOO_LARGE, NEGATIVE = "period", "too large", "negative"
_SHOWN = 6  # kinds named in a message


def nothing_offered(
    catalog: Catalog,
    quantity: Any,
    source: str,
    role: Role,
    skipped: list[tuple[str, str]],
) -> NoEquivalentError:
    """The error for an input of kind ``source`` with no equivalent in ``role``.

    ``skipped`` holds the kinds of ``role`` that were reachable but left out, with why.
    """
    magnitude, unit = split(quantity)
    given = f"{float(magnitude):g} {unit}" if is_scalar(magnitude) else f"input in {unit!r}"
    given = f"{given} of {source}"
    other = next(name for name in ROLES if name != role)
    kinds = catalog.kinds
    others = [
        name
        for name, kind in kinds.items()
        if name != source and kind.presentation.offers(other) and (source, name) in catalog.paths
    ]
    roles = (other,) if others else ()
    if skipped:
        size = f"{abs(float(magnitude)):g} {unit}" if is_scalar(magnitude) else "its size"
        message = (
            f"{given} has no {role} equivalents that can be given: {_why(skipped, unit, size)}"
        )
    elif others:
        message = (
            f"{given} has no {role} equivalents; it has {other} equivalents "
            f"({_names(others)}): call {other}() instead of {role}()"
        )
    else:
        reachable = sorted(target for (start, target) in catalog.paths if start == source)
        where = f"convert() reaches {_names(reachable)}" if reachable else dead_end(catalog, source)
        message = (
            f"{given} has no {role} equivalents and no {other} equivalents: no kind the loaded "
            f"packs offer is reachable from it; {where}"
        )
    return NoEquivalentError(message, source=source, role=role, roles=roles)


def dead_end(catalog: Catalog, source: str) -> str:
    """Why nothing can be computed from kind ``source``: only one-way rules lead to it, or
    no rule touches it at all."""
    reached_from = sorted(start for (start, target) in catalog.paths if target == source)
    if not reached_from:
        return f"{source!r} is linked to no other kind by the loaded packs"
    those = "that kind" if len(reached_from) == 1 else "one of those kinds"
    return (
        f"{source!r} is only reached from {_names(reached_from)}, by one-way rules: nothing can "
        f"be computed from it; convert an amount of {those} instead"
    )


def _why(skipped: list[tuple[str, str]], unit: str, size: str) -> str:
    reasons = []
    negative = [name for name, why in skipped if why == NEGATIVE]
    if negative:
        reasons.append(
            f"{_names(negative)} {'refuses' if len(negative) == 1 else 'refuse'} negative "
            f"amounts: for what a change of that size equals, give its size ({size!r})"
        )
    period = [name for name, why in skipped if why == PERIOD]
    if period:
        reasons.append(
            f"{_names(period)} {'is a capacity' if len(period) == 1 else 'are capacities'} and "
            f"{'needs' if len(period) == 1 else 'need'} a period: give a rate (a unit such as "
            f"'{unit}/month') or pass per='month'"
        )
    large = [name for name, why in skipped if why == TOO_LARGE]
    if large:
        reasons.append(f"{_names(large)} would overflow a 64-bit float: give a smaller amount")
    return "; ".join(reasons)


def _names(names: list[str]) -> str:
    return ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")


def overflowed(result: Any) -> bool:
    """A finite scalar input whose result, or an end of its range, overflowed to an infinity."""
    if not is_scalar(result.magnitude) or not math.isfinite(float(result.input_magnitude)):
        return False
    return (
        math.isinf(float(result.magnitude))
        or math.isinf(float(result.low))
        or math.isinf(float(result.high))
    )
