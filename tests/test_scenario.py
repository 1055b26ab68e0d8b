"""Scenarios: NPV, ROI and payback by the Total Economic Impact conventions, at adoption levels.

Every expected number below is worked by hand in the comments (or is a figure Forrester
published), never taken from running the code.
"""

from __future__ import annotations

import json
import math
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._features.scenario import TEI_SOURCE, Outcome, Scenario, YearRow, money_text
from equivmetrics._present.formatter import Formatter, LocaleError
from equivmetrics.exceptions import EquivMetricsError, InputError
from strategies import SETTINGS

# The TEI discount factors at 10 % a year, by hand: 1/1.1, 1/1.1^2 = 1/1.21, 1/1.1^3 = 1/1.331.
D1, D2, D3 = 1 / 1.1, 1 / 1.21, 1 / 1.331
# Their sum, the three-year annuity factor: (1.21 + 1.1 + 1) / 1.331 = 3.31 / 1.331 = 2.48685...
ANNUITY = 3.31 / 1.331


def flat(benefit: float, initial: float, yearly: float, **options: Any) -> Outcome:
    """One outcome at 100 % adoption, without risk adjustment, equal yearly costs by default."""
    costs = (initial, yearly, yearly, yearly)
    options = {"adoption": 1.0, "benefit_risk": 0.0, "costs": costs, **options}
    (outcome,) = Scenario(benefit, **options).run()
    return outcome


# -- hand-worked examples ------------------------------------------------------------------


def test_the_briefs_example_worked_by_hand() -> None:
    # Benefit 100,000 a year at 100 % adoption; 50 % adoption; 20 % risk haircut; costs 50,000
    # initial then 10,000 a year; 10 % discount rate; three years.
    #   risk-adjusted benefit per year = 100,000 x 0.5 x (1 - 0.2) = 40,000 (none in year 0)
    #   PV benefits = 40,000 x (1/1.1 + 1/1.21 + 1/1.331) = 40,000 x 3.31 / 1.331
    #               = 132,400 / 1.331 = 99,474.08
    #   PV costs    = 50,000 + 10,000 x 3.31 / 1.331 = 50,000 + 24,868.52 = 74,868.52
    #   NPV         = 99,474.08 - 74,868.52 = 24,605.56
    #               (x 1.331: 132,400 - 66,550 - 33,100 = 32,750, so NPV = 32,750 / 1.331)
    #   ROI         = NPV / PV costs = 32,750 / (66,550 + 33,100) = 32,750 / 99,650 = 32.865 %
    #   net flows: -50,000, then 40,000 - 10,000 = 30,000 a year
    #   cumulative: -50,000, -20,000, +10,000, +40,000: it turns non-negative in year 2,
    #   20,000 / 30,000 = 2/3 of the way through: 12 + 8 = 20 months.
    scenario = Scenario(100_000, costs=(50_000, 10_000, 10_000, 10_000), adoption=0.5)
    (outcome,) = scenario.run()
    assert outcome.adoption == 0.5
    assert [row.benefit for row in outcome.rows] == pytest.approx([0, 40_000, 40_000, 40_000])
    assert [row.cost for row in outcome.rows] == pytest.approx([50_000, 10_000, 10_000, 10_000])
    assert [row.net for row in outcome.rows] == pytest.approx([-50_000, 30_000, 30_000, 30_000])
    assert [row.discount_factor for row in outcome.rows] == pytest.approx([1, D1, D2, D3])
    assert [row.cumulative_net for row in outcome.rows] == pytest.approx(
        [-50_000, -20_000, 10_000, 40_000]
    )
    assert outcome.rows[2].pv_benefit == pytest.approx(40_000 / 1.21)
    assert outcome.rows[0].pv_cost == 50_000  # the initial period is not discounted
    assert outcome.pv_benefits == pytest.approx(132_400 / 1.331)
    assert outcome.pv_benefits == pytest.approx(99_474.08, abs=0.01)
    assert outcome.pv_costs == pytest.approx(50_000 + 33_100 / 1.331)
    assert outcome.pv_costs == pytest.approx(74_868.52, abs=0.01)
    assert outcome.npv == pytest.approx(32_750 / 1.331)
    assert outcome.npv == pytest.approx(24_605.56, abs=0.01)
    assert outcome.roi == pytest.approx(32_750 / 99_650)
    assert outcome.payback_months == pytest.approx(20.0)
    # 32.865 % to 3 significant figures is 32.9 %; 24,605.56 is $24,600.
    assert [e.text for e in outcome.equivalents()] == [
        "payback in 20 months",
        "ROI 32.9 %",
        "net present value $24,600",
    ]


def test_forresters_lemonade_subscription_example() -> None:
    # Forrester, "Five tips for justifying your business case with the help of TEI": set-up
    # $10,000, $5,000 a year to run, $15,000 a year earned, three years: "a 66% ROI ... and a
    # payback period of 12 months". By hand (x 1.331): PV benefits 15,000 x 3.31 = 49,650;
    # PV costs 10,000 x 1.331 + 5,000 x 3.31 = 13,310 + 16,550 = 29,860; ROI = 19,790 / 29,860
    # = 66.3 %. Cumulative undiscounted net: -10,000, 0 -> paid back at exactly 12 months.
    outcome = flat(15_000, 10_000, 5_000)
    assert outcome.roi == pytest.approx(19_790 / 29_860)
    assert round(outcome.roi * 100) == 66
    assert outcome.payback_months == pytest.approx(12.0)
    assert outcome.equivalents()[0].text == "payback in 12 months"


def test_forresters_beverage_truck_example() -> None:
    # The same post: $250,000 initial, $150,000 a year to run, $300,000 a year earned:
    # "a 20% ROI ... and a payback period of 20 months". By hand (x 1.331): PV benefits
    # 300,000 x 3.31 = 993,000; PV costs 250,000 x 1.331 + 150,000 x 3.31 = 332,750 + 496,500
    # = 829,250; ROI = 163,750 / 829,250 = 19.7 %. Cumulative net: -250,000, -100,000,
    # +50,000: 100,000 / 150,000 = 2/3 into year 2 = 12 + 8 = 20 months. Discounted flows would
    # not give Forrester's 12 and 20 months: their payback counts undiscounted flows.
    outcome = flat(300_000, 250_000, 150_000)
    assert outcome.roi == pytest.approx(163_750 / 829_250)
    assert round(outcome.roi * 100) == 20
    assert outcome.payback_months == pytest.approx(20.0)
    assert outcome.npv == pytest.approx(163_750 / 1.331)


def test_reproduces_a_published_tei_cash_flow_table() -> None:
    # Forrester Consulting, "The Total Economic Impact of SalesLoft", Financial Summary, Cash
    # Flow Table (Risk-Adjusted):
    #   total costs    ($53,150) ($666,715) ($636,772) ($647,783)   PV ($1,672,201)
    #   total benefits  $0    $1,606,511 $3,061,331 $4,229,760      PV  $7,168,371
    #   ROI 329 %, payback period < 6 months.
    # The benefits are already risk-adjusted (benefit_risk=0); years 1 and 2 are a ramp of
    # year 3. Payback: 53,150 / 939,796 of year 1 = 0.68 months, shown rounded up as 1 month.
    benefits = (1_606_511, 3_061_331, 4_229_760)
    scenario = Scenario(
        4_229_760,
        costs=(53_150, 666_715, 636_772, 647_783),
        adoption=1.0,
        benefit_risk=0.0,
        ramp=[b / 4_229_760 for b in benefits],
    )
    (outcome,) = scenario.run()
    assert [row.benefit for row in outcome.rows[1:]] == pytest.approx(benefits)
    assert outcome.pv_costs == pytest.approx(1_672_201, abs=1)
    assert outcome.pv_benefits == pytest.approx(7_168_371, abs=1)
    assert outcome.npv == pytest.approx(5_496_170, abs=2)
    assert round(outcome.roi * 100) == 329
    assert outcome.payback_months == pytest.approx(12 * 53_150 / 939_796)
    assert outcome.payback_months < 6
    assert outcome.equivalents()[0].text == "payback in 1 month"


def test_ramp_recapture_and_cost_risk_worked_by_hand() -> None:
    # 200,000 a year at full adoption; 75 % adoption; ramp (0.5, 1, 1); half the freed time
    # recaptured; 20 % benefit haircut; costs +10 % for risk; costs {0: 20,000, 1..3: 30,000}.
    #   full-ramp benefit = 200,000 x 0.75 x 0.5 x 0.8 = 60,000; year 1 at half ramp: 30,000
    #   costs x 1.1: 22,000, then 33,000 a year
    #   nets: -22,000, -3,000, 27,000, 27,000; cumulative: -22,000, -25,000, 2,000, 29,000
    #   payback: 25,000 / 27,000 into year 2 = 12 + 11.11 = 23.11 months -> "24 months"
    #   PV benefits x 1.331 = 30,000 x 1.21 + 60,000 x 1.1 + 60,000 = 162,300
    #   PV costs x 1.331 = 22,000 x 1.331 + 33,000 x 3.31 = 29,282 + 109,230 = 138,512
    #   NPV x 1.331 = 23,788; ROI = 23,788 / 138,512 = 17.17 %
    costs: dict[int | str, float] = {"initial": 20_000, 1: 30_000, 2: 30_000, 3: 30_000}
    scenario = Scenario(
        200_000,
        costs=costs,
        adoption=0.75,
        ramp=(0.5, 1, 1),
        recapture_share=0.5,
        cost_risk=0.1,
    )
    (outcome,) = scenario.run()
    assert [row.adoption for row in outcome.rows] == pytest.approx([0, 0.375, 0.75, 0.75])
    assert [row.benefit for row in outcome.rows] == pytest.approx([0, 30_000, 60_000, 60_000])
    assert [row.cost for row in outcome.rows] == pytest.approx([22_000, 33_000, 33_000, 33_000])
    assert [row.cumulative_net for row in outcome.rows] == pytest.approx(
        [-22_000, -25_000, 2_000, 29_000]
    )
    assert outcome.payback_months == pytest.approx(12 + 12 * 25_000 / 27_000)
    assert outcome.pv_benefits == pytest.approx(162_300 / 1.331)
    assert outcome.pv_costs == pytest.approx(138_512 / 1.331)
    assert outcome.npv == pytest.approx(23_788 / 1.331)
    assert outcome.roi == pytest.approx(23_788 / 138_512)
    # 23.11 months rounds up: a payback is never claimed before it happens.
    assert outcome.equivalents()[0].text == "payback in 24 months"
    assert outcome.equivalents()[1].text == "ROI 17.2 %"


def test_other_discount_rates_and_horizons() -> None:
    # Two years at 0 %: PV = plain sums. Benefit 10,000 x 0.8 = 8,000 a year; costs 5,000
    # then 1,000 a year. PV benefits 16,000; PV costs 7,000; NPV 9,000; ROI 9/7.
    (outcome,) = Scenario(
        10_000, costs=(5_000, 1_000, 1_000), adoption=1, discount_rate=0, years=2
    ).run()
    assert len(outcome.rows) == 3
    assert outcome.pv_benefits == pytest.approx(16_000)
    assert outcome.pv_costs == pytest.approx(7_000)
    assert outcome.roi == pytest.approx(9 / 7)
    # Net 7,000 a year against 5,000: paid back 5/7 into year 1 = 8.57 months -> 9 months.
    assert outcome.payback_months == pytest.approx(12 * 5 / 7)
    # One year at 25 %: the factor is 1/1.25 = 0.8. Benefit 8,000 -> PV 6,400; costs 5,000 +
    # 1,000 x 0.8 = 5,800; NPV 600.
    (one,) = Scenario(10_000, costs=(5_000, 1_000), adoption=1, discount_rate=0.25, years=1).run()
    assert one.rows[1].discount_factor == pytest.approx(0.8)
    assert one.npv == pytest.approx(600)
    assert [e.text for e in one.equivalents()][2] == "net present value $600"


# -- the payback convention ----------------------------------------------------------------


def test_payback_is_immediate_when_nothing_is_outstanding() -> None:
    # No initial cost and every year's net positive: the cumulative net is never negative.
    outcome = flat(1_000, 0, 100)
    assert outcome.payback_months == 0.0
    assert outcome.equivalents()[0].text == "payback immediately"
    assert outcome.equivalents()[0].value_text == "immediately"


def test_a_payback_under_a_month_reads_1_month() -> None:
    # 1 initial against 1,000,000,000 a year: paid back after 12 / 1e9 months, far under one.
    outcome = flat(1e9, 1, 0)
    assert outcome.payback_months == pytest.approx(12 / 1e9)
    assert outcome.equivalents()[0].text == "payback in 1 month"


def test_no_payback_within_the_horizon() -> None:
    # 1,000 a year against 10,000 initial: the cumulative net ends at -7,000.
    outcome = flat(1_000, 10_000, 0)
    assert outcome.payback_months is None
    payback = outcome.equivalents()[0]
    assert payback.text == "no payback within 3 years"
    assert payback.to_dict()["magnitude"] is None  # infinite: JSON null
    (one_year,) = Scenario(1_000, costs=(10_000, 0), adoption=1, years=1).run()
    assert one_year.equivalents()[0].text == "no payback within 1 year"


def test_payback_counts_the_last_time_the_cumulative_net_turns_non_negative() -> None:
    # Benefit 100 a year, costs 0 initial, 250 in year 1: nets 0, -150, 100, 100; cumulative
    # 0, -150, -50, +50. It is non-negative at the start, but not for good: the payback is when
    # it turns non-negative in year 3, 50 / 100 of the way: 24 + 6 = 30 months.
    assert flat(100, 0, 0, costs=(0, 250, 0, 0)).payback_months == pytest.approx(30)
    # Costs 100 initial, 500 in year 3, benefit 200: cumulative -100, 100, 300, 0. It ends at
    # exactly 0, so the payback of year 1 stands: 100 / 200 of year 1 = 6 months.
    assert flat(200, 0, 0, costs=(100, 0, 0, 500)).payback_months == pytest.approx(6)
    # With 600 in year 3 it ends at -100: the investment is not paid back after all.
    assert flat(200, 0, 0, costs=(100, 0, 0, 600)).payback_months is None


# -- adoption levels -----------------------------------------------------------------------


def test_default_levels_are_25_50_75_and_100_percent() -> None:
    # 100,000 a year, 20 % haircut: 20,000 / 40,000 / 60,000 / 80,000 a year at the levels.
    outcomes = Scenario(100_000, costs=(0, 0, 0, 0)).run()
    assert [o.adoption for o in outcomes] == [0.25, 0.5, 0.75, 1.0]
    assert [o.rows[1].benefit for o in outcomes] == pytest.approx([20_000, 40_000, 60_000, 80_000])
    assert all(o.roi is None for o in outcomes)  # no costs: ROI is not defined
    assert [e.kind for e in outcomes[0].equivalents()] == ["payback", "npv"]


def test_at_gives_one_level_and_checks_it() -> None:
    scenario = Scenario(100_000, costs=(0, 0, 0, 0), adoption=(0.5,))
    assert scenario.at(0.6).rows[1].benefit == pytest.approx(100_000 * 0.6 * 0.8)
    with pytest.raises(InputError, match=r"adoption = 1\.2 is over 100 %"):
        scenario.at(1.2)


# -- from the engine -----------------------------------------------------------------------


def test_from_usage_agrees_with_the_productivity_pack_by_hand(prod: em.Engine) -> None:
    # 12,000 transactions a month x 3 min = 36,000 min = 600 h a month = 7,200 h a year;
    # x $45.65 per hour worked (BLS ECEC, June 2025, private industry) = $328,680 a year of
    # labour cost. At 25 % adoption with the 20 % haircut: 328,680 x 0.25 x 0.8 = 65,736 a year.
    scenario = Scenario.from_usage(prod, "12000 transaction/month", costs=(0, 0, 0, 0))
    assert scenario.annual_benefit == pytest.approx(328_680)
    assert scenario.currency == "USD"
    result = scenario.benefit_result
    assert result is not None
    assert result.unit == "USD/year"
    assert result.kind == "labor_cost"
    assert [s.rule for s in scenario.steps] == [
        "transaction_manual_work",
        "manual_work_labor_cost",
    ]
    quarter = scenario.run()[0]
    assert quarter.rows[1].benefit == pytest.approx(65_736)
    # PV benefits at 25 %: 65,736 x 3.31 / 1.331
    assert quarter.pv_benefits == pytest.approx(65_736 * ANNUITY)
    sources = quarter.equivalents()[0].sources
    assert sources[0] == TEI_SOURCE
    assert any(s.publisher == "U.S. Bureau of Labor Statistics" for s in sources)


def test_from_usage_with_a_tenants_numbers_and_a_total(prod: em.Engine) -> None:
    # A tenant at 4 min per transaction and $55 an hour: 12,000 x 4 min = 800 h a month =
    # 9,600 h a year x $55 = $528,000 a year. The same from a month's total with per="month".
    tenant = prod.with_params(minutes_per_transaction="4 min", hourly_labor_cost="55 USD/hour")
    rate = Scenario.from_usage(tenant, "12000 transaction/month", costs=(0, 0, 0, 0))
    total = Scenario.from_usage(tenant, "12000 transaction", per="month", costs=(0, 0, 0, 0))
    assert rate.annual_benefit == pytest.approx(528_000)
    assert total.annual_benefit == pytest.approx(528_000)
    # The tenant's numbers are exact: a narrow range, so 3 significant figures; the default
    # minutes per transaction (1-10 min) is wide, so 2.
    # NPV at 100 %: 528,000 x 0.8 = 422,400 a year; x 3.31 = 1,398,144; / 1.331 = 1,050,446.
    assert rate.run()[3].equivalents()[1].text == "net present value $1.05 million"
    wide = Scenario.from_usage(prod, "12000 transaction/month", costs=(0, 0, 0, 0))
    # 328,680 x 0.8 = 262,944; x 3.31 = 870,345; / 1.331 = 653,903 -> 2 significant figures.
    # Its range: minutes 1-10 (central 3) and $45.65-48.05 an hour (central 45.65), so
    # x 1/3 -> 217,968 and x (10/3)(48.05/45.65) = 3.5086 -> 2,294,270.
    text = "net present value $650,000 (range $220,000\u2013$2.3 million)"
    assert wide.run()[3].equivalents()[1].text == text


def test_an_outcome_carries_the_benefits_range(prod: em.Engine) -> None:
    # 12,000 transactions a month x 12 x 3 min = 7,200 h a year x $45.65 = $328,680 a year;
    # x (1 - 0.2 benefit risk) = 262,944 a year at full adoption, against $400,000 up front.
    scenario = Scenario.from_usage(
        prod, "12000 transaction/month", costs=(400_000, 0, 0, 0), adoption=1.0
    )
    (outcome,) = scenario.run()
    annuity = 1 / 1.1 + 1 / 1.21 + 1 / 1.331
    low, high = 1 / 3, (10 / 3) * (48.05 / 45.65)  # the benefit's range as ratios (see above)
    assert outcome.npv == pytest.approx(262_944 * annuity - 400_000)
    assert outcome.npv_low == pytest.approx(262_944 * low * annuity - 400_000)
    assert outcome.npv_high == pytest.approx(262_944 * high * annuity - 400_000)
    assert outcome.roi_low == pytest.approx(outcome.npv_low / 400_000)
    assert outcome.roi_high == pytest.approx(outcome.npv_high / 400_000)
    # central: -400,000 then -137,056 after year 1, +125,888 after year 2:
    # 12 x (1 + 137,056 / 262,944) = 18.255 months
    assert outcome.payback_months == pytest.approx(12 * (1 + 137_056 / 262_944))
    # high: 262,944 x 3.5086 = 922,560 a year (2,000 h x $48.05 x 12 x 0.8) pays 400,000 back
    # after 12 x 400,000 / 922,560 = 5.203 months
    assert outcome.payback_low == pytest.approx(12 * 400_000 / (262_944 * high))
    # low: 87,648 a year never pays 400,000 back within 3 years
    assert outcome.payback_high is None
    payback, roi, npv = (e.text for e in outcome.equivalents())
    # 18.255 months, rounded up (never claimed earlier than it happens): 19; 5.203 -> 6
    assert payback == "payback in 19 months (range 6 months to none within 3 years)"
    # NPV 262,944 x 2.48685 - 400,000 = 253,903; ROI 253,903 / 400,000 = 63 %; from
    # -182,032 / 400,000 = -46 % to 1,894,270 / 400,000 = 470 %
    assert roi == "ROI 63 % (range -46\u2013470 %)"
    assert npv == "net present value $250,000 (range -$180,000\u2013$1.9 million)"
    data = outcome.to_dict()
    assert data["npv_low"] == pytest.approx(outcome.npv_low)
    assert data["payback_high"] is None


def test_a_plain_number_benefit_has_no_range() -> None:
    (outcome,) = Scenario(100_000, costs=(50_000, 10_000, 10_000, 10_000), adoption=0.5).run()
    assert (outcome.npv_low, outcome.npv_high) == (outcome.npv, outcome.npv)
    assert outcome.payback_low == outcome.payback_high == outcome.payback_months
    assert all(e.range_text == "" for e in outcome.equivalents())


def test_benefit_as_text_pair_quantity_or_result_is_converted_to_a_year() -> None:
    # 28,830 USD a month x 12 = 345,960 USD a year (a pint month is a twelfth of a year).
    for benefit in (
        "28830 USD/month",
        (28_830, "USD/month"),
        em.get_registry().Quantity(28_830, "USD/month"),
        "345960 USD/year",
    ):
        scenario = Scenario(benefit, costs=(0, 0, 0, 0))
        assert scenario.annual_benefit == pytest.approx(345_960), benefit
        assert scenario.benefit_result is None
    result = em.load().convert("12000 transaction/month", "labor_cost")  # USD/month
    # 600 h x $45.65 = $27,390 a month x 12 = $328,680 a year
    assert Scenario(result, costs=(0, 0, 0, 0)).annual_benefit == pytest.approx(328_680)


def test_currency_comes_from_the_benefit_and_is_never_converted() -> None:
    scenario = Scenario("1000 EUR/year", costs=(0, 0, 0, 0))
    assert scenario.currency == "EUR"
    assert Scenario(1_000, costs=(0, 0, 0, 0), currency="GBP").currency == "GBP"
    assert Scenario(1_000, costs=(0, 0, 0, 0)).currency == "USD"
    with pytest.raises(InputError, match=r"is in EUR but currency='USD'.*never converts"):
        Scenario("1000 EUR/year", costs=(0, 0, 0, 0), currency="USD")


# -- presentation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "sig", "expected"),
    [
        (1_234_567, "USD", 2, "$1.2 million"),
        (1_234_567, "USD", 3, "$1.23 million"),
        (-45_000, "EUR", 3, "-€45,000"),
        (310_400, "CHF", 2, "CHF 310,000"),
        (2.5e9, "GBP", 3, "£2.50 billion"),
        (999_600, "USD", 3, "$1.00 million"),
        (0.0, "USD", 3, "$0"),
    ],
)
def test_money_text(value: float, currency: str, sig: int, expected: str) -> None:
    assert money_text(value, currency, Formatter("en"), sig) == expected


def test_equivalents_are_feel_good_and_json_ready() -> None:
    outcome = flat(15_000, 10_000, 5_000)
    goods = outcome.equivalents()
    assert isinstance(goods, em.Equivalents)
    assert [(e.kind, e.role, e.unit) for e in goods] == [
        ("payback", "feel_good", "month"),
        ("roi", "feel_good", "percent"),
        ("npv", "feel_good", "USD"),
    ]
    # ROI 66.28 % -> 66.3; NPV 19,790 / 1.331 = 14,868.5 -> $14,900.
    assert [e.value_text for e in goods] == ["12", "66.3", "$14,900"]
    assert goods[1].magnitude == pytest.approx(100 * 19_790 / 29_860)
    data = json.loads(json.dumps(goods.to_dicts()))
    assert data[2]["text"] == "net present value $14,900"
    assert data[2]["sources"][0]["publisher"] == "Forrester Research"
    assert em.render_html(goods).count('<li class="em-item">') == 3
    assert [e.text for e in outcome.equivalents(sig=2)][1:] == [
        "ROI 66 %",
        "net present value $15,000",
    ]


def test_equivalents_in_another_locale_are_in_its_language() -> None:
    pytest.importorskip("babel")
    outcome = Scenario(100_000, costs=(50_000, 10_000, 10_000, 10_000), adoption=0.5).run()[0]
    texts = [e.text for e in outcome.equivalents("de")]
    assert texts == ["Amortisation in 20 Monaten", "ROI 32,9\u00a0%", "Kapitalwert 24.600\u00a0$"]
    assert [e.label for e in outcome.equivalents("de")] == [
        "Amortisationsdauer",
        "Kapitalrendite",
        "Kapitalwert",
    ]
    assert {e.locale for e in outcome.equivalents("de")} == {"de"}
    assert {e.language for e in outcome.equivalents("de_CH")} == {"de-CH"}
    # a language the library has no words for: English words, the locale's numbers and money
    italian = outcome.equivalents("it")
    assert [e.text for e in italian] == [
        "payback in 20 months",
        "ROI 32,9 %",
        "net present value 24.600\u00a0USD",
    ]
    assert {e.language for e in italian} == {"en"}


def test_to_dict_is_json_ready() -> None:
    scenario = Scenario(100_000, costs=(50_000, 10_000, 10_000, 10_000), adoption=(0, 0.5))
    data = json.loads(json.dumps(scenario.to_dict()))
    assert data["schema"] == "equivmetrics.scenario/1"
    assert data["unit"] == "USD/year"
    assert data["costs"] == [50_000, 10_000, 10_000, 10_000]
    assert data["benefit"] is None
    assert data["sources"][0]["url"] == "https://go.forrester.com/policies/tei/"
    zero, half = data["outcomes"]
    assert zero["schema"] == "equivmetrics.outcome/1"
    assert zero["payback_months"] is None
    assert half["headlines"] == [
        "payback in 20 months",
        "ROI 32.9 %",
        "net present value $24,600",
    ]
    assert half["rows"][0] == {
        "year": 0,
        "label": "Initial",
        "adoption": 0.0,
        "benefit": 0.0,
        "cost": 50_000.0,
        "net": -50_000.0,
        "discount_factor": 1.0,
        "pv_benefit": 0.0,
        "pv_cost": 50_000.0,
        "cumulative_net": -50_000.0,
    }
    assert half["rows"][3]["label"] == "Year 3"
    with_result = Scenario.from_usage(em.load(), "12000 transaction/month", costs=(0, 0, 0, 0))
    assert with_result.to_dict()["benefit"]["kind"] == "labor_cost"


def test_replace_pickle_and_equality() -> None:
    scenario = Scenario.from_usage(em.load(), "12000 transaction/month", costs=(0, 1, 1, 1))
    higher = scenario.replace(discount_rate=0.12)
    assert higher.discount_rate == 0.12
    assert higher.benefit_result == scenario.benefit_result
    assert scenario.discount_rate == 0.10
    shorter = scenario.replace(years=1, costs=(0, 1))
    assert shorter.ramp == (1.0,)
    ramped = Scenario(1_000, costs=(0, 0, 0, 0), ramp=(0.5, 1, 1))
    with pytest.raises(InputError, match=r"ramp has 3 values but years=2 needs 2"):
        ramped.replace(years=2, costs=(0, 0, 0))
    assert ramped.replace(years=2, costs=(0, 0, 0), ramp=(0.5, 1)).ramp == (0.5, 1.0)
    # Costs are amounts in the scenario's currency: switching currency is never silent.
    with pytest.raises(InputError, match=r"is in EUR but currency='USD'"):
        scenario.replace(annual_benefit="1000 EUR/year")
    other = scenario.replace(annual_benefit="1000 EUR/year", currency="EUR")
    assert (other.currency, other.benefit_result, other.annual_benefit) == ("EUR", None, 1000)
    assert pickle.loads(pickle.dumps(scenario)) == scenario
    outcome = scenario.run()[0]
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    assert isinstance(outcome.rows[0], YearRow)


# -- properties ----------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=1e8, allow_nan=False, allow_infinity=False)
shares = st.floats(min_value=0, max_value=1, allow_nan=False)
rates = st.floats(min_value=-0.5, max_value=1, allow_nan=False)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    years = draw(st.integers(1, 5))
    return Scenario(
        draw(amounts),
        costs=draw(st.lists(amounts, min_size=years + 1, max_size=years + 1)),
        adoption=draw(st.lists(shares, min_size=1, max_size=4)),
        recapture_share=draw(shares),
        benefit_risk=draw(shares),
        cost_risk=draw(st.floats(0, 1)),
        discount_rate=draw(rates),
        years=years,
        ramp=draw(st.none() | st.lists(shares, min_size=years, max_size=years)),
    )


@SETTINGS
@given(scenario=scenarios())
def test_zero_adoption_gives_zero_benefit(scenario: Scenario) -> None:
    outcome = scenario.at(0.0)
    assert all(row.benefit == 0 and row.pv_benefit == 0 for row in outcome.rows)
    assert outcome.pv_benefits == 0
    assert outcome.npv == -outcome.pv_costs
    if outcome.pv_costs > 0:
        assert outcome.roi == -1.0


@SETTINGS
@given(scenario=scenarios(), level=shares)
def test_benefits_scale_linearly_with_adoption(scenario: Scenario, level: float) -> None:
    full, part = scenario.at(1.0), scenario.at(level)
    for whole, share in zip(full.rows, part.rows, strict=True):
        assert share.benefit == pytest.approx(level * whole.benefit, rel=1e-12, abs=1e-6)
        assert share.cost == whole.cost  # costs do not depend on adoption
    assert part.pv_benefits == pytest.approx(level * full.pv_benefits, rel=1e-12, abs=1e-6)


@SETTINGS
@given(
    benefit=st.floats(1, 1e8),
    initial=st.floats(0, 10),
    fractions=st.lists(st.floats(0, 0.99), min_size=3, max_size=3),
    low=rates,
    high=rates,
)
def test_npv_falls_as_the_discount_rate_rises(
    benefit: float, initial: float, fractions: list[float], low: float, high: float
) -> None:
    # Every yearly cost is below the yearly benefit, so every net flow after year 0 is positive
    # and each is worth less the higher the rate. (Amounts in proportion to the benefit and
    # rates at least 0.001 apart keep the difference far above rounding.)
    assume(high > low + 1e-3)
    costs = (initial * benefit, *(f * benefit for f in fractions))
    cheap = Scenario(benefit, costs=costs, adoption=1, benefit_risk=0, discount_rate=low)
    dear = cheap.replace(discount_rate=high)
    assert cheap.at(1.0).npv > dear.at(1.0).npv


@SETTINGS
@given(scenario=scenarios())
def test_payback_exists_iff_the_cumulative_net_ends_non_negative(scenario: Scenario) -> None:
    for outcome in scenario.run():
        cumulative = [row.cumulative_net for row in outcome.rows]
        months = outcome.payback_months
        assert (months is None) == (cumulative[-1] < 0)
        if months is None:
            continue
        assert 0 <= months <= 12 * scenario.years
        negative = [year for year, value in enumerate(cumulative) if value < 0]
        assert (months == 0) == (not negative)
        if not negative:
            continue
        # Within the year after the last negative year end, non-negative at every year end
        # from then on, and zero at the payback itself (linear within the year).
        last = negative[-1]
        assert 12 * last <= months <= 12 * (last + 1)
        assert all(value >= 0 for value in cumulative[last + 1 :])
        net = outcome.rows[last + 1].net
        at_payback = cumulative[last] + net * (months - 12 * last) / 12
        assert at_payback == pytest.approx(0, abs=1e-6 * max(1.0, abs(net)))


# -- errors --------------------------------------------------------------------------------

COSTS = (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"adoption": 25}, r"adoption = 25 is over 100 %.*licensed users.*write 0\.25 for 25 %"),
        ({"adoption": (0.5, 1.5)}, r"adoption\[1\] = 1\.5 is over 100 %.*from 0 to 1"),
        ({"adoption": (-0.1,)}, r"adoption\[0\] = -0\.1 is negative"),
        ({"adoption": (0.5, math.nan)}, r"adoption\[1\] is nan: give a finite number"),
        ({"adoption": ()}, r"adoption is empty: give at least one level"),
        ({"adoption": "half"}, r"adoption must be a share from 0 to 1 or a sequence"),
        ({"adoption": True}, r"adoption must be a share from 0 to 1 or a sequence"),
        ({"adoption": ("a",)}, r"adoption\[0\] must be a number .*not str"),
        ({"costs": (1, 2, 3)}, r"costs has 3 amounts but years=3 needs 4: the initial period"),
        ({"costs": (1, 2, -3, 4)}, r"costs\[2\] = -3 is negative: .*count savings as benefits"),
        ({"costs": (1, math.inf, 0, 0)}, r"costs\[1\] is inf: give a finite number"),
        ({"costs": (1, "2", 0, 0)}, r"costs\[1\] must be a number \(an amount of USD\)"),
        ({"costs": 1000}, r"costs must be a sequence of 4 amounts of USD"),
        ({"costs": "1000"}, r"costs must be a sequence of 4 amounts of USD"),
        ({"costs": {4: 10}}, r"costs has key 4, but the years are 0 \(or 'initial'\) to 3"),
        ({"costs": {"year 1": 10}}, r"costs has key 'year 1'"),
        ({"costs": {1: -5}}, r"costs\[1\] = -5 is negative"),
        ({"discount_rate": -1}, r"discount_rate = -1 must be greater than -1.*0\.10"),
        ({"discount_rate": math.nan}, r"discount_rate is nan: give a finite number"),
        ({"discount_rate": "10%"}, r"discount_rate must be a number .*not str"),
        ({"years": 0}, r"years must be a whole number of at least 1 .*got 0"),
        ({"years": 2.5}, r"years must be a whole number"),
        ({"years": True}, r"years must be a whole number"),
        ({"ramp": (0.5, 1)}, r"ramp has 2 values but years=3 needs 3: one share for each"),
        ({"ramp": (0.5, 1.2, 1)}, r"ramp\[1\] \(year 2\) = 1\.2 is over 100 %"),
        ({"ramp": "slow"}, r"ramp must be a sequence of 3 shares from 0 to 1"),
        ({"recapture_share": 70}, r"recapture_share = 70 is over 100 %.*write 0\.7 for 70 %"),
        ({"recapture_share": -1}, r"recapture_share = -1 is negative: .*freed time"),
        ({"benefit_risk": 1.2}, r"benefit_risk = 1\.2 is over 100 %.*risk-adjusted down"),
        ({"benefit_risk": math.nan}, r"benefit_risk is nan"),
        ({"cost_risk": -0.05}, r"cost_risk = -0\.05 is negative.*never lowers costs"),
        ({"currency": "usd"}, r"currency must be one of the ISO 4217 codes .*got 'usd'"),
        ({"currency": 840}, r"currency must be one of the ISO 4217 codes"),
    ],
)
def test_bad_arguments_say_what_where_and_what_to_do(
    arguments: dict[str, Any], message: str
) -> None:
    options: dict[str, Any] = {"costs": COSTS, **arguments}
    with pytest.raises(InputError, match=message):
        Scenario(100_000, **options)


@pytest.mark.parametrize(
    ("benefit", "message"),
    [
        (-5, r"annual_benefit = -5 is negative: the yearly benefit at 100 % adoption"),
        (math.nan, r"annual_benefit is nan: give a finite number"),
        (True, r"cannot convert a bool.*give text"),
        ("345000 USD", r"is a total amount of USD \('USD'\), not a yearly benefit.*'USD/year'"),
        ("12 hour/month", r"must be money per unit of time, such as '345000 USD/year'"),
        ("1000 USD*hour", r"must be money per unit of time"),
        ("lots of money", r"cannot read annual_benefit 'lots of money'"),
        (
            "12 dollars/year",
            r"'12 dollars/year'.*unknown unit 'dollars'.*ISO 4217 code, such as '345000 USD/year'",
        ),
        ("-10 USD/year", r"annual_benefit \('-10 USD/year'\) = -10\.0 is negative"),
        (object(), r"cannot convert a object"),
        ((1, 2, 3), r"cannot read annual_benefit .*a pair must be"),
    ],
)
def test_bad_benefits(benefit: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Scenario(benefit, costs=COSTS)


def test_bad_benefit_results(prod: em.Engine) -> None:
    hours = prod.convert("12000 transaction/month", "manual_work")
    with pytest.raises(
        InputError, match=r"the manual_work result is in 'hour/month'; manual_work is not .*money"
    ):
        Scenario(hours, costs=COSTS)
    total = prod.convert("12000 transaction", "labor_cost")
    with pytest.raises(InputError, match=r"total amount of USD .*or pass per='month'"):
        Scenario(total, costs=COSTS)
    np = pytest.importorskip("numpy")
    many = prod.convert((np.array([1.0, 2.0]), "transaction/month"), "labor_cost")
    with pytest.raises(InputError, match=r"one benefit, but this Result holds 2 values"):
        Scenario(many, costs=COSTS)


def test_bad_from_usage(prod: em.Engine) -> None:
    with pytest.raises(InputError, match=r"converted to labor_cost is a total .*per='month'"):
        Scenario.from_usage(prod, "12000 transaction", costs=COSTS)
    with pytest.raises(InputError, match=r"converted to manual_work is in 'hour/month'"):
        Scenario.from_usage(prod, "12000 transaction/month", to="manual_work", costs=COSTS)
    with pytest.raises(InputError, match=r"from_usage needs an Engine .*got str"):
        Scenario.from_usage("engine", "12000 transaction/month", costs=COSTS)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="costs"):
        Scenario.from_usage(prod, "12000 transaction/month")  # type: ignore[call-arg]
    with pytest.raises(em.UnknownKindError):  # the engine's own errors pass through
        Scenario.from_usage(prod, "12000 transaction/month", to="labour", costs=COSTS)


def test_bad_presentation_and_replace() -> None:
    scenario = Scenario(100_000, costs=COSTS)
    outcome = scenario.run()[0]
    with pytest.raises(InputError, match=r"sig= must be a whole number from 1 to 6, got 0"):
        outcome.equivalents(sig=0)
    with pytest.raises(LocaleError):
        outcome.equivalents("xx-nope")
    with pytest.raises(InputError, match=r"replace\(\) got unknown argument\(s\) rate; it takes"):
        scenario.replace(rate=0.1)
    with pytest.raises(InputError, match=r"replace\(years=\.\.\.\) needs costs= too"):
        scenario.replace(years=5)


def test_every_error_is_the_librarys() -> None:
    with pytest.raises(EquivMetricsError):
        Scenario(100_000, costs=(1, 2))
    # too few costs: a bad value, so a ValueError (a TypeError before issue 12)
    with pytest.raises(ValueError, match="costs has 2 amounts"):
        Scenario(100_000, costs=(1, 2))


def test_a_deficit_too_small_to_show_is_still_paid_back_after_the_year_end() -> None:
    # Found by the payback property: year 0 ends at -5e-324 (one denormal) and year 1 earns
    # 2.0, so the exact payback, 12 x 5e-324 / 2 months, underflows to 0; but a payback of 0
    # means "never in deficit", which is false here. It must be after month 0, if only just.
    scenario = Scenario(2.0, costs=(5e-324, 0.0), adoption=1, years=1, benefit_risk=0)
    outcome = scenario.at(1.0)
    assert outcome.rows[0].cumulative_net < 0
    assert outcome.payback_months is not None
    assert 0 < outcome.payback_months < 1e-300


def test_a_discount_rate_whose_factor_overflows_is_refused() -> None:
    # Found by the scenario property: 1.34e154 a year over 2 years needs (1 + r) ** 2 of about
    # 1.8e308, the edge of a 64-bit float; the cash-flow table would overflow mid-computation.
    with pytest.raises(InputError, match=r"discount_rate = 1\.34.* over 2 years discounts") as info:
        Scenario(0.0, costs=(0, 0, 0), adoption=0.0, discount_rate=1.3407807929942597e154, years=2)
    assert isinstance(info.value, ValueError)
    assert Scenario(0.0, costs=(0, 0, 0), discount_rate=5.0, years=2).at(1.0).npv == 0.0


def test_from_usage_reads_a_packs_own_time_unit(tmp_path: Path) -> None:
    # A team plans in sprints (a pack unit: 2 weeks). 10 stories a sprint x 6 hours a story x
    # the bundled hourly labour cost; the scenario must read 'USD/sprint' with the engine's
    # units, not the library's, which know no sprint.
    pack = tmp_path / "sprints.yaml"
    pack.write_text(
        "equivmetrics: 1\nname: sprints\nedition: '1'\nlicense: MIT\n"
        "sources:\n  s: {title: Test team study}\n"
        "units:\n  sprint: 2 week\n  story: '[story]'\n"
        "kinds:\n  story: {unit: story}\n"
        "parameters:\n  hours_per_story: {value: 6 hour/story, source: s}\n"
        "rules:\n  - {id: story_work, from: story, to: manual_work, factor: hours_per_story,"
        " source: s}\n",
        encoding="utf-8",
    )
    engine = em.load(pack)
    scenario = Scenario.from_usage(engine, "10 story/sprint", costs=(0, 0, 0, 0))
    # 60 hours a sprint = 60 x 365.25 / 14 hours a year, at the engine's hourly cost
    hourly = engine.convert("1 hour", "labor_cost", of="manual_work").magnitude
    assert scenario.annual_benefit == pytest.approx(60 * 365.25 / 14 * hourly)
    result = engine.convert("10 story/sprint", "labor_cost")
    with pytest.raises(InputError, match=r"unit='USD/year'.*Scenario\.from_usage"):
        Scenario(result, costs=(0, 0, 0, 0))
