"""Reward rules: policies that turn value created into rewards for the people who created it.

The brief: "tie equivalents to policy: reward the people who create the value (e.g. every 100
hours saved → 2 hours of extra leave; a share of cost savings → training budget)". A rule pays
in **whole steps only**: 250 hours saved at "every 100 hours → 2 hours of leave" is two steps,
4 hours of leave, and 50 hours carried towards the next step.

>>> import equivmetrics as em
>>> leave = em.RewardRule(name="extra_leave", every="100 hour", grant="2 hour",
...                       reward=("hour of extra leave", "hours of extra leave"))
>>> print(leave.apply("250 hour").text)
4 hours of extra leave (2 steps of 100 hour; 50 hour towards the next)
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from equivmetrics._catalog.rewards import DEFAULT_TEXT, reward_terms
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.quantity import magnitude_of
from equivmetrics._core.records import check_fields
from equivmetrics._core.unit_text import format_unit, split_quantity
from equivmetrics._core.units import UnitScope, base_scope, unit_factor
from equivmetrics._engine.result import Result
from equivmetrics._packs.model import RewardSpec
from equivmetrics._packs.wording import fill
from equivmetrics.exceptions import InputTypeError, InputValueError, UnitError

__all__ = ["Reward", "RewardRule"]

REWARD_SCHEMA = "equivmetrics.reward/1"
_EPSILON = 1e-9  # 300 / 100 computed as 2.9999999999999996 is still 3 whole steps


@attrs.frozen
class Reward:
    """What a rule grants for one value: whole steps only."""

    rule: str
    amount: float
    amount_unit: str
    steps: int
    value: float
    unit: str
    rest: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, in the shape ``equivmetrics.reward/1``."""
        return {
            "schema": REWARD_SCHEMA,
            "rule": self.rule,
            "amount": self.amount,
            "amount_unit": self.amount_unit,
            "steps": self.steps,
            "value": self.value,
            "unit": self.unit,
            "rest": self.rest,
            "text": self.text,
        }


@attrs.frozen
class RewardRule:
    """ "For every ``every`` of value, grant ``grant``" — e.g. every 100 hours → 2 hours of leave.

    ``every`` and ``grant`` are quantities as text (``"100 hour"``, ``"500 USD"``); ``kind``,
    when given, is the kind of value the rule counts (its results are checked against it);
    ``reward`` is the label of what is granted (one text, or ``(one, other)``); ``text`` may
    word the outcome with ``{value}``, ``{label}``, ``{steps}``, ``{every}``, ``{rest}``.

    Units are pint's and the library's own (those of :func:`equivmetrics.get_registry`), or
    those of ``units``, an engine's unit scope (``engine.catalog.units``): a rule a pack declares
    (``engine.rewards``) reads units in its engine's scope, so it may count a unit the pack
    defines.
    """

    name: str
    every: str
    grant: str
    reward: str | tuple[str, str] = "reward"
    kind: str | None = None
    text: str = DEFAULT_TEXT
    #: The unit scope units are read in (None: the library's own units).
    units: UnitScope | None = attrs.field(default=None, kw_only=True, repr=False, eq=False)
    _units: UnitScope = attrs.field(init=False, repr=False, eq=False)
    _every: tuple[float, str] = attrs.field(init=False, repr=False, eq=False)
    _grant: tuple[float, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        check_fields(self)  # text where text is due: not None, not a number
        units = self.units or base_scope()
        every, grant = reward_terms(self.name, self.every, self.grant, self.text, units)
        object.__setattr__(self, "_units", units)
        object.__setattr__(self, "_every", every)
        object.__setattr__(self, "_grant", grant)

    @classmethod
    def from_spec(cls, spec: RewardSpec, units: UnitScope | None = None) -> RewardRule:
        """The rule a pack declares under ``rewards:``, its units read in ``units`` (the scope
        of the engine whose pack it is)."""
        return cls(
            name=spec.name,
            every=spec.every,
            grant=spec.grant,
            reward=(spec.label_one, spec.label_other),
            kind=spec.kind,
            text=spec.text or DEFAULT_TEXT,
            units=units,
        )

    def apply(self, value: Any) -> Reward:
        """The reward for a total: a :class:`Result`, text (``"250 hour"``) or a pair.

        Negative or NaN values earn nothing; a rate (hours per month) is refused — pass the
        period's total, so that a step is never paid twice.
        """
        amount = self._amount(*self._read(value))
        every, every_unit = self._every
        steps = 0 if not amount > 0 else math.floor(amount / every + _EPSILON)
        rest = max(0.0, amount - steps * every) if math.isfinite(amount) else 0.0
        grant, grant_unit = self._grant
        granted = steps * grant
        one, other = (self.reward, self.reward) if isinstance(self.reward, str) else self.reward
        label = one if granted == 1 else other
        text = fill(
            self.text,
            value=_num(granted),
            label=label,
            steps=str(steps),
            every=f"{_num(every)} {every_unit}",
            rest=f"{_num(rest)} {every_unit}",
        )
        if steps == 1:
            text = text.replace("1 steps", "1 step")
        return Reward(
            rule=self.name,
            amount=amount,
            amount_unit=format_unit(self._units.parse(every_unit)),
            steps=steps,
            value=granted,
            unit=grant_unit,
            rest=rest,
            text=text,
        )

    def _read(self, value: Any) -> tuple[float, str]:
        """The total a rule counts: magnitude and unit of a Result, a text or a pair."""
        if isinstance(value, Result):
            if self.kind is not None and value.kind != self.kind:
                raise InputValueError(
                    f"reward {self.name!r} counts {self.kind}, not {value.kind}", value=value.kind
                )
            return float(value.magnitude), value.unit
        if isinstance(value, str):
            return split_quantity(value)
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
            return _one_number(value[0], self.name), value[1]
        raise InputTypeError(
            f"reward {self.name!r} needs a Result, text such as "
            f"'250 hour', or a (magnitude, unit) pair, not {value!r}",
            value=value,
        )

    def _amount(self, magnitude: float, unit: str) -> float:
        """The total in the unit of ``every``; a rate or another dimension is refused."""
        every_unit = self._every[1]
        try:
            amount = magnitude * unit_factor(self._units.parse(unit), self._units.parse(every_unit))
        except UnitError:
            raise InputValueError(
                f"reward {self.name!r} counts {every_unit}; {unit!r} does not fit. A rate "
                f"(per month) must be turned into the period's total first",
                value=unit,
            ) from None
        if amount == math.inf:
            raise InputValueError(
                f"reward {self.name!r} needs a finite total, got {magnitude!r} {unit}",
                value=magnitude,
            )
        if amount > 0 and math.isinf(amount / self._every[0]):
            raise InputValueError(
                f"reward {self.name!r}: {magnitude!r} {unit} is more steps of "
                f"{self.every} than a 64-bit float can count; give the rule a larger 'every'",
                value=magnitude,
            )
        return amount


def _one_number(value: Any, name: str) -> float:
    """The magnitude of a (magnitude, unit) pair as one float; arrays and odd types refused."""
    magnitude = magnitude_of(value)
    if getattr(magnitude, "ndim", 0) != 0:
        raise InputTypeError(f"reward {name!r} takes one total, not an array", value=value)
    return float(magnitude)
