"""The bundled productivity pack (conversions/productivity.yaml): hours, FTEs and cost on one basis.

Expected numbers are worked by hand from the reference constants
(../shared/reference/productivity.md), none computed by the code under test:

* BLS ECEC, June 2025, private industry, per hour WORKED: $45.65 in all, $32.07 wages and
  salaries, $3.44 paid leave; civilian workers $48.05 (the high end of the cost).
* GAO: a full-time year is 40 h x 52 weeks = 2,080 hours PAID, paid leave included.
* Hours of leave per hour worked: 3.44 / 32.07 = 0.107265; so an FTE works
  2,080 / 1.107265 = 2,080 x 32.07 / 35.51 = 66,705.6 / 35.51 = 1,878.50 hours a year.
* An FTE-year costs 1,878.50 x $45.65 = $85,753.6; spread over the 2,080 hours paid, an hour
  paid costs $85,753.6 / 2,080 = $41.2277 (= $45.65 / 1.107265).
"""

from __future__ import annotations

import pytest

import equivmetrics as em

HOURS_WORKED = 1878.50  # 66,705.6 / 35.51 = 1,878.5018
FTE_YEAR_COST = 85_753.6  # 1,878.5018 x 45.65 = 85,753.61
COST_PER_HOUR_PAID = 41.2277  # 85,753.61 / 2,080 = 41.22770
PAID = {"hours_per_fte_year": "2080 hour/FTE/year"}  # the 2,080-hour convention, by name


def test_the_figures_are_the_cited_ones(prod: em.Engine) -> None:
    params = prod.catalog.parameters
    cited = {
        "paid_hours_per_fte_year": (2080, "hour/FTE/year", "gao_fte"),
        "paid_leave_per_hour_worked": (3.44, "USD/hour", "bls_ecec_2025q2"),
        "wages_per_hour_worked": (32.07, "USD/hour", "bls_ecec_2025q2"),
        "labor_cost_per_hour_worked": (45.65, "USD/hour", "bls_ecec_2025q2"),
    }
    for name, (value, unit, source) in cited.items():
        param = params[name]
        assert param.expr is None, name  # a published figure, not derived
        assert param.value.to(prod.catalog.units.parse(unit)).central == value, name
        assert param.spec.source.key == source, name
        assert param.spec.source.edition in ("2011", "June 2025"), name
    high = params["labor_cost_per_hour_worked"].value.high
    assert high == 48.05  # civilian workers, the same release


def test_the_ecec_source_names_its_tables() -> None:
    pack = next(p for p in em.load().catalog.packs if p.name == "productivity")
    ecec = next(s for s in pack.sources if s.key == "bls_ecec_2025q2")
    assert "USDL-25-1358" in ecec.title
    for fragment in ("per hour WORKED", "Tables 1 and 4", "Tables 1 and 2", "$3.44", "$32.07"):
        assert fragment in ecec.note, fragment


def test_hours_worked_are_derived_from_paid_hours_and_paid_leave(prod: em.Engine) -> None:
    params = prod.catalog.parameters
    worked = params["hours_worked_per_fte_year"]
    assert worked.inputs == (
        "paid_hours_per_fte_year",
        "paid_leave_per_hour_worked",
        "wages_per_hour_worked",
    )
    assert worked.value.central == pytest.approx(HOURS_WORKED, abs=0.005)
    assert worked.value.low == worked.value.high == worked.value.central  # exact inputs
    # the hours an FTE-year counts default to the hours worked
    assert params["hours_per_fte_year"].inputs == ("hours_worked_per_fte_year",)
    assert prod.parameters["hours_per_fte_year"].central == pytest.approx(HOURS_WORKED, abs=0.005)


def test_600_hours_of_manual_work_are_0_319_fte_years(prod: em.Engine) -> None:
    # 600 / 1,878.50 = 0.31940 FTE-years (not 600 / 2,080 = 0.2885, which counts leave twice)
    r = prod.convert("600 hour", "fte", of="manual_work", unit="FTE*year")
    assert r.magnitude == pytest.approx(0.31940, rel=1e-4)
    # and 600 h a month is 7,200 / 1,878.50 = 3.8328 FTE
    r = prod.convert("600 hour/month", "fte", of="manual_work")
    assert r.magnitude == pytest.approx(3.8328, rel=1e-4)


def test_the_cost_is_per_hour_worked(prod: em.Engine) -> None:
    # 600 h x $45.65 = $27,390; an FTE-year 1,878.50 x $45.65 = $85,753.6
    assert prod.convert("600 hour", "labor_cost", of="manual_work").magnitude == pytest.approx(
        27_390, rel=1e-12
    )
    assert prod.convert("1 FTE", "labor_cost").magnitude == pytest.approx(FTE_YEAR_COST, rel=1e-6)
    # the brief's case: 12,000 transactions x 3 min = 600 h a month
    r = prod.convert("12000 transaction/month", "labor_cost")
    assert (r.low, r.magnitude, r.high) == pytest.approx((9_130, 27_390, 96_100), rel=1e-12)


def test_the_2080_hour_convention_by_name(prod: em.Engine) -> None:
    paid = prod.with_params(**PAID)
    # 600 / 2,080 = 0.28846 FTE-years
    r = paid.convert("600 hour", "fte", of="manual_work", unit="FTE*year")
    assert r.magnitude == pytest.approx(0.28846, rel=1e-4)
    # the hourly cost becomes a cost per hour PAID: $85,753.6 / 2,080 = $41.2277
    cost = paid.parameters["hourly_labor_cost"]
    assert cost.central == pytest.approx(COST_PER_HOUR_PAID, rel=1e-5)
    assert (cost.low, cost.high) == pytest.approx((41.2277, 43.3952), rel=1e-5)  # x 48.05 / 45.65
    # 600 h x $41.2277 = $24,736.6
    r = paid.convert("600 hour", "labor_cost", of="manual_work")
    assert r.magnitude == pytest.approx(24_736.6, rel=1e-5)
    # an FTE costs the same on either basis: 2,080 x $41.2277 = $85,753.6
    assert paid.convert("1 FTE", "labor_cost").magnitude == pytest.approx(FTE_YEAR_COST, rel=1e-6)


def test_hours_fte_and_cost_agree_on_either_basis(prod: em.Engine) -> None:
    # The cost of some hours equals the cost of the FTE-years they make, whatever the basis:
    # the pack's cycle manual_work -> fte -> labor_cost multiplies to one.
    for engine in (
        prod,
        prod.with_params(**PAID),
        prod.with_params(hours_per_fte_year="1720 hour/FTE/year"),
    ):
        fte_years = engine.convert("600 hour", "fte", of="manual_work", unit="FTE*year").magnitude
        direct = engine.convert("600 hour", "labor_cost", of="manual_work").magnitude
        via_fte = engine.convert((fte_years, "FTE"), "labor_cost").magnitude  # USD a year
        assert via_fte == pytest.approx(direct, rel=1e-12)


def test_a_tenants_own_figures_move_what_is_derived_from_them(prod: em.Engine) -> None:
    # $40 wages and $8 paid leave per hour worked: 2,080 / 1.2 = 1,733.3 h worked a year
    tenant = prod.with_params(
        wages_per_hour_worked="40 USD/hour", paid_leave_per_hour_worked="8 USD/hour"
    )
    r = tenant.convert("1733.33333 hour/year", "fte", of="manual_work")
    assert r.magnitude == pytest.approx(1.0, rel=1e-8)
    # a loaded cost of $60 per hour worked: an FTE-year costs 1,733.3 x 60 = $104,000
    richer = tenant.with_params(labor_cost_per_hour_worked="60 USD/hour")
    assert richer.convert("1 FTE", "labor_cost").magnitude == pytest.approx(104_000, rel=1e-12)
    assert richer.convert("10 hour", "labor_cost", of="manual_work").magnitude == pytest.approx(
        600, rel=1e-12
    )
    # the tenant's own hourly cost replaces the derivation: 600 h x $55 = $33,000
    own = prod.with_params(hourly_labor_cost="55 USD/hour")
    assert own.convert("600 hour", "labor_cost", of="manual_work").magnitude == pytest.approx(
        33_000, rel=1e-12
    )


def test_rework_is_counted_in_the_same_hours(prod: em.Engine) -> None:
    # $10,000 of error cost / $45.65 per hour worked = 219.06 h; with the 2,080-hour
    # convention / $41.2277 per hour paid = 242.55 h
    r = prod.convert("10000 USD", "rework", of="error_cost")
    assert r.magnitude == pytest.approx(219.06, rel=1e-4)
    r = prod.with_params(**PAID).convert("10000 USD", "rework", of="error_cost")
    assert r.magnitude == pytest.approx(242.55, rel=1e-4)
