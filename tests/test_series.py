"""Per-period series: calendar lengths for capacities, cumulative totals."""

from __future__ import annotations

import datetime as dt

import pytest

import equivmetrics as em
from equivmetrics._features.series import parse_period


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 3, 1)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("2026-02-14", dt.date(2026, 2, 14), dt.date(2026, 2, 15)),
    ],
)
def test_periods_follow_the_calendar(period: str, start: dt.date, end: dt.date) -> None:
    assert parse_period(period)[1:] == (start, end)


def test_february_makes_more_fte_than_march_for_the_same_hours() -> None:
    s = em.load().series(
        {"2026-03": 12000, "2026-02": 12000, "2024-02": 12000},
        "fte",
        of="transaction",
        unit="transaction",
    )
    assert [p.label for p in s.periods] == ["2024-02", "2026-02", "2026-03"]
    assert [p.days for p in s.periods] == [29, 28, 31]
    # 12,000 x 3 min = 600 h in the month; FTE = 600 h / (days / 365.25 year) / 1,878.50 h
    # worked per FTE-year (2,080 paid hours x 32.07 / 35.51)
    hours = 2080 * 32.07 / 35.51
    for period in s.periods:
        expected = 600 * 365.25 / period.days / hours
        assert period.result.magnitude == pytest.approx(expected, rel=1e-12)
    # cumulative: 1,800 h / 1,878.50 h per FTE-year = 0.9582 FTE-years
    assert s.cumulative.magnitude == pytest.approx(1800 / hours, rel=1e-12)
    assert s.cumulative.magnitude == pytest.approx(0.95821, rel=1e-5)
    assert s.cumulative.unit == "FTE*year"


def test_totals_add_up_for_kinds_that_are_not_capacities() -> None:
    s = em.load().series(
        [("2026-01", "10000 transaction"), ("2026-02", "12000 transaction")], "manual_work"
    )
    assert [p.result.magnitude for p in s.periods] == [500.0, 600.0]  # x 3 min
    assert s.cumulative.magnitude == pytest.approx(1100.0)
    assert s.cumulative.unit == "hour"
    assert s.to_dict()["schema"] == "equivmetrics.series/1"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "at least one period"),
        ({"2026-13": 1}, "not a calendar date"),
        ({"Jan": 1}, "cannot read the period 'Jan'"),
        ({"2026": "1 transaction", "2026-02": "1 transaction"}, "overlap"),
        ({"2026-01": 1}, r"need unit=, e\.g\. unit='transaction' \(period 2026-01: 1\)"),
        (
            {"2026-01": "12000"},
            r"the total of period 2026-01, '12000', has no unit: write it "
            r"with its unit \('12000 transaction'\) or give unit=",
        ),
    ],
)
def test_bad_series_are_input_errors(values: dict[str, object], message: str) -> None:
    with pytest.raises(em.InputError, match=message):
        em.load().series(values, "manual_work", of="transaction")


def test_mixed_units_are_refused() -> None:
    with pytest.raises(em.InputError, match="share one unit"):
        em.load().series({"2026-01": "1 transaction", "2026-02": "1 txn"}, "manual_work")


def test_a_number_written_as_text_takes_the_series_unit() -> None:
    """JSON clients send "12000": with unit= it is 12,000 of that unit, as the number 12000
    is (x 3 minutes = 600 hours, worked by hand); text with its own unit keeps it."""
    s = em.load().series({"2026-01": "12000", "2026-02": 13500}, "manual_work", unit="transaction")
    assert [p.result.magnitude for p in s.periods] == [600.0, 675.0]
    with pytest.raises(em.InputError, match="share one unit"):
        em.load().series(
            {"2026-01": "12000", "2026-02": "1 txn"}, "manual_work", unit="transaction"
        )
