"""Per-period series: a total per calendar period, converted per period and accumulated.

A dashboard knows "transactions processed in January, in February, …". Each period's total
converts on its own; kinds that are capacities (full-time staff) need the period's length,
taken from the calendar — February 2026 has 28 days, March 31 — so the same hours make more
FTE in a short month. The cumulative total converts once: hours add up to hours, and staff
to staff-years ("since you started: 9.2 FTE-years").

Periods are written ``"2026"`` (a year), ``"2026-02"`` (a month), ``"2026-02-14"`` (a day), or
given as ``(start, end)`` dates with ``end`` exclusive.

>>> import equivmetrics as em
>>> s = em.load().series({"2026-02": 12000, "2026-03": 12000}, "fte",
...                      of="transaction", unit="transaction")
>>> [(p.label, p.days, round(p.result.magnitude, 2)) for p in s.periods]
[('2026-02', 28, 4.17), ('2026-03', 31, 3.76)]
>>> round(s.cumulative.magnitude, 3), s.cumulative.unit
(0.639, 'FTE*year')
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from equivmetrics._core.negative import NegativePolicy
from equivmetrics._core.quantity import split, unfit
from equivmetrics._engine.core import Converts
from equivmetrics._engine.result import Result
from equivmetrics._present.chart import Chart, ChartFormat, render_chart, running
from equivmetrics._present.notebook import series_html
from equivmetrics.exceptions import InputTypeError, InputValueError, PeriodError

__all__ = ["Period", "Series", "parse_period", "series"]

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@attrs.frozen
class Period:
    """One period of a series: its label, dates (end exclusive), length and result."""

    label: str
    start: dt.date
    end: dt.date
    result: Result

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "result": self.result.to_dict(),
        }


@attrs.frozen
class Series:
    """Per-period results and the cumulative result of a series of totals."""

    kind: str
    periods: tuple[Period, ...]
    cumulative: Result

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``equivmetrics.series/1``."""
        return {
            "schema": "equivmetrics.series/1",
            "kind": self.kind,
            "periods": [p.to_dict() for p in self.periods],
            "cumulative": self.cumulative.to_dict(),
        }

    def chart(
        self,
        *,
        cumulative: bool = False,
        format: ChartFormat = "svg",
        title: str | None = None,
        label: str | None = None,
        locale: str = "en",
        language: str | None = None,
    ) -> Chart:
        """This series as a chart: :func:`equivmetrics.render_chart` (needs ``[charts]``)."""
        return render_chart(
            self,
            cumulative=cumulative,
            format=format,
            title=title,
            label=label,
            locale=locale,
            language=language,
        )

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per period (needs pandas, the ``[pandas]`` extra).

        Indexed by ``period`` (the label); columns ``start``, ``end``, ``days``, ``input`` (the
        period's total), ``value``, ``low``, ``high``, ``unit``, and the running total after
        the period: ``cumulative``, ``cumulative_low``, ``cumulative_high``,
        ``cumulative_unit``.
        """
        import pandas as pd  # noqa: PLC0415 - pandas is optional (the [pandas] extra)

        totals, total_unit = running(self)
        rows = [
            {
                "period": p.label,
                "start": p.start,
                "end": p.end,
                "days": p.days,
                "input": float(p.result.input_magnitude),
                "value": float(p.result.magnitude),
                "low": float(p.result.low),
                "high": float(p.result.high),
                "unit": p.result.unit,
                "cumulative": total,
                "cumulative_low": low,
                "cumulative_high": high,
                "cumulative_unit": total_unit,
            }
            for p, (total, low, high) in zip(self.periods, totals, strict=True)
        ]
        return pd.DataFrame(rows).set_index("period")

    def _repr_html_(self) -> str:
        """A table, and the chart when matplotlib (the ``[charts]`` extra) is installed."""
        try:
            svg = render_chart(self).data
        except ImportError:
            svg = None
        return series_html(self, svg if isinstance(svg, str) else None)


def parse_period(period: Any) -> tuple[str, dt.date, dt.date]:
    """``(label, start, end)`` for ``"2026"``, ``"2026-02"``, ``"2026-02-14"`` or a date pair."""
    if (
        isinstance(period, tuple)
        and len(period) == 2
        and all(isinstance(d, dt.date) for d in period)
    ):
        start, end = period
        if not end > start:
            raise InputValueError(f"period {period!r} must end after it starts", value=period)
        return f"{start.isoformat()}..{end.isoformat()}", start, end
    if isinstance(period, dt.date):
        return period.isoformat(), period, period + dt.timedelta(days=1)
    match = _PERIOD.match(period) if isinstance(period, str) else None
    if match is None:
        raise unfit(period, str)(
            f"cannot read the period {period!r}: write '2026', '2026-02' or '2026-02-14', "
            "or give (start, end) dates",
            value=period,
        )
    year, month, day = match.groups()
    try:
        if day is not None:
            start = dt.date(int(year), int(month), int(day))
            return period, start, start + dt.timedelta(days=1)
        if month is not None:
            start = dt.date(int(year), int(month), 1)
            following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return period, start, following
        return period, dt.date(int(year), 1, 1), dt.date(int(year) + 1, 1, 1)
    except (ValueError, OverflowError) as exc:  # "9999-12-31" has no following day
        raise InputValueError(
            f"period {period!r} is not a calendar date: {exc}", value=period
        ) from None


def series(
    engine: Converts,
    values: Mapping[Any, Any] | Iterable[tuple[Any, Any]],
    to: str,
    *,
    of: str | None = None,
    unit: str | None = None,
    negative: NegativePolicy | None = None,
) -> Series:
    """Convert a total per period into per-period and cumulative results (see module doc).

    ``values`` maps periods to totals (numbers in ``unit``, or text such as ``"12000
    transaction"``). Periods may not overlap; they are reported in calendar order. Negative
    totals follow the kinds' policy (or ``negative``); the cumulative adds the totals as the
    periods read them, so a period read as missing (NaN) makes the cumulative NaN.
    """
    parsed = _periods(values, unit)
    results = []
    total = 0.0
    unit_text = None
    for start, end, label, (magnitude, text) in parsed:
        if unit_text not in (None, text):
            raise InputValueError(
                f"all totals of a series must share one unit: {unit_text!r} and {text!r}",
                value=text,
            )
        unit_text = text
        try:
            result = engine.convert((magnitude, text), to, of=of, negative=negative)
        except PeriodError:  # a capacity: the period's true length decides
            days = f"{(end - start).days} day"
            result = engine.convert((magnitude, text), to, of=of, per=days, negative=negative)
        total += float(result.input_magnitude)  # as the period read it (NaN under "nan")
        results.append(Period(label, start, end, result))
    assert unit_text is not None
    try:
        cumulative = engine.convert((total, unit_text), to, of=of, negative=negative)
    except PeriodError:
        kind_unit = engine.kinds[to].unit
        cumulative = engine.convert(
            (total, unit_text), to, of=of, unit=f"{kind_unit}*year", negative=negative
        )
    return Series(kind=to, periods=tuple(results), cumulative=cumulative)


def _periods(
    values: Mapping[Any, Any] | Iterable[tuple[Any, Any]], unit: str | None
) -> list[tuple[dt.date, dt.date, str, tuple[float, str]]]:
    """The periods and totals, read and in calendar order; overlapping periods refused."""
    try:
        items = [
            (period, value)
            for period, value in (values.items() if isinstance(values, Mapping) else values)
        ]
    except (TypeError, ValueError):
        raise InputTypeError(
            "a series takes a mapping of periods to totals, or (period, total) pairs, not "
            f"{type(values).__name__}",
            value=values,
        ) from None
    if not items:
        raise InputValueError("a series needs at least one period", value=values)
    parsed = []
    for period, value in items:
        label, start, end = parse_period(period)
        parsed.append((start, end, label, _quantity(value, unit, label)))
    parsed.sort(key=lambda p: p[0])
    for (_, end, label, _), (start, _, following, _) in itertools.pairwise(parsed):
        if start < end:
            raise InputValueError(f"periods {label} and {following} overlap", value=following)
    return parsed


def _quantity(value: Any, unit: str | None, label: str) -> tuple[float, str]:
    try:
        return _read_quantity(value, unit, label)
    except OverflowError:
        raise InputValueError(
            "a total of a series is too large for a 64-bit float (at most about 1.8e308)",
            value=value,
        ) from None


def _read_quantity(value: Any, unit: str | None, label: str) -> tuple[float, str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit is None:
            raise InputTypeError(
                f"bare numbers in a series need unit=, e.g. unit='transaction' (period {label}: "
                f"{value!r})",
                value=value,
            )
        return float(value), unit
    magnitude, text = split(value)
    if getattr(magnitude, "ndim", 0) != 0:
        raise InputTypeError("each total of a series is one number, not an array", value=value)
    if not text:  # a number written as text ("12000", from JSON, say): the series' unit
        if unit is None:
            raise InputValueError(
                f"the total of period {label}, {value!r}, has no unit: write it with its unit "
                "('12000 transaction') or give unit=",
                value=value,
            )
        text = unit
    return float(magnitude), text
