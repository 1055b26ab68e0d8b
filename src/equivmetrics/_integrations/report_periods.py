"""The periods of a value report: monthly totals rolled up to quarters or years, and labels.

A quarter is ``(start, end)`` dates to :meth:`Engine.series` (``end`` exclusive), labelled
``2025-Q1``; a year is ``2025``. One with fewer months than it has (a quarter or year to date)
is labelled ``2025-Q2 to date`` or ``2025 to date`` and ends after its last month given, so a
capacity (full-time staff) counts only its days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from equivmetrics._features.series import Series, parse_period
from equivmetrics.exceptions import InputValueError

__all__ = ["Grouping", "label_of", "relabel", "roll_up"]

Grouping = Literal["month", "quarter", "year"]
_GROUPINGS = ("month", "quarter", "year")


def _month_after(day: dt.date, months: int = 1) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def roll_up(
    values: Iterable[tuple[str, float]], by: Grouping
) -> list[tuple[str | tuple[dt.date, dt.date], float]]:
    """Monthly totals (``"2025-01"``) summed per quarter or per year (to date) as date pairs;
    ``by="month"`` keeps them as they are."""
    if by not in _GROUPINGS:
        raise InputValueError(f"period must be month, quarter or year, got {by!r}", value=by)
    pairs = list(values)
    if by == "month":
        return list(pairs)
    groups: dict[dt.date, list[Any]] = {}
    for period, total in pairs:
        label, start, end = parse_period(period)
        if start.day != 1 or end != _month_after(start):
            raise InputValueError(
                f"a {by} is rolled up from months: {label!r} is not a month", value=period
            )
        first = (
            dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
            if by == "quarter"
            else dt.date(start.year, 1, 1)
        )
        group = groups.setdefault(first, [end, 0.0])
        group[0] = max(group[0], end)
        group[1] += total
    span = 3 if by == "quarter" else 12
    return [
        ((first, min(last, _month_after(first, span))), total)
        for first, (last, total) in sorted(groups.items())
    ]


def label_of(start: dt.date, end: dt.date, default: str, by: Grouping | None) -> str:
    """``2025-Q1`` or ``2025`` for a quarter or year rolled up, ``... to date`` when it has
    fewer months; ``default`` (the series' label) for anything else."""
    if by not in ("quarter", "year"):
        return default
    if by == "quarter":
        name, full = f"{start.year}-Q{(start.month - 1) // 3 + 1}", _month_after(start, 3)
    else:
        name, full = str(start.year), dt.date(start.year + 1, 1, 1)
    return name if end == full else f"{name} to date"


def relabel(series: Series, names: dict[dt.date, str]) -> Series:
    """The series with each period labelled ``names[period.start]`` (when there is one)."""
    periods = tuple(attrs.evolve(p, label=names.get(p.start, p.label)) for p in series.periods)
    return attrs.evolve(series, periods=periods)
