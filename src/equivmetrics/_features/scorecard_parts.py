"""The parts of a scorecard: indicator scores, weak links, realised value and value at stake.

Plain frozen records, each with ``to_dict()``; :mod:`.scorecard` computes them and words the
whole. The value at stake of a team follows the linear model of docs/adoption.md: its
performance scaled by ``reference / adoption - 1``.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import attrs

from equivmetrics._core.numbers import json_float as _json_float
from equivmetrics._engine.result import Result
from equivmetrics._present.equivalent import Equivalents

from .indicator import Indicator

__all__ = ["Realised", "Score", "Stake", "TeamScore", "TeamStake", "WeakLink", "stake_value"]

Status = Literal["met", "missed", "no_target"]
Trend = Literal["up", "down", "flat"]
Direction = Literal["gain", "loss", "none"]


def _maybe(value: float | None) -> float | None:
    return None if value is None else _json_float(value)


@attrs.frozen
class TeamScore:
    """One team's value of an indicator, the numbers it came from, and its value in the
    period before (``None`` without one)."""

    team: str
    value: float
    numerator: float
    denominator: float | None
    previous: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "value": _json_float(self.value),
            "numerator": _json_float(self.numerator),
            "denominator": _maybe(self.denominator),
            "previous": _maybe(self.previous),
        }


@attrs.frozen
class Score:
    """An indicator for the scorecard's period: all teams together, each team, the trend.

    ``value`` pools the teams (a ratio or rate divides the summed numerators by the summed
    denominators; a count adds up); ``history`` holds the pooled value of each earlier
    period, oldest first.
    """

    indicator: Indicator
    value: float
    teams: tuple[TeamScore, ...]
    history: tuple[tuple[str, float], ...]

    @property
    def status(self) -> Status:
        """``met`` when the value reaches the target (the way ``better`` says), else ``missed``."""
        target = self.indicator.target
        if target is None:
            return "no_target"
        higher = self.indicator.better == "higher"
        return "met" if (self.value >= target if higher else self.value <= target) else "missed"

    @property
    def change(self) -> float | None:
        """The value minus the previous period's (``None`` with no earlier period)."""
        return self.value - self.history[-1][1] if self.history else None

    @property
    def trend(self) -> Trend | None:
        change = self.change
        if change is None:
            return None
        return "up" if change > 0 else "down" if change < 0 else "flat"

    def team(self, name: str) -> TeamScore:
        return next(t for t in self.teams if t.team == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.name,
            "title": self.indicator.label,
            "family": self.indicator.family,
            "measure": self.indicator.measure,
            "value": _json_float(self.value),
            "target": self.indicator.target,
            "better": self.indicator.better,
            "status": self.status,
            "change": _maybe(self.change),
            "trend": self.trend,
            "history": [{"period": p, "value": _json_float(v)} for p, v in self.history],
            "teams": [t.to_dict() for t in self.teams],
        }


@attrs.frozen
class WeakLink:
    """A team whose adoption is below its reference by more than the tolerance."""

    indicator: str
    team: str
    value: float
    reference: float
    threshold: float

    @property
    def gap(self) -> float:
        return self.reference - self.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "team": self.team,
            "value": _json_float(self.value),
            "reference": _json_float(self.reference),
            "threshold": _json_float(self.threshold),
            "gap": _json_float(self.gap),
        }


@attrs.frozen
class TeamStake:
    """One team's share of the value at stake: ``performance x (reference / adoption - 1)``.

    ``factor`` and ``value`` are ``None`` when the team's adoption is 0 (the linear model
    cannot scale from nothing; the scorecard's notes say so). ``counted`` says whether the
    team adds to the total: a weak link does, and with ``signed=True`` every team does.
    """

    team: str
    performance: float
    adoption: float
    reference: float
    weak: bool
    counted: bool
    factor: float | None
    value: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "performance": _json_float(self.performance),
            "adoption": _json_float(self.adoption),
            "reference": _json_float(self.reference),
            "weak_link": self.weak,
            "counted": self.counted,
            "factor": _maybe(self.factor),
            "value": _maybe(self.value),
        }


@attrs.frozen
class Realised:
    """A performance indicator's total over the teams as feel-good equivalents."""

    indicator: Indicator
    total: float
    per: str
    equivalents: Equivalents
    results: tuple[Result, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.name,
            "kind": self.indicator.kind,
            "total": _json_float(self.total),
            "unit": self.indicator.unit,
            "per": self.per,
            "equivalents": self.equivalents.to_dicts(),
        }


@attrs.frozen
class Stake:
    """What the counted teams would add at their reference adoption.

    ``total`` is the net change: a gain shown as action equivalents (what the lagging teams
    would add). With ``signed=True`` it may be negative, when the teams above their reference
    would lose more at it than the teams below would gain: a net ``loss``, shown as feel-good
    equivalents of its size (the value those teams realise above their reference).
    """

    indicator: Indicator
    driver: str
    teams: tuple[TeamStake, ...]
    total: float
    per: str
    equivalents: Equivalents
    results: tuple[Result, ...]

    @property
    def counted(self) -> tuple[str, ...]:
        """The teams whose value adds to the total."""
        return tuple(t.team for t in self.teams if t.counted and t.value is not None)

    @property
    def direction(self) -> Direction:
        """``gain`` for a positive total, ``loss`` for a negative one, ``none`` for 0."""
        return "gain" if self.total > 0 else "loss" if self.total < 0 else "none"

    @property
    def lagging(self) -> tuple[str, ...]:
        """The teams that are weak links of the driving adoption indicator."""
        return tuple(t.team for t in self.teams if t.weak)

    @property
    def gaining(self) -> tuple[str, ...]:
        """The counted teams that would gain at their reference (below it)."""
        return tuple(t.team for t in self.teams if t.counted and (t.value or 0) > 0)

    @property
    def losing(self) -> tuple[str, ...]:
        """The counted teams that would lose at their reference (above it; ``signed`` only)."""
        return tuple(t.team for t in self.teams if t.counted and (t.value or 0) < 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.name,
            "driven_by": self.driver,
            "kind": self.indicator.kind,
            "total": _json_float(self.total),
            "direction": self.direction,
            "unit": self.indicator.unit,
            "per": self.per,
            "counted": list(self.counted),
            "teams": [t.to_dict() for t in self.teams],
            "equivalents": self.equivalents.to_dicts(),
        }


def stake_value(performance: float, reference: float, adoption: float) -> float:
    """``performance x (reference / adoption - 1)``, worked as ``performance x reference /
    adoption - performance``: the same number, with one rounding less (120 x 0.7 / 0.6 - 120
    is 20.0, where 120 x (0.7 / 0.6 - 1) is 20.000000000000007)."""
    value = performance * reference / adoption - performance
    # a huge performance can overflow in the product though the value itself fits
    return value if math.isfinite(value) else performance * (reference / adoption - 1)
