"""Reading the quantities callers pass in: text, ``(magnitude, unit)`` pairs, pint quantities.

Every entry point (the engine, series, rewards, scenarios, the integrations) reads its input
through :func:`split`, so one set of rules decides what a magnitude may be (a number, a numeric
numpy array or pandas Series, a list of numbers) and every bad input gets the same
:class:`~equivmetrics.InputError`.
"""

from __future__ import annotations

import numbers
from typing import Any

from equivmetrics.exceptions import InputError, InputTypeError, InputValueError

from .unit_text import split_quantity, unit_text_of
from .vectors import plain_float64

__all__ = [
    "as_text",
    "check_options",
    "is_number",
    "magnitude_of",
    "optional_text",
    "split",
    "unfit",
]


def split(quantity: Any) -> tuple[Any, str]:
    """Magnitude and unit text of any accepted input; raise :class:`InputError` otherwise.

    >>> split("12,000 transaction/month")
    (12000.0, 'transaction/month')
    >>> split((3, "kWh"))
    (3, 'kWh')
    """
    if type(quantity) is tuple and len(quantity) == 2:  # the commonest pairs, at once
        magnitude, unit = quantity
        if type(unit) is str and (type(magnitude) is float or plain_float64(magnitude)):
            return magnitude, unit
    if isinstance(quantity, str):
        return split_quantity(quantity)
    if isinstance(quantity, tuple):
        if len(quantity) != 2 or not isinstance(quantity[1], str):
            raise InputTypeError(
                f"a pair must be (magnitude, 'unit'), got {quantity!r}", value=quantity
            )
        return magnitude_of(quantity[0]), quantity[1]
    if hasattr(quantity, "magnitude") and hasattr(quantity, "units"):
        return magnitude_of(quantity.magnitude), unit_text_of(quantity)
    raise InputTypeError(
        f"cannot convert a {type(quantity).__name__}: give text ('12 kWh'), a "
        "(magnitude, 'unit') pair, or a pint quantity",
        value=quantity,
    )


def unfit(value: object, *types: type) -> type[InputError]:
    """The error for an argument that was refused: a bad value, or a wrong type.

    :class:`InputValueError` when ``value`` is one of ``types`` (so its value was wrong),
    else :class:`InputTypeError`. A bool is never taken for a number.

    >>> unfit(0, int).__name__, unfit("3", int).__name__, unfit(True, int).__name__
    ('InputValueError', 'InputTypeError', 'InputTypeError')
    """
    if isinstance(value, bool) and bool not in types:
        return InputTypeError
    return InputValueError if isinstance(value, types) else InputTypeError


def is_number(value: object) -> bool:
    """A real number that is not a bool (``True`` is no quantity) nor a numpy time (a
    ``timedelta64`` counts as an integer to Python's number types)."""
    if isinstance(value, bool):
        return False
    if getattr(getattr(value, "dtype", None), "kind", "f") in ("m", "M"):
        return False
    return isinstance(value, numbers.Real)


def _bits(value: Any) -> int:
    """The size of a huge int or fraction in bits (its text could be too long to show)."""
    ratio = value.as_integer_ratio()
    return int(abs(ratio[0]).bit_length() - ratio[1].bit_length())


def magnitude_of(value: Any) -> Any:
    """A magnitude as the engine multiplies it: a float, an int, or a numeric array.

    Floats are IEEE doubles: a numpy float16 or float32 (scalar, array or pandas Series) is
    read as float64, so ``np.float16(1000)`` kWh is 708,693 g CO2e, not an overflow.
    """
    if hasattr(value, "dtype"):  # numpy scalars and arrays, pandas Series
        return _numeric(value)
    if is_number(value):
        if isinstance(value, float):
            return value
        try:  # ints and fractions: read as a float, which a huge one cannot be
            as_float = float(value)
        except OverflowError:
            raise InputValueError(
                f"the magnitude (about 2**{_bits(value)}) is too large for a 64-bit float "
                "(at most about 1.8e308); scale it to a larger unit",
                value=value,
            ) from None
        return value if isinstance(value, int) else as_float
    if isinstance(value, list):
        return _from_list(value)
    raise InputTypeError(
        f"a magnitude must be a number or a numeric array, not {type(value).__name__}", value=value
    )


def _numeric(value: Any) -> Any:
    """A numpy scalar or array, or a pandas Series, of integers or floats, floats as doubles."""
    dtype = value.dtype
    kind = getattr(dtype, "kind", "O")
    if kind not in "iuf":
        hint = "; give a number and its unit, e.g. (90.0, 's')" if kind in "mM" else ""
        what = f"{type(value).__name__} of dtype {dtype}"
        raise InputTypeError(
            f"array magnitudes must be numeric, got dtype {dtype}{hint}"
            if hasattr(value, "__len__")
            else f"a magnitude must be a number or a numeric array, not {what}{hint}",
            value=value,
        )
    if hasattr(value, "mask") and hasattr(value, "filled"):  # a masked array: masked is missing
        return value.astype("float64").filled(float("nan"))
    if kind != "f" or getattr(dtype, "itemsize", 8) == 8:
        return value
    if not hasattr(value, "__len__"):  # a numpy scalar: a Python float
        return float(value)
    if str(dtype) == "Float32":  # pandas' nullable floats keep their missing values
        return value.astype("Float64")
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    return value.astype(np.float64)


def _from_list(value: list[Any]) -> Any:
    """A list (or nested lists) of numbers as a float64 array; anything else is refused."""
    stack: list[Any] = [value]
    while stack:
        for item in stack.pop():
            if isinstance(item, list | tuple):
                stack.append(item)
            elif not is_number(item) or getattr(getattr(item, "dtype", None), "kind", "f") == "m":
                raise InputTypeError(
                    f"a list magnitude must hold numbers only, not {type(item).__name__} "
                    f"{str(item)[:40]!r}; drop or replace it (NaN for a missing value)",
                    value=item,
                )
    try:
        import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)
    except ImportError:
        raise InputTypeError(
            "a list of magnitudes is converted as an array, which needs numpy: "
            "pip install 'equivmetrics[numpy]' (or convert one number at a time)",
            value=value,
        ) from None
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InputTypeError(
            "a list magnitude must be numbers, or lists of numbers of equal length",
            value=value,
        ) from None


def as_text(value: Any) -> str:
    """A parameter value as text (``"4 min"``) from text, a pair, a quantity or a number."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        mag = value[0]
        if is_number(mag):
            return f"{float(mag)!r} {value[1]}"
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        return f"{float(value.magnitude)!r} {value.units!s}"
    if is_number(value):
        return repr(float(value))
    raise InputTypeError(
        f"cannot use {value!r} as a parameter value; give text such as '4 min'", value=value
    )


def optional_text(value: Any) -> str | None:
    """:func:`as_text`, with None kept as None."""
    return None if value is None else as_text(value)


def check_options(**options: object) -> None:
    """Options that name kinds, units or periods must be text (or None); ``to`` is required."""
    for name, value in options.items():
        if value is not None and not isinstance(value, str):
            raise InputTypeError(
                f"{name}= must be text, not {type(value).__name__} ({value!r})", value=value
            )
    if "to" in options and options["to"] is None:
        raise InputTypeError("to= must name the target kind, e.g. 'fte'", value=None)
