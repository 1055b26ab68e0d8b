"""Scorecards: adoption and performance for a tenant and a period, and the cost of lagging.

The product brief asks to "detect any weak links which could put collective performance at
risk" and to weight value by adoption. A :class:`Scorecard` gives, for one period:

* each indicator against its target, pooled over the teams, with its trend (the change since
  the period before);
* the **weak links**: teams whose adoption is below their reference by more than a tolerance,
  the reference being the median (or mean) of the *other* teams, or the target;
* the **realised value**: each performance indicator that converts, as feel-good equivalents;
* the **value at stake**: what the weak links would add at their reference adoption, as action
  equivalents, with the ranges the engine's parameters give.

The value at stake is linear in adoption, as in :class:`~equivmetrics.Scenario`: a team's
performance scaled by ``reference / adoption - 1`` (a team at 60 % adoption that saved 120
hours would save 120 x 0.85 / 0.60 = 170 hours at 85 %: 50 hours more). docs/adoption.md works
an example by hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs

from equivmetrics._core.suggest import close_matches
from equivmetrics._engine.core import Converts
from equivmetrics._engine.result import Result
from equivmetrics._present.equivalent import Equivalents
from equivmetrics._present.formatter import Formatter
from equivmetrics._present.scorecard_card import scorecard_html
from equivmetrics.exceptions import InputTypeError, InputValueError, ScorecardError

from .indicator import Indicator
from .offer import offer
from .scorecard_input import Rule, Table, checked_sum, read_table, too_large
from .scorecard_parts import Realised, Score, Stake, TeamScore, TeamStake, WeakLink, stake_value
from .scorecard_text import explain_lines

__all__ = ["SCORECARD_SCHEMA", "Scorecard", "scorecard"]

SCORECARD_SCHEMA = "equivmetrics.scorecard/1"


@attrs.frozen
class Scorecard:
    """A tenant's scorecard for one period: scores, weak links, realised value, value at stake.

    Build one with :meth:`Engine.scorecard <equivmetrics.Engine.scorecard>`;
    :meth:`explain` gives the arithmetic step by step, :meth:`to_dict` JSON for dashboards,
    :meth:`to_html` a card.
    """

    period: str
    per: str
    history: tuple[str, ...]
    teams: tuple[str, ...]
    rule: Rule
    scores: tuple[Score, ...]
    weak_links: tuple[WeakLink, ...]
    realised: tuple[Realised, ...]
    at_stake: tuple[Stake, ...]
    notes: tuple[str, ...]
    locale: str = "en"

    def score(self, indicator: str) -> Score:
        """The score of one indicator, by name."""
        for score in self.scores:
            if score.indicator.name == indicator:
                return score
        known = [s.indicator.name for s in self.scores]
        raise ScorecardError(
            f"this scorecard has no indicator {indicator!r}; it has {', '.join(known)}",
            problem="unknown_indicator",
            indicator=indicator,
        )

    def explain(self) -> str:
        """Every figure of the scorecard worked step by step, in English."""
        return "\n".join(explain_lines(self))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``equivmetrics.scorecard/1`` (docs/adoption.md shows the shape)."""
        return {
            "schema": SCORECARD_SCHEMA,
            "period": self.period,
            "per": self.per,
            "history": list(self.history),
            "teams": list(self.teams),
            "rule": self.rule.to_dict(),
            "scores": [s.to_dict() for s in self.scores],
            "weak_links": [w.to_dict() for w in self.weak_links],
            "realised": [r.to_dict() for r in self.realised],
            "at_stake": [s.to_dict() for s in self.at_stake],
            "notes": list(self.notes),
        }

    def to_html(self, *, title: str | None = None) -> str:
        """The scorecard as one self-contained HTML card, in the scorecard's locale."""
        return scorecard_html(self, title=title, locale=self.locale)

    def _repr_html_(self) -> str:
        return self.to_html()


def scorecard(
    engine: Converts,
    indicators: Iterable[Indicator],
    data: Any,
    *,
    period: Any = None,
    teams: Any = None,
    reference: Any = "median",
    tolerance: Any = 0.10,
    signed: Any = False,
    locale: str = "en",
) -> Scorecard:
    """The scorecard of ``data`` (``{period: {team: {number: value}}}``) for ``period``.

    See :meth:`Engine.scorecard <equivmetrics.Engine.scorecard>` and docs/adoption.md.
    """
    rule = Rule.of(reference, tolerance, signed)
    Formatter(locale).check()
    chosen = _checked(indicators, engine)
    table = read_table(data, period, teams)
    scores = tuple(_score(indicator, table) for indicator in chosen)
    by_name = {score.indicator.name: score for score in scores}
    notes: list[str] = []
    weak = tuple(
        link
        for score in scores
        if score.indicator.family == "adoption"
        for link in _weak_links(score, rule)
    )
    realised = []
    stakes = []
    for score in scores:
        if not score.indicator.converts:
            continue
        realised.append(_realised(engine, score, table.per, locale, notes))
        driver = _driver(score.indicator, chosen)
        if driver is None:
            notes.append(
                f"{score.indicator.name}: no adoption indicator drives it, so it has no value "
                "at stake"
            )
            continue
        stakes.append(_stake(engine, score, by_name[driver], rule, table, locale, notes))
    return Scorecard(
        period=table.period,
        per=table.per,
        history=table.history,
        teams=table.teams,
        rule=rule,
        scores=scores,
        weak_links=weak,
        realised=tuple(realised),
        at_stake=tuple(stakes),
        notes=tuple(notes),
        locale=locale,
    )


# -- checks --------------------------------------------------------------------------------


def _checked(indicators: Iterable[Indicator], engine: Converts) -> tuple[Indicator, ...]:
    if isinstance(indicators, Indicator):
        indicators = (indicators,)
    chosen = tuple(indicators) if isinstance(indicators, Iterable) else (indicators,)
    if not chosen:
        raise ScorecardError(
            "a scorecard needs at least one indicator: declare them in a pack's indicators: "
            "section or pass indicators=[em.Indicator(...)]",
            problem="no_indicators",
        )
    names: set[str] = set()
    for indicator in chosen:
        if not isinstance(indicator, Indicator):
            raise InputTypeError(
                f"indicators must be em.Indicator objects, not {type(indicator).__name__}",
                value=indicator,
            )
        if indicator.name in names:
            raise ScorecardError(
                f"two indicators are named {indicator.name!r}; give each its own name",
                problem="duplicate_indicator",
                indicator=indicator.name,
            )
        names.add(indicator.name)
        if indicator.kind is not None and indicator.kind not in engine.kinds:
            near = close_matches(indicator.kind, engine.kinds, 1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise ScorecardError(
                f"indicator {indicator.name!r} converts from kind {indicator.kind!r}, which no "
                f"loaded pack defines; {hint}`equivmetrics packs` lists the kinds",
                problem="unknown_kind",
                indicator=indicator.name,
            )
    for indicator in chosen:
        _driver(indicator, chosen)  # an unknown or ambiguous driver is reported up front
    return chosen


def _driver(indicator: Indicator, chosen: tuple[Indicator, ...]) -> str | None:
    """The adoption indicator that drives a performance indicator (None for none)."""
    adoption = [i.name for i in chosen if i.family == "adoption"]
    if indicator.driven_by is not None:
        if indicator.driven_by not in adoption:
            raise ScorecardError(
                f"indicator {indicator.name!r} is driven_by {indicator.driven_by!r}, which is "
                f"not an adoption indicator of this scorecard (those are "
                f"{', '.join(adoption) or 'none'})",
                problem="unknown_indicator",
                indicator=indicator.name,
            )
        return indicator.driven_by
    if indicator.family != "performance" or not indicator.converts or not adoption:
        return None
    if len(adoption) > 1:
        raise ScorecardError(
            f"indicator {indicator.name!r} could be driven by any of {', '.join(adoption)}; "
            "say which with driven_by=",
            problem="ambiguous_driver",
            indicator=indicator.name,
        )
    return adoption[0]


# -- scores and weak links -------------------------------------------------------------------


def _pooled(indicator: Indicator, table: Table, period: str) -> tuple[float, list[TeamScore]]:
    """The teams' values in one period, and their pooled value."""
    rows = table.numbers[period]
    if not any(indicator.numerator in rows[team] for team in table.teams):
        raise ScorecardError(
            f"no team has the number {indicator.numerator!r} that {indicator.name} needs in "
            f"{period}; add it to the data, or leave the indicator out",
            problem="no_data",
            indicator=indicator.name,
            period=period,
        )
    teams = []
    for team in table.teams:
        value = indicator.value(rows[team], team=team, period=period)  # checks the numbers
        bottom = indicator.denominator
        teams.append(
            TeamScore(
                team,
                value,
                float(rows[team][indicator.numerator]),
                None if bottom is None else float(rows[team][bottom]),
                None,
            )
        )
    where = {"indicator": indicator.name, "period": period}
    top = checked_sum(
        (t.numerator for t in teams),
        f"the sum of the teams' {indicator.numerator} in {period}",
        **where,
    )
    if indicator.denominator is None:
        return top, teams
    under = checked_sum(
        (t.denominator or 0.0 for t in teams),
        f"the sum of the teams' {indicator.denominator} in {period}",
        **where,
    )
    pooled = top / under
    if not math.isfinite(pooled):  # a rate: a huge numerator over a tiny denominator
        raise too_large(f"{indicator.name} of all teams in {period} ({top:g} / {under:g})", **where)
    return pooled, teams


def _score(indicator: Indicator, table: Table) -> Score:
    value, teams = _pooled(indicator, table, table.period)
    earlier = [(period, _pooled(indicator, table, period)) for period in table.history]
    previous = {t.team: t.value for t in earlier[-1][1][1]} if earlier else {}
    return Score(
        indicator=indicator,
        value=value,
        teams=tuple(attrs.evolve(t, previous=previous.get(t.team)) for t in teams),
        history=tuple((period, pooled) for period, (pooled, _) in earlier),
    )


def _weak_links(score: Score, rule: Rule) -> Iterable[WeakLink]:
    for team in score.teams:
        reference = rule.reference_for(score, team.team)
        threshold = reference - rule.tolerance
        if team.value < threshold:
            yield WeakLink(score.indicator.name, team.team, team.value, reference, threshold)


# -- value -----------------------------------------------------------------------------------


def _equivalents(
    engine: Converts, indicator: Indicator, total: float, per: str, role: Any, locale: str
) -> tuple[Equivalents, tuple[Result, ...]]:
    """The equivalents of ``total`` (in the indicator's unit over ``per``), and their results.

    A total so large that an equivalent overflows (hours as a labour cost beyond 1.8e308) is a
    ``too_large`` :class:`~equivmetrics.ScorecardError`, like the numbers it came from.
    """
    quantity = (total, indicator.unit)
    what = f"{indicator.name}'s {total:g} {indicator.unit} per {per}, as an equivalent,"
    try:
        found = offer(
            engine,
            quantity,
            role,
            of=indicator.kind,
            only=indicator.show or None,
            per=per,
            locale=locale,
        )
    except InputValueError as exc:  # an equivalent beyond a float ("the result is inf")
        if "the result is" in str(exc):
            raise too_large(what, indicator=indicator.name) from None
        raise
    results = tuple(
        engine.convert(quantity, e.kind, of=indicator.kind, per=per, unit=e.unit) for e in found
    )
    for result in results:
        if not all(math.isfinite(float(v)) for v in (result.magnitude, result.low, result.high)):
            raise too_large(f"{what} ({result.kind})", indicator=indicator.name)
    return found, results


def _realised(engine: Converts, score: Score, per: str, locale: str, notes: list[str]) -> Realised:
    indicator = score.indicator
    if score.value <= 0:
        notes.append(f"{indicator.name}: the teams' total is 0, so no value is realised")
        return Realised(indicator, score.value, per, Equivalents(), ())
    found, results = _equivalents(engine, indicator, score.value, per, "feel_good", locale)
    return Realised(indicator, score.value, per, found, results)


def _stake(
    engine: Converts,
    score: Score,
    driver: Score,
    rule: Rule,
    table: Table,
    locale: str,
    notes: list[str],
) -> Stake:
    indicator = score.indicator
    weak = {link.team for link in _weak_links(driver, rule)}
    teams = []
    for team in table.teams:
        adoption = driver.team(team).value
        reference = rule.reference_for(driver, team)
        performance = score.team(team).value
        counted = team in weak or rule.signed
        factor = reference / adoption - 1 if adoption > 0 else None
        if factor is None and counted:
            notes.append(
                f"{indicator.name}: {team} has no adoption ({driver.indicator.name} is 0), and "
                "a team's performance cannot be scaled from zero: its value at stake is not "
                "counted"
            )
        value = None if factor is None else stake_value(performance, reference, adoption)
        if value is not None and not math.isfinite(value):
            raise too_large(
                f"{team}'s value at stake of {indicator.name} in {table.period}, "
                f"{performance:g} x ({reference:g} / {adoption:g} - 1),",
                indicator=indicator.name,
                team=team,
                period=table.period,
            )
        teams.append(
            TeamStake(team, performance, adoption, reference, team in weak, counted, factor, value)
        )
    total = checked_sum(
        (t.value for t in teams if t.counted and t.value is not None),
        f"the value at stake of {indicator.name} in {table.period}",
        indicator=indicator.name,
        period=table.period,
    )
    found: Equivalents = Equivalents()
    results: tuple[Result, ...] = ()
    if total != 0:  # a gain as action equivalents; a net loss (signed) as what would be lost
        role = "action" if total > 0 else "feel_good"
        found, results = _equivalents(engine, indicator, abs(total), table.per, role, locale)
    return Stake(indicator, driver.indicator.name, tuple(teams), total, table.per, found, results)
