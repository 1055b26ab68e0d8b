"""Negative values: each kind declares what a negative amount of it means.

* ``refuse`` (the default) -- a negative amount makes no sense (kilowatt-hours avoided, trees
  grown, transactions processed): converting one raises :class:`NegativeValueError`.
* ``nan`` -- a negative amount is "not applicable" (a sensor's error code, a credit note in a
  column of invoices): it becomes NaN, like a missing value.
* ``allow`` -- a negative amount is meaningful (a net change: emissions added rather than
  avoided); it passes through, and a result's range still runs from ``low`` to ``high``.

Every factor is positive, so a negative input stays negative in every kind along a path. A
conversion therefore follows the strictest policy of the kinds it touches (``refuse`` over
``nan`` over ``allow``): ``-5 t`` of CO2e (``allow``) is still refused as tree seedlings.
A caller may override the policy of one call with ``negative=``.

NaN is never negative: it stays NaN under every policy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal, get_args

from equivmetrics.exceptions import NegativeValueError

from .quantity import unfit

__all__ = ["DEFAULT", "POLICIES", "NegativePolicy", "check_policy", "screen", "strictest"]

#: What a negative amount means to a kind, or to one call (``negative=``).
NegativePolicy = Literal["allow", "nan", "refuse"]
#: The policies, least strict first.
POLICIES: tuple[NegativePolicy, ...] = get_args(NegativePolicy)
DEFAULT: NegativePolicy = "refuse"


def strictest(
    policies: Iterable[tuple[NegativePolicy, str]],
) -> tuple[NegativePolicy, str]:
    """The strictest ``(policy, kind)`` of ``(policy, kind)`` pairs; the first kind wins ties."""
    best: tuple[NegativePolicy, str] = ("allow", "")
    for policy, kind in policies:
        if POLICIES.index(policy) > POLICIES.index(best[0]):
            best = (policy, kind)
    return best


def check_policy(value: object) -> NegativePolicy:
    """``value`` if it names a policy; an :class:`InputError` saying the choices if not."""
    for policy in POLICIES:
        if isinstance(value, str) and value == policy:
            return policy
    raise unfit(value, str)(
        f"negative={value!r} is not a policy; use one of {', '.join(map(repr, POLICIES))}",
        value=value,
    )


def screen(
    magnitude: Any,
    policy: str,
    kind: str,
    unit: str,
    *,
    where: str = "",
    labels: Any = None,
    source: str = "",
) -> Any:
    """``magnitude`` with ``policy`` applied to its negative values.

    Numbers, numpy arrays and pandas Series are screened without changing their type (a
    Series keeps its index). ``kind`` and ``unit`` name the input in the error, ``where``
    (``"column 'kwh'"``) prefixes it, and ``labels`` (an index) names the first negative row.
    ``source``, the input's kind when it is not ``kind`` (a kind on the conversion's path),
    is named too: the kind the caller gave.
    """
    if isinstance(magnitude, (int, float)):
        if not magnitude < 0:  # NaN included
            return magnitude
        if policy == "nan":
            return math.nan
        raise NegativeValueError(
            f"{where + ': ' if where else ''}"
            f"{magnitude:g} {unit}{_of(source, kind)} is negative and{_on_the_way(source, kind)} "
            f"kind {kind!r} refuses negative amounts; "
            "pass negative='nan' to read negatives as missing, or negative='allow' if this "
            "negative amount is meaningful",
            kind=kind,
            count=1,
            first=None,
        )
    return _screen_many(magnitude, policy, kind, unit, where, labels)


def _of(source: str, kind: str) -> str:
    return f" of {source}" if source and source != kind else ""


def _on_the_way(source: str, kind: str) -> str:
    return ", on the way to the result," if source and source != kind else ""


def _screen_many(magnitude: Any, policy: str, kind: str, unit: str, where: str, labels: Any) -> Any:
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    values = _floats(magnitude)
    if values is None:  # not numbers: the multiplication will say so
        return magnitude
    if not values.size or not np.fmin.reduce(values, axis=None) < 0:  # one pass, NaN ignored
        return magnitude
    with np.errstate(invalid="ignore"):
        negative = values < 0
    if policy == "nan":
        if hasattr(magnitude, "mask"):  # a pandas Series: keep its index and name
            return magnitude.astype("float64").mask(negative)
        return np.where(negative, np.nan, magnitude)
    count = int(negative.sum())
    first = int(np.flatnonzero(negative.ravel())[0])
    value = values.ravel()[first]
    if labels is not None:
        label = labels[first]
        at = f"row label {getattr(label, 'item', lambda: label)()!r}"  # numpy scalars: plain
    else:
        at = f"position {first}"
    raise NegativeValueError(
        f"{where + ': ' if where else ''}"
        f"{count} negative value(s) (the first at {at}: {value:g} {unit}) and kind "
        f"{kind!r} refuses negative amounts; pass negative='nan' to read negatives as missing, "
        "or negative='allow' if negative amounts are meaningful here",
        kind=kind,
        count=count,
        first=first,
    )


def _floats(magnitude: Any) -> Any:
    """``magnitude`` as a float64 array (pandas' missing values as NaN), or None if not numbers.

    pandas' nullable columns (``Float64``, ``Int64`` with ``<NA>``) would otherwise become
    object arrays whose comparisons are not booleans.
    """
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    try:
        if hasattr(magnitude, "to_numpy") and not isinstance(magnitude, np.ndarray):
            values = magnitude.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = np.asarray(magnitude, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return values
