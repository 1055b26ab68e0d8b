"""The terms of a reward rule, checked: positive quantities and a wording with known placeholders.

A pack's ``rewards:`` entries are checked here when the catalog is built, and a
:class:`~equivmetrics.RewardRule` declared in Python is checked by the same function, so both
refuse the same mistakes with the same words. Units are read in the given scope: the
catalog's for a pack's rules, the base scope for a rule declared alone.
"""

from __future__ import annotations

import math

from equivmetrics._core.unit_text import split_quantity
from equivmetrics._core.units import UnitScope
from equivmetrics._packs.wording import REWARD_PLACEHOLDERS, template_problem
from equivmetrics.exceptions import InputValueError, UnitError

__all__ = ["DEFAULT_TEXT", "reward_terms"]

#: How a reward is worded when its rule gives no ``text``.
DEFAULT_TEXT = "{value} {label} ({steps} steps of {every}; {rest} towards the next)"


def reward_terms(
    name: str, every: str, grant: str, text: str, units: UnitScope
) -> tuple[tuple[float, str], tuple[float, str]]:
    """``every`` and ``grant`` read as ``(magnitude, unit)``; :class:`InputError` if unfit."""
    every_q = _quantity(units, every, f"reward {name!r} every")
    grant_q = _quantity(units, grant, f"reward {name!r} grant")
    problem = template_problem(text, REWARD_PLACEHOLDERS)
    if problem:
        raise InputValueError(f"reward {name!r} text: {problem}", value=text)
    return every_q, grant_q


def _quantity(units: UnitScope, text: str, what: str) -> tuple[float, str]:
    try:
        magnitude, unit = split_quantity(text)
        units.parse(unit)
    except UnitError as exc:
        raise InputValueError(f"{what}: {exc}", value=text) from None
    if not magnitude > 0 or not math.isfinite(magnitude):
        raise InputValueError(f"{what} must be a positive amount, got {text!r}", value=text)
    return magnitude, unit
