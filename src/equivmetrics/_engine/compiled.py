"""A compiled conversion: ``output = input x factor``, with the range and the steps behind it.

A :class:`Compiled` is what :mod:`.compile` reduces a conversion to — three plain floats
(central, low and high factor), the steps that explain them and the negative-value policy of
its path. Applying it is one multiplication and never touches pint; it pickles into worker
processes (Dask, Spark) and into warm-start files.
"""

from __future__ import annotations

from typing import Any

import attrs

from equivmetrics._core.negative import NegativePolicy, check_policy, screen
from equivmetrics.exceptions import InputTypeError

from .result import Result, Step

__all__ = ["Compiled", "Key"]


@attrs.frozen
class Compiled:
    """A conversion reduced to plain floats: ``output = input x factor``. Picklable."""

    factor: float
    factor_low: float
    factor_high: float
    unit: str
    kind: str
    source_kind: str
    input_unit: str
    steps: tuple[Step, ...]
    #: The negative-value policy of the path (the strictest of its kinds) and the kind it is from.
    negative: NegativePolicy = "refuse"
    negative_kind: str = ""

    def apply(self, magnitude: Any, *, negative: NegativePolicy | None = None) -> Result:
        """Apply to a number or an array (no pint involved).

        Negative values follow the path's policy (:attr:`negative`), or ``negative`` when
        given: ``"refuse"`` raises :class:`NegativeValueError`, ``"nan"`` reads them as
        missing, ``"allow"`` lets them through.
        """
        policy = self.negative if negative is None else check_policy(negative)
        if policy != "allow":
            magnitude = screen(
                magnitude, policy, self.negative_kind, self.input_unit, source=self.source_kind
            )
        try:
            output = magnitude * self.factor
        except TypeError:
            raise InputTypeError(
                f"cannot convert {type(magnitude).__name__} {str(magnitude)[:40]!r}: a "
                "magnitude is a number, a numpy array or a pandas Series of numbers",
                value=magnitude,
            ) from None
        return Result(
            output,
            self.unit,
            self.kind,
            self.source_kind,
            magnitude,
            self.input_unit,
            self.factor,
            self.factor_low,
            self.factor_high,
            self.steps,
        )


#: A conversion's cache key: (input unit, target kind, of, unit, per).
Key = tuple[str, str, str | None, str | None, str | None]
