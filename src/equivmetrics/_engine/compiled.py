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
from equivmetrics._core.scaled import fast_product
from equivmetrics.exceptions import InputTypeError

from .result import Result, Step, StepsLater, same_steps, steps_of

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
    #: The steps, or (a tenant's conversion) what records them on first use.
    _steps: tuple[Step, ...] | StepsLater[Step] = attrs.field(
        alias="steps", eq=attrs.cmp_using(eq=same_steps, require_same_type=False), hash=False
    )
    #: The negative-value policy of the path (the strictest of its kinds) and the kind it is from.
    negative: NegativePolicy = "refuse"
    negative_kind: str = ""

    @property
    def steps(self) -> tuple[Step, ...]:
        """The rules applied, in order."""
        return steps_of(self._steps)

    def apply(
        self,
        magnitude: Any,
        *,
        negative: NegativePolicy | None = None,
        where: str = "",
        labels: Any = None,
    ) -> Result:
        """Apply to a number or an array (no pint involved).

        Negative values follow the path's policy (:attr:`negative`), or ``negative`` when
        given: ``"refuse"`` raises :class:`NegativeValueError`, ``"nan"`` reads them as
        missing, ``"allow"`` lets them through. ``where`` and ``labels`` name the column and
        the rows in a refusal (see :func:`~equivmetrics._core.negative.screen`).
        """
        if negative is None and type(magnitude) is float and magnitude >= 0.0:
            # what the path's policy ("refuse" or "nan") leaves of a number not below zero
            nonnegative = self.negative != "allow"
            return self.result(magnitude * self.factor, magnitude, nonnegative=nonnegative)
        policy = self.negative if negative is None else check_policy(negative)
        if policy == "allow":
            return self.result(self._times(magnitude), magnitude, nonnegative=False)
        output = fast_product(magnitude, self.factor)  # one pass: the sign check fused in
        if output is not None:
            return self.result(output, magnitude, nonnegative=True)
        magnitude = screen(
            magnitude,
            policy,
            self.negative_kind,
            self.input_unit,
            where=where,
            labels=labels,
            source=self.source_kind,
        )
        return self.result(self._times(magnitude), magnitude, nonnegative=True)

    def _times(self, magnitude: Any) -> Any:
        try:
            return magnitude * self.factor
        except TypeError:
            raise InputTypeError(
                f"cannot convert {type(magnitude).__name__} {str(magnitude)[:40]!r}: a "
                "magnitude is a number, a numpy array or a pandas Series of numbers",
                value=magnitude,
            ) from None

    def result(self, output: Any, magnitude: Any, *, nonnegative: bool) -> Result:
        """The :class:`Result` of ``magnitude`` converted to ``output`` by this conversion.

        ``nonnegative`` says that ``magnitude`` holds no negative value (it was screened).
        """
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
            self._steps,
            nonnegative,
        )


#: A conversion's cache key: (input unit, target kind, of, unit, per).
Key = tuple[str, str, str | None, str | None, str | None]
