"""A scorecard's arithmetic in words, step by step (English, like :meth:`Result.explain`).

Every figure of the scorecard appears with the numbers it came from: each team's value, the
pooled value and its target, the trend, each team's reference and threshold, each team's share
of the value at stake, and the derivation of every equivalent.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Protocol

from equivmetrics._engine.result import Result
from equivmetrics._present.equivalent import Equivalent

from .scorecard_input import Rule
from .scorecard_parts import Realised, Score, Stake, WeakLink

__all__ = ["explain_lines", "number"]


class Scorecard(Protocol):
    """What the explanation reads of a :class:`~equivmetrics.Scorecard` (which imports this
    module, so it is named by what it has)."""

    @property
    def period(self) -> str: ...
    @property
    def per(self) -> str: ...
    @property
    def history(self) -> tuple[str, ...]: ...
    @property
    def teams(self) -> tuple[str, ...]: ...
    @property
    def rule(self) -> Rule: ...
    @property
    def scores(self) -> tuple[Score, ...]: ...
    @property
    def weak_links(self) -> tuple[WeakLink, ...]: ...
    @property
    def realised(self) -> tuple[Realised, ...]: ...
    @property
    def at_stake(self) -> tuple[Stake, ...]: ...
    @property
    def notes(self) -> tuple[str, ...]: ...


_REFERENCE = {
    "median": "the median of the other teams",
    "mean": "the mean of the other teams",
    "target": "the target",
}


def number(value: float | None) -> str:
    """A figure as the explanation shows it: up to four significant figures, no exponent."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    text = f"{value:,.4g}" if abs(value) < 1e15 else f"{value:.4g}"
    return text if "e" not in text else f"{value:,.0f}"


def explain_lines(card: Scorecard) -> Iterator[str]:
    history = f"; trend against {', '.join(card.history)}" if card.history else ""
    yield f"Scorecard for {card.period}, teams {', '.join(card.teams)}{history}."
    for score in card.scores:
        yield from _score_lines(score, card.period)
    for score in card.scores:
        if score.indicator.family == "adoption":
            yield from _weak_lines(card, score)
    for realised in card.realised:
        yield from _realised_lines(realised, card.per)
    for stake in card.at_stake:
        yield from _stake_lines(stake, card)
    for note in card.notes:
        yield f"Note: {note}."


def _score_lines(score: Score, period: str) -> Iterator[str]:
    ind = score.indicator
    how = ind.numerator if ind.denominator is None else f"{ind.numerator} / {ind.denominator}"
    yield f"{ind.name} ({ind.family}, {ind.measure}: {how}), {period}:"
    for team in score.teams:
        if team.denominator is None:
            yield f"  {team.team}: {number(team.value)}"
        else:
            yield (
                f"  {team.team}: {number(team.numerator)} / {number(team.denominator)} = "
                f"{number(team.value)}"
            )
    tops = " + ".join(number(t.numerator) for t in score.teams)
    if ind.denominator is None:
        pooled = f"{tops} = {number(score.value)}"
    else:
        bottoms = " + ".join(number(t.denominator) for t in score.teams)
        pooled = f"({tops}) / ({bottoms}) = {number(score.value)}"
    target = (
        f"; target {number(ind.target)} ({ind.better} is better): {score.status}"
        if ind.target is not None
        else "; no target"
    )
    yield f"  all teams: {pooled}{target}"
    if score.history:
        path = ", ".join(f"{p} {number(v)}" for p, v in score.history)
        yield (
            f"  trend: {path}, then {number(score.value)}: change "
            f"{number(score.change)} ({score.trend})"
        )


def _weak_lines(card: Scorecard, score: Score) -> Iterator[str]:
    rule = card.rule
    yield (
        f"Weak links in {score.indicator.name}: a team below its reference "
        f"({_REFERENCE[rule.reference]}) by more than {number(rule.tolerance)}:"
    )
    weak = {link.team: link for link in card.weak_links if link.indicator == score.indicator.name}
    for team in score.teams:
        others = [number(t.value) for t in score.teams if t.team != team.team]
        reference = _reference_text(card, score, team.team, others)
        link = weak.get(team.team)
        verdict = "a weak link" if link is not None else "not a weak link"
        threshold = number(_reference(card, score, team.team) - rule.tolerance)
        yield (
            f"  {team.team}: {number(team.value)}; reference {reference}; threshold "
            f"{threshold}: {verdict}"
        )


def _reference(card: Scorecard, score: Score, team: str) -> float:
    return card.rule.reference_for(score, team)


def _reference_text(card: Scorecard, score: Score, team: str, others: list[str]) -> str:
    value = number(_reference(card, score, team))
    if card.rule.reference == "target":
        return value
    return f"{card.rule.reference}({', '.join(others)}) = {value}"


def _and(names: tuple[str, ...]) -> str:
    return " and ".join((", ".join(names[:-1]), names[-1])) if len(names) > 1 else "".join(names)


def _per(per: str) -> str:
    return f"a {per}" if " " not in per else f"per {per}"


def _realised_lines(realised: Realised, per: str) -> Iterator[str]:
    ind = realised.indicator
    yield (
        f"Realised value of {ind.name}: all teams' {number(realised.total)} {ind.unit} "
        f"{_per(per)} of {ind.kind}, as feel-good equivalents:"
    )
    yield from _equivalent_lines(realised.equivalents, realised.results)


def _stake_lines(stake: Stake, card: Scorecard) -> Iterator[str]:
    ind = stake.indicator
    counted = "every team (signed)" if card.rule.signed else "the weak links"
    yield (
        f"Value at stake of {ind.name} (driven by {stake.driver}), counting {counted}: "
        f"performance x (reference / adoption - 1), linear in adoption:"
    )
    for team in stake.teams:
        mark = "counted" if team.counted and team.value is not None else "not counted"
        if team.factor is None:
            yield f"  {team.team}: adoption 0, cannot be scaled: {mark}"
            continue
        yield (
            f"  {team.team}: {number(team.performance)} {ind.unit} x ({number(team.reference)}"
            f" / {number(team.adoption)} - 1) = {number(team.value)} {ind.unit}: {mark}"
        )
    yield f"  total: {number(stake.total)} {ind.unit} {_per(stake.per)}"
    if stake.direction == "loss":
        yield (
            f"  a net loss: at their references {_and(stake.losing)} would lose more than "
            f"{_and(stake.gaining) or 'the others'} would gain; as feel-good equivalents of "
            f"the {number(-stake.total)} {ind.unit} that would be lost:"
        )
    elif stake.equivalents:
        yield "  as action equivalents:"
    yield from _equivalent_lines(stake.equivalents, stake.results)


def _equivalent_lines(
    equivalents: tuple[Equivalent, ...], results: tuple[Result, ...]
) -> Iterator[str]:
    for equivalent, result in zip(equivalents, results, strict=True):
        yield f"    {equivalent.text}"
        for line in result.explain().splitlines():
            yield f"      {line}"
