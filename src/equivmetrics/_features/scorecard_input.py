"""A scorecard's input: the host's numbers per period and team, and the weak-link rule, checked.

The numbers come as ``{period: {team: {number: value}}}`` (``"2026-03": {"Support":
{"active_users": 30, "licensed_seats": 50}}``), or as a list of rows with ``period`` and
``team`` columns (read by :func:`rows_to_data`, as a CSV file gives them). Every period up to
the scorecard's holds the same teams: a team missing from one is a
:class:`~equivmetrics.ScorecardError`, never a silent gap in a trend. Periods after the
scorecard's are not read.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from equivmetrics._core.suggest import close_matches
from equivmetrics.exceptions import InputTypeError, InputValueError, ScorecardError

from .scenario_inputs import read_share
from .series import parse_period

if TYPE_CHECKING:
    from .scorecard_parts import Score

__all__ = [
    "REFERENCES",
    "Reference",
    "Rule",
    "Table",
    "checked_sum",
    "read_table",
    "rows_to_data",
    "too_large",
]

Reference = Literal["median", "mean", "target"]
REFERENCES: tuple[Reference, ...] = ("median", "mean", "target")


@attrs.frozen
class Rule:
    """The weak-link rule: a team is a weak link when its adoption is below its reference by
    more than ``tolerance`` (in the indicator's own terms: 0.10 is 10 points of a share).

    ``reference`` is ``"median"`` or ``"mean"`` of the *other* teams' adoption, or the
    indicator's ``"target"``. ``signed`` counts every team in the value at stake, a team above
    its reference as negative value; by default only weak links count, each as a gain.
    """

    reference: Reference = "median"
    tolerance: float = 0.10
    signed: bool = False

    @classmethod
    def of(cls, reference: Any, tolerance: Any, signed: Any) -> Rule:
        """The rule from caller arguments, checked (library errors for bad values)."""
        if reference not in REFERENCES:
            raise InputValueError(
                f"reference must be one of {', '.join(REFERENCES)}, not {reference!r}",
                value=reference,
            )
        if not isinstance(signed, bool):
            raise InputTypeError(f"signed must be True or False, not {signed!r}", value=signed)
        meaning = "how far below its reference a team may be before it is a weak link"
        return cls(reference, read_share("tolerance", tolerance, meaning), signed)

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "tolerance": self.tolerance, "signed": self.signed}

    def reference_for(self, score: Score, team: str) -> float:
        """A team's reference adoption: the others' median or mean, or the target."""
        indicator = score.indicator
        if self.reference == "target":
            if indicator.target is None:
                raise ScorecardError(
                    f"reference='target' needs a target for {indicator.name}; declare one, "
                    "or use reference='median'",
                    problem="no_target",
                    indicator=indicator.name,
                )
            return indicator.target
        others = [t.value for t in score.teams if t.team != team]
        if not others:
            raise ScorecardError(
                f"with one team there are no other teams to compare {team!r} with; use "
                "reference='target'",
                problem="too_few_teams",
                indicator=indicator.name,
                team=team,
            )
        try:
            if self.reference == "median":
                found = statistics.median(others)
            else:  # the mean to 12 decimals: teams all at 0.05 have the mean 0.05, not 0.0500…01
                found = round(statistics.fmean(others), 12)
        except OverflowError:
            found = math.inf
        if not math.isfinite(found):
            raise too_large(
                f"the {self.reference} of the other teams' {indicator.name} for {team!r}",
                indicator=indicator.name,
                team=team,
            )
        return found


def too_large(what: str, **where: str) -> ScorecardError:
    """The error for a figure beyond the largest float (about 1.8e308): ``too_large``."""
    return ScorecardError(
        f"{what} is too large to compute with (beyond about 1.8e308); check the numbers it "
        "comes from, which are far beyond any count of users, seats or work",
        problem="too_large",
        **where,
    )


def checked_sum(values: Iterable[float], what: str, **where: str) -> float:
    """The exact sum (``math.fsum``) of finite ``values``, or ``too_large`` when it overflows."""
    try:
        total = math.fsum(values)
    except OverflowError:  # "intermediate overflow in fsum"
        total = math.inf
    if not math.isfinite(total):
        raise too_large(what, **where)
    return total


@attrs.frozen
class Table:
    """The checked numbers: the scorecard's period, the earlier ones, the teams."""

    period: str
    per: str
    history: tuple[str, ...]
    teams: tuple[str, ...]
    numbers: Mapping[str, Mapping[str, Mapping[str, Any]]]


def per_of(label: str, start: dt.date, end: dt.date) -> str:
    """The rate period a period's totals convert over: a calendar month reads "a month"."""
    if len(label) == 7:
        return "month"
    if len(label) == 4:
        return "year"
    days = (end - start).days
    return "day" if days == 1 else f"{days} day"


def read_table(data: Any, period: Any = None, teams: Any = None) -> Table:
    """The numbers of ``period`` (default: the latest) and of every period before it.

    ``data`` is ``{period: {team: {number: value}}}``, or rows with ``period`` and ``team``
    columns (a list of mappings: ``csv.DictReader``, ``DataFrame.to_dict("records")``).
    """
    if isinstance(data, list | tuple):
        data = rows_to_data(data)
    if not isinstance(data, Mapping):
        raise InputTypeError(
            "a scorecard takes {period: {team: {number: value}}} or a list of rows with "
            f"period and team columns, not {type(data).__name__}",
            value=data,
        )
    dated = sorted((parse_period(key)[1:], str(key)) for key in data)
    if not dated:
        raise ScorecardError(
            "a scorecard needs the numbers of at least one period", problem="no_data"
        )
    labels = [label for _, label in dated]
    chosen = labels[-1] if period is None else str(period)
    if chosen not in labels:
        raise ScorecardError(
            f"no numbers for the period {chosen!r}; the periods given are {', '.join(labels)}",
            problem="unknown_period",
            period=chosen,
        )
    index = labels.index(chosen)
    start, end = dated[index][0]
    numbers = {label: _teams(data[_key(data, label)], label) for label in labels[: index + 1]}
    names = _chosen_teams(tuple(numbers[chosen]), teams, chosen)
    for label, table in numbers.items():
        _same_teams(names, table, label, chosen)
    return Table(
        period=chosen,
        per=per_of(chosen, start, end),
        history=tuple(labels[:index]),
        teams=names,
        numbers={label: {t: table[t] for t in names} for label, table in numbers.items()},
    )


def _key(data: Mapping[Any, Any], label: str) -> Any:
    return next(key for key in data if str(key) == label)


def _teams(value: Any, period: str) -> dict[str, Mapping[str, Any]]:
    if not isinstance(value, Mapping) or not all(
        isinstance(team, str) and isinstance(numbers, Mapping) for team, numbers in value.items()
    ):
        raise InputTypeError(
            f"the numbers of {period} must map team names to their numbers "
            "({'Support': {'active_users': 30, ...}}), not " + repr(value)[:80],
            value=value,
        )
    if not value:
        raise ScorecardError(
            f"{period} has no teams; give each team's numbers or leave the period out",
            problem="no_data",
            period=period,
        )
    return dict(value)


def _chosen_teams(present: tuple[str, ...], teams: Any, period: str) -> tuple[str, ...]:
    if teams is None:
        return present
    names = (teams,) if isinstance(teams, str) else tuple(teams)
    for name in names:
        if name not in present:
            near = close_matches(str(name), present, 1)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raise ScorecardError(
                f"no team {name!r} in {period}; {hint}the teams are {', '.join(present)}",
                problem="unknown_team",
                team=str(name),
                period=period,
            )
    if not names:
        raise InputValueError("teams= names no team; leave it out for every team", value=teams)
    return names


def _same_teams(names: tuple[str, ...], table: Mapping[str, Any], label: str, chosen: str) -> None:
    for team in names:
        if team not in table:
            raise ScorecardError(
                f"team {team!r} has numbers for {chosen} but none for {label}, so its trend "
                f"cannot be told; give its numbers for {label}, or leave out the periods "
                "before it joined",
                problem="missing_team",
                team=team,
                period=label,
            )


def rows_to_data(
    rows: Iterable[Mapping[str, Any]], *, lines: Sequence[int] = (), source: str = ""
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{period: {team: numbers}}`` from rows with ``period`` and ``team`` columns.

    Other columns are the numbers; text that reads as a number becomes one, an empty cell is
    left out (so a number a team lacks is reported as missing, not read as 0). Errors name a
    row by its number ("row 2"), or, given the file's ``lines`` of the rows and its name
    (``source``), by the file's line ("teams.csv, line 3").

    >>> rows_to_data([{"period": "2026-03", "team": "Support", "active_users": "30"}])
    {'2026-03': {'Support': {'active_users': 30.0}}}
    """
    data: dict[str, dict[str, dict[str, Any]]] = {}
    for n, row in enumerate(rows, start=1):
        line = f"{source}, line {lines[n - 1]}" if n <= len(lines) else f"row {n}"
        if not isinstance(row, Mapping):
            raise InputTypeError(f"{line} is not a mapping of columns", value=row)
        period, team = row.get("period"), row.get("team")
        if not period or not team:
            raise ScorecardError(
                f"{line} has no {'period' if not period else 'team'}; every row names "
                "its period ('2026-03') and team",
                problem="missing_number",
            )
        teams = data.setdefault(str(period), {})
        if str(team) in teams:
            raise ScorecardError(
                f"{line}: team {team!r} appears twice in {period}; give one row per team "
                "and period",
                problem="duplicate_team",
                team=str(team),
                period=str(period),
            )
        teams[str(team)] = {
            str(k): _cell(v) for k, v in row.items() if k not in ("period", "team") and v != ""
        }
    return data


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value  # reported as not a number when an indicator reads it
    return value
