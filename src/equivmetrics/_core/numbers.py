"""Plain-number helpers shared by every layer: scalars versus arrays, hand-checkable text, JSON.

These know nothing of units, kinds or packs; they turn numbers (or numpy/pandas arrays of them)
into the forms results and presentations need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["count", "is_scalar", "json_float", "json_value", "num", "range_end"]


def is_scalar(value: Any) -> bool:
    """Whether ``value`` is one number (a Python number or a 0-d array), not an array."""
    return isinstance(value, int | float) or getattr(value, "ndim", None) == 0


def count(value: Any) -> int:
    """How many values an array holds (1 for anything without a length)."""
    try:
        return len(value)
    except TypeError:
        return 1


def num(value: Any) -> str:
    """Four significant figures, thousands separated: enough to check by hand.

    >>> num(12345.678), num(0.000123456), num(2.5e20)
    ('12,346', '0.0001235', '2.5e+20')
    """
    number = float(value)
    if not math.isfinite(number):
        return str(number)
    if number == 0:
        return "0"
    if 1e-4 <= abs(number) < 1e15:
        digits = max(0, 3 - math.floor(math.log10(abs(number))))
        return f"{number:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{number:,.0f}"
    return f"{number:.4g}"


def json_float(value: Any) -> float | None:
    """A float for JSON: NaN and the infinities become ``None`` (JSON has no such numbers)."""
    number = float(value)
    return number if math.isfinite(number) else None


def json_value(value: Any) -> Any:
    """:func:`json_float` for a number, a list of them for an array or sequence."""
    if is_scalar(value):
        return json_float(value)
    if isinstance(value, Sequence) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return [json_value(v) for v in items]
    return json_float(value)


def range_end(x: Any, k_positive: float, k_negative: float) -> Any:
    """``x * k_positive`` where ``x >= 0`` (or NaN), ``x * k_negative`` where ``x < 0``.

    Factors are positive with ``low <= high``, so a negative input swaps the ends of its range.
    """
    if is_scalar(x):
        return x * (k_negative if x < 0 else k_positive)
    out = x * k_positive
    negative = x < 0
    if negative.any():
        if hasattr(out, "where") and not hasattr(out, "__array_function__"):  # pandas
            return out.where(~negative, x * k_negative)
        out[negative] = x[negative] * k_negative
    return out
