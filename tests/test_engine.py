"""Engine.convert and Engine.with_params: worked examples, every kind of input, every error.

Expected values are worked by hand from the cited constants of conversions/productivity.yaml
(3 min/transaction, range 1-10; 2,080 paid h/FTE/year less paid leave, $3.44 per $32.07 of wages
per hour worked: 2,080 x 32.07 / 35.51 = 1,878.50 h worked, exact; $45.65 per hour worked, range
$45.65-$48.05) and of the test energy pack (tests/packs/good/energy.yaml).
"""

from __future__ import annotations

import decimal
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pint
import pytest
from hypothesis import given

import equivmetrics as em
from strategies import SETTINGS, not_quantities

TESTS = Path(__file__).resolve().parent
PRODUCTIVITY = TESTS.parent / "conversions" / "productivity.yaml"

TX = "12000 transaction/month"
#: Hours worked in an FTE-year: 2,080 / (1 + 3.44 / 32.07) = 66,705.6 / 35.51 = 1,878.50 h.
HOURS_WORKED = 2080 * 32.07 / 35.51
#: The brief's case: 600 h/month x 12 = 7,200 h a year / 1,878.50 = 3.8328 FTE.
BRIEF_FTE = 7200 / HOURS_WORKED

# -- the brief's case: 12,000 transactions a month --------------------------------------------


def test_transactions_to_manual_work(prod: em.Engine) -> None:
    # 12,000 x 3 min = 36,000 min = 600 h/month; range 12,000 x [1, 10] min = [200, 2,000] h
    r = prod.convert(TX, "manual_work")
    assert r.magnitude == pytest.approx(600, rel=1e-12)
    assert r.unit == "hour/month"
    assert (r.kind, r.source_kind) == ("manual_work", "transaction")
    assert (r.low, r.high) == pytest.approx((200, 2000), rel=1e-12)
    [step] = r.steps
    assert step.rule == "transaction_manual_work"
    assert (step.source_kind, step.target_kind, step.inverse) == (
        "transaction",
        "manual_work",
        False,
    )
    [use] = step.parameters
    assert use.name == "minutes_per_transaction"
    assert (use.low, use.value, use.high) == pytest.approx((1, 3, 10), rel=1e-12)
    assert "min" in use.unit
    assert use.source is not None
    assert use.source.key == "assumption_minutes_per_transaction"
    assert use.assumption is True
    assert use.overridden is False


def test_transactions_to_fte(prod: em.Engine) -> None:
    # 600 h/month x 12 months / 1,878.50 h worked per FTE-year = 7,200 / 1,878.50 = 3.8328 FTE
    # low 200 x 12 / 1,878.50 = 1.27761; high 2,000 x 12 / 1,878.50 = 12.7761 (hours: exact)
    r = prod.convert(TX, "fte")
    assert r.magnitude == pytest.approx(3.832842, rel=1e-6)
    assert r.unit == "FTE"
    assert r.low == pytest.approx(1.277614, rel=1e-6)
    assert r.high == pytest.approx(12.776139, rel=1e-6)
    assert [s.rule for s in r.steps] == ["transaction_manual_work", "manual_work_fte"]
    first, second = r.steps
    # each step's cumulative factor turns the input into the value after that step
    assert 12000 * first.cumulative == pytest.approx(600, rel=1e-12)
    assert first.unit == "hour/month"
    assert 12000 * second.cumulative == pytest.approx(3.832842, rel=1e-6)
    assert second.unit == "FTE"
    # the factor's parameter, then the parameters it is derived from, each with its source
    uses = second.parameters
    assert [u.name for u in uses] == [
        "hours_per_fte_year",
        "hours_worked_per_fte_year",
        "paid_hours_per_fte_year",
        "paid_leave_per_hour_worked",
        "wages_per_hour_worked",
    ]
    use = uses[0]
    assert (use.low, use.value, use.high) == pytest.approx((1878.502,) * 3, rel=1e-6)
    # derived: 1,878.5 hours are GAO's 2,080 paid hours less BLS's paid leave, so the
    # parameter cites neither alone; the figures it is made of are listed, each cited
    assert (use.source, use.derivation) == (None, "hours_worked_per_fte_year")
    assert uses[1].derivation == (
        "paid_hours_per_fte_year / (1 + paid_leave_per_hour_worked / wages_per_hour_worked)"
    )
    paid = uses[2]
    assert paid.source is not None
    assert paid.source.edition == "2011"
    assert "Government Accountability Office" in paid.source.publisher
    assert (paid.value, paid.source.key if paid.source else None) == (2080, "gao_fte")
    assert [(u.value, u.source.key if u.source else None) for u in uses[3:]] == [
        (3.44, "bls_ecec_2025q2"),
        (32.07, "bls_ecec_2025q2"),
    ]
    assert second.factor == pytest.approx(1 / 1878.502, rel=1e-6)
    assert second.factor_low == second.factor_high == second.factor


def test_transactions_to_labor_cost(prod: em.Engine) -> None:
    # 600 h x $45.65 per hour worked = $27,390/month; low 200 x 45.65 = 9,130; high 2,000 x
    # 48.05 (civilian) = 96,100
    r = prod.convert(TX, "labor_cost")
    assert r.magnitude == pytest.approx(27390, rel=1e-12)
    assert r.unit == "USD/month"
    assert (r.low, r.high) == pytest.approx((9130, 96100), rel=1e-12)
    assert [s.rule for s in r.steps] == ["transaction_manual_work", "manual_work_labor_cost"]
    use = r.steps[1].parameters[0]
    assert use.name == "hourly_labor_cost"
    assert use.value == pytest.approx(45.65, rel=1e-12)
    assert (use.source, use.derivation) == (None, "labor_cost_per_fte_year / hours_per_fte_year")
    cited = {u.name: u.source.key for u in r.steps[1].parameters if u.source is not None}
    assert cited["labor_cost_per_hour_worked"] == "bls_ecec_2025q2"
    names = [u.name for u in r.steps[1].parameters]
    assert "labor_cost_per_hour_worked" in names
    assert "paid_leave_per_hour_worked" in names


def test_explain_shows_every_step_and_source(prod: em.Engine) -> None:
    text = prod.convert("12,000 transaction/month", "fte").explain()
    for fragment in [
        "12,000 transaction/month",
        "transaction_manual_work",
        "manual_work_fte",
        "minutes_per_transaction",
        "hours_per_fte_year",
        "GAO-11-78SP",
        "assumption",
        "600 hour/month",
        "3.833",  # 7,200 / 1,878.50
    ]:
        assert fragment in text, fragment
    # steps in order
    assert text.index("transaction_manual_work") < text.index("manual_work_fte")


def test_default_engine_does_the_brief_case() -> None:
    # em.convert uses the bundled packs; 7,200 / 1,878.50 = 3.8328 FTE
    r = em.convert("12,000 transaction/month", "fte")
    assert r.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    assert em.load() is em.default_engine()


def test_fte_to_labor_cost_by_the_direct_rule(prod: em.Engine) -> None:
    # 3.5 FTE x 1,878.50 h worked x $45.65 = 3.5 x $85,753.6 = $300,137.6 a year
    # low the same (hours exact, $45.65 the low end); high 3.5 x 1,878.50 x 48.05 = 315,917.0
    r = prod.convert("3.5 FTE", "labor_cost")
    assert r.magnitude == pytest.approx(3.5 * HOURS_WORKED * 45.65, rel=1e-12)
    assert r.magnitude == pytest.approx(300_137.6, rel=1e-6)
    assert r.unit == "USD/year"
    assert (r.low, r.high) == pytest.approx((300_137.6, 315_917.0), rel=1e-6)
    assert [s.rule for s in r.steps] == ["fte_labor_cost"]
    monthly = prod.convert("3.5 FTE", "labor_cost", unit="USD/month")
    assert monthly.magnitude == pytest.approx(3.5 * HOURS_WORKED * 45.65 / 12, rel=1e-12)


def test_backwards_through_a_chain(prod: em.Engine) -> None:
    # $27,390 a month of labour at $45.65/h = 600 h/month = 12,000 transactions at 3 min
    r = prod.convert("27390 USD/month", "transaction", of="labor_cost")
    assert r.magnitude == pytest.approx(12000, rel=1e-12)
    assert r.unit == "transaction/month"
    assert [(s.rule, s.inverse) for s in r.steps] == [
        ("manual_work_labor_cost", True),
        ("transaction_manual_work", True),
    ]


# -- periods ----------------------------------------------------------------------------------


def test_total_to_capacity_needs_a_period(prod: em.Engine) -> None:
    with pytest.raises(em.PeriodError) as info:
        prod.convert("600 hour", "fte", of="manual_work")
    message = str(info.value)
    assert "per=" in message
    assert "month" in message
    assert isinstance(info.value, em.UnitError)


def test_total_with_per_month(prod: em.Engine) -> None:
    # 600 h in a month: 600 x 12 / 1,878.50 = 3.8328 FTE
    r = prod.convert("600 hour", "fte", of="manual_work", per="month")
    assert r.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    assert r.unit == "FTE"


def test_total_with_per_thirty_days(prod: em.Engine) -> None:
    # 600 h in 30 days = 20 h/day x 365.25 days / 1,878.50 = 7,305 / 1,878.50 = 3.8887 FTE
    r = prod.convert("600 hour", "fte", of="manual_work", per="30 day")
    assert r.magnitude == pytest.approx(7305 / HOURS_WORKED, rel=1e-12)
    assert r.magnitude == pytest.approx(3.88873, rel=1e-5)


def test_total_to_capacity_as_fte_years(prod: em.Engine) -> None:
    # 600 h / 1,878.50 h worked per FTE-year = 0.31940 FTE-years
    r = prod.convert("600 hour", "fte", of="manual_work", unit="FTE*year")
    assert r.magnitude == pytest.approx(0.319403, rel=1e-5)


def test_total_transactions_to_capacity(prod: em.Engine) -> None:
    with pytest.raises(em.PeriodError, match="per="):
        prod.convert("12000 transaction", "fte")


def test_totals_stay_totals(prod: em.Engine) -> None:
    # 600 h x $45.65 = $27,390
    r = prod.convert("600 hour", "labor_cost", of="manual_work")
    assert r.magnitude == pytest.approx(27390, rel=1e-12)
    assert r.unit == "USD"


def test_per_on_a_rate_is_refused(prod: em.Engine) -> None:
    with pytest.raises(em.PeriodError, match="already a rate"):
        prod.convert(TX, "fte", per="month")


@pytest.mark.parametrize("per", ["kg", "0 day", "-1 month", "kWhh"])
def test_per_must_be_a_positive_time(prod: em.Engine, per: str) -> None:
    with pytest.raises(em.UnitError, match="per="):
        prod.convert("600 hour", "fte", of="manual_work", per=per)


def test_per_must_be_text(prod: em.Engine) -> None:
    with pytest.raises(em.InputError):
        prod.convert("600 hour", "fte", of="manual_work", per=30)  # type: ignore[arg-type]


def test_rate_result_asked_as_a_total(prod: em.Engine) -> None:
    with pytest.raises(em.PeriodError) as info:
        prod.convert(TX, "manual_work", unit="hour")
    assert "hour/month" in str(info.value)


def test_result_unit_of_another_dimension(prod: em.Engine) -> None:
    with pytest.raises(em.UnitError) as info:
        prod.convert(TX, "manual_work", unit="USD/month")
    assert "manual_work" in str(info.value)
    assert "'USD/month'" in str(info.value)


@pytest.mark.parametrize(
    ("unit", "value"),
    [
        ("hour/month", 600),
        ("hour/year", 7200),
        ("minute/month", 36000),
        ("hour/day", 600 / 30.4375),
    ],
)
def test_result_unit(prod: em.Engine, unit: str, value: float) -> None:
    r = prod.convert(TX, "manual_work", unit=unit)
    assert r.unit == unit
    assert r.magnitude == pytest.approx(value, rel=1e-12)


#: 1 t of CO2e as gasoline: EPA's 8,887 g CO2 per gallon, so 1e6 / 8,887 = 112.524 gallons.
GALLONS_PER_T = 1e6 / 8887


@pytest.mark.parametrize(
    ("to", "unit", "says"),
    [
        ("gasoline", "barrel", "31.5-gallon"),
        ("gasoline", "bbl", "31.5-gallon"),
        ("gasoline", "barrels", "31.5-gallon"),
        ("gasoline", "barrel/year", "31.5-gallon"),
        ("diesel", "bbl", "31.5-gallon"),
        ("oil", "barrel", "31.5-gallon"),
        ("co2e", "ton", "metric tons"),
        ("co2e", "tons", "metric tons"),
    ],
)
def test_a_unit_a_kind_refuses_as_input_is_refused_as_its_result(
    to: str, unit: str, says: str
) -> None:
    # Issue 13: unit='barrel' answered in 31.5-gallon barrels, unit='ton' in short tons. The
    # kind's refusal applies to its result unit as to its input: the same error and reason.
    source = "1 t" if to != "co2e" else "1 gallon"
    with pytest.raises(em.UnitError) as info:
        em.convert(source, to, unit=unit)
    message = str(info.value)
    assert message.startswith(f"{to} does not accept unit={unit!r}: ")
    assert says in message
    assert info.value.unit == unit
    written = unit.partition("/")[0]  # the same unit as an input of the kind
    with pytest.raises(em.UnitError, match=f"^{to} does not accept "):
        em.convert(f"1 {written}", "co2e" if to != "co2e" else "gasoline", of=to)


def test_the_units_the_refusals_point_to_are_accepted() -> None:
    # 112.524 gallons = 112.524 / 42 = 2.6791 oil barrels; 1 t = 1 / 0.90718474 short tons
    oil = em.convert("1 t", "gasoline", unit="oil_barrel")
    assert oil.magnitude == pytest.approx(GALLONS_PER_T / 42, rel=1e-9)
    assert em.convert("1 t", "co2e", unit="short_ton").magnitude == pytest.approx(
        1 / 0.90718474, rel=1e-12
    )
    assert em.convert("1 t", "co2e", unit="tonne").magnitude == pytest.approx(1.0)


def test_compile_and_series_refuse_the_unit_too() -> None:
    engine = em.load()
    with pytest.raises(em.UnitError, match=r"^gasoline does not accept unit='bbl'"):
        engine.compile("t", "gasoline", unit="bbl")
    # a series' unit= is the unit of its bare numbers: refused as an input of co2e
    with pytest.raises(em.UnitError, match=r"^co2e does not accept 'ton': .*metric tons"):
        engine.series({"2026-01": 1.0}, "gasoline", of="co2e", unit="ton")


# -- inputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quantity",
    [
        "12000 transaction/month",
        "12,000 transaction/month",
        "12_000 transaction/month",
        "1.2e4 transaction/month",
        "  12000   transaction / month ",
        (12000, "transaction/month"),
        (12000.0, "transaction/month"),
        (np.float64(12000), "transaction/month"),
        (np.int64(12000), "transaction/month"),
        "144000 transaction/year",
        "144,000 transaction/year",
    ],
)
def test_input_forms(prod: em.Engine, quantity: object) -> None:
    r = prod.convert(quantity, "fte")
    assert r.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)


def test_rates_per_day_give_the_same_capacity(prod: em.Engine) -> None:
    # 12,000 a month = 12,000 / 30.4375 a day (pint: a month is 365.25 / 12 days)
    per_day = prod.convert((12000 / 30.4375, "transaction/day"), "fte")
    assert per_day.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    per_hour = prod.convert((12000 / 730.5, "transaction/hour"), "fte")
    assert per_hour.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)


def test_rate_keeps_its_period(prod: em.Engine) -> None:
    # 400 transactions a day x 3 min = 1,200 min = 20 h a day
    r = prod.convert("400 transaction/day", "manual_work")
    assert r.magnitude == pytest.approx(20, rel=1e-12)
    assert r.unit == "hour/day"


def test_array_in_array_out(prod: em.Engine) -> None:
    values = np.array([12000.0, 0.0, np.nan, 24000.0])
    r = prod.convert((values, "transaction/month"), "manual_work")
    assert isinstance(r.magnitude, np.ndarray)
    assert r.magnitude.shape == (4,)
    np.testing.assert_allclose(r.magnitude[[0, 1, 3]], [600, 0, 1200], rtol=1e-12)
    assert np.isnan(r.magnitude[2])
    assert np.isnan(r.low[2])
    assert np.isnan(r.high[2])
    np.testing.assert_allclose(r.low[[0, 3]], [200, 400], rtol=1e-12)
    np.testing.assert_allclose(r.high[[0, 3]], [2000, 4000], rtol=1e-12)
    assert values[0] == 12000.0  # the input is not modified


def test_integer_arrays_and_lists(prod: em.Engine) -> None:
    ints = prod.convert((np.array([12000, 24000]), "transaction/month"), "manual_work")
    np.testing.assert_allclose(ints.magnitude, [600, 1200], rtol=1e-12)
    listed = prod.convert(([12000, 24000], "transaction/month"), "manual_work")
    np.testing.assert_allclose(listed.magnitude, [600, 1200], rtol=1e-12)


def test_two_dimensional_arrays(prod: em.Engine) -> None:
    grid = np.full((2, 3), 12000.0)
    r = prod.convert((grid, "transaction/month"), "manual_work")
    assert r.magnitude.shape == (2, 3)
    np.testing.assert_allclose(r.magnitude, 600, rtol=1e-12)


def test_nan_scalar_stays_nan(prod: em.Engine) -> None:
    r = prod.convert("nan transaction/month", "fte")
    assert np.isnan(r.magnitude)


def test_quantity_of_the_library_registry(prod: em.Engine) -> None:
    reg = em.get_registry()
    r = prod.convert(reg.Quantity(12000, "transaction/month"), "fte")
    assert r.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    arr = prod.convert(reg.Quantity(np.array([12000.0, 24000.0]), "transaction/month"), "fte")
    np.testing.assert_allclose(arr.magnitude, [BRIEF_FTE, 2 * BRIEF_FTE], rtol=1e-12)


def _definitions(registry: pint.UnitRegistry) -> dict[str, str]:
    return {name: repr(d) for name, d in registry._units.items()}


def test_quantity_of_a_host_registry() -> None:
    # Its own engine: the host registry must stay untouched by everything the library does.
    host: Any = pint.UnitRegistry()
    host.define("transaction = [txn_host]")
    before = _definitions(host)
    engine = em.load(PRODUCTIVITY, bundled=False)
    r = engine.convert(host.Quantity(12000, "transaction/month"), "fte")
    assert r.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    # 600 h/month of manual work from the host's own units
    work = engine.convert(host.Quantity(600, "hour/month"), "fte", of="manual_work")
    assert work.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    arr = engine.convert(
        host.Quantity(np.array([600.0, 1200.0]), "hour/month"), "fte", of="manual_work"
    )
    np.testing.assert_allclose(arr.magnitude, [BRIEF_FTE, 2 * BRIEF_FTE], rtol=1e-12)
    assert _definitions(host) == before
    assert "FTE" not in host
    assert "USD" not in host


@pytest.mark.parametrize("fmt", ["~P", "P", "~C", "~D", "~L", "~H"])
def test_host_registry_display_format_does_not_matter(prod: em.Engine, fmt: str) -> None:
    # A notebook often sets its registry's default format (pretty, LaTeX, HTML); quantities
    # from it must still be read correctly.
    host: Any = pint.UnitRegistry()
    host.formatter.default_format = fmt
    r = prod.convert(host.Quantity(600, "hour/month"), "fte", of="manual_work")
    assert r.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)


# -- bad input --------------------------------------------------------------------------------


def test_unknown_target_kind_suggests(prod: em.Engine) -> None:
    with pytest.raises(em.UnknownKindError) as info:
        prod.convert(TX, "ftee")
    assert info.value.kind == "ftee"
    assert "'ftee'" in str(info.value)
    assert "did you mean 'fte'" in str(info.value)
    assert "fte" in info.value.known
    assert isinstance(info.value, LookupError)


def test_unknown_source_kind(prod: em.Engine) -> None:
    with pytest.raises(em.UnknownKindError) as info:
        prod.convert("600 hour", "fte", of="manual_wrok", per="month")
    assert info.value.kind == "manual_wrok"
    assert "'manual_work'" in str(info.value)


def test_ambiguous_kind_lists_candidates(energy: em.Engine) -> None:
    # MJ is energy: electricity, heat and food_energy all measure it, and no kind claims MJ
    with pytest.raises(em.AmbiguousKindError) as info:
        energy.convert("5 MJ", "co2e")
    assert sorted(info.value.candidates) == ["electricity", "food_energy", "heat"]
    assert info.value.unit == "MJ"
    assert "of=" in str(info.value)
    for name in ("electricity", "food_energy", "heat"):
        assert name in str(info.value)


def test_ambiguous_time_kinds(energy: em.Engine) -> None:
    with pytest.raises(em.AmbiguousKindError) as info:
        energy.convert("30 minute", "food_energy")
    assert sorted(info.value.candidates) == ["running", "walking"]


#: The bundled kinds measured in energy (a joule could be any of them), by hand from the packs.
ENERGY_KINDS = ["electricity_avoided", "electricity_consumed", "food_energy", "natural_gas"]


@pytest.mark.parametrize(
    "text", ["1 GJ", "1757.28 kJ", "3 MJ", "5 J", "2 joule", "4 kilojoules", "9 GJ/year", "1 kJ/s"]
)
def test_joules_are_ambiguous_in_the_bundled_packs(text: str) -> None:
    # Issue 13: "1 GJ" was read as food energy (PACE claimed kJ, and so every prefix of the
    # joule). A joule could be food, fuel or electricity: say which with of=.
    with pytest.raises(em.AmbiguousKindError) as info:
        em.convert(text, "co2e")
    assert list(info.value.candidates) == ENERGY_KINDS
    message = str(info.value)
    for name in ENERGY_KINDS:
        assert name in message
    assert "food, fuel or electricity" in message
    assert "say which with of=" in message
    assert "of='food_energy'" in message
    with pytest.raises(em.AmbiguousKindError):
        em.default_engine().source_kind(text)


def test_joules_convert_with_of() -> None:
    # 1 GJ = 1e9 J / 4184 J/kcal = 239,005.7 kcal; = 1e9 / 3.6e6 kWh = 277.78 kWh
    food = em.convert("1 GJ", "food_energy", of="food_energy")
    assert food.magnitude == pytest.approx(1e9 / 4184, rel=1e-12)
    power = em.convert("1 GJ", "electricity_avoided", of="electricity_avoided")
    assert power.magnitude == pytest.approx(1e9 / 3.6e6, rel=1e-12)
    # food calories and watt-hours still need no of=
    assert em.default_engine().source_kind("420 kcal") == "food_energy"
    assert em.default_engine().source_kind("420 Cal") == "food_energy"
    assert em.default_engine().source_kind("12 MWh") == "electricity_avoided"


def test_claimed_unit_decides(energy: em.Engine) -> None:
    # kWh is claimed by electricity although heat is measured in it too: 10 x 0.4 = 4 kg
    r = energy.convert("10 kWh", "co2e")
    assert r.source_kind == "electricity"
    assert r.magnitude == pytest.approx(4, rel=1e-12)


def test_no_path(energy: em.Engine) -> None:
    with pytest.raises(em.NoPathError) as info:
        energy.convert("3 acre", "co2e", of="island")
    assert (info.value.source, info.value.target) == ("island", "co2e")
    assert "'island'" in str(info.value)
    assert "'co2e'" in str(info.value)


def test_no_path_against_a_one_way_rule(energy: em.Engine) -> None:
    # co2e -> tree is not reversible: trees cannot be turned back into CO2e
    with pytest.raises(em.NoPathError) as info:
        energy.convert("3 count", "co2e", of="tree")
    assert (info.value.source, info.value.target) == ("tree", "co2e")
    assert "'tree'" in str(info.value)


def test_unit_that_no_kind_measures(prod: em.Engine) -> None:
    with pytest.raises(em.UnitError) as info:
        prod.convert("3 kg", "fte")
    assert "'kg'" in str(info.value)


def test_unit_that_does_not_fit_the_named_kind(prod: em.Engine) -> None:
    with pytest.raises(em.UnitError) as info:
        prod.convert("3 kg", "fte", of="manual_work")
    assert "manual_work" in str(info.value)


@pytest.mark.parametrize("quantity", ["12", "12 percent", (12, ""), (0.5, "dimensionless")])
def test_a_bare_number_is_not_a_rate(prod: em.Engine, quantity: object) -> None:
    # "12" has no unit: it is not 12 hours per hour (nor per second) of manual work.
    with pytest.raises(em.UnitError):
        prod.convert(quantity, "fte", of="manual_work")


def test_unknown_unit_in_the_input_suggests(prod: em.Engine) -> None:
    with pytest.raises(em.UnitError) as info:
        prod.convert("12000 transactoin/month", "fte")
    assert "'transactoin'" in str(info.value)
    assert "'transaction'" in str(info.value)


@SETTINGS
@given(text=not_quantities)
def test_text_that_is_not_a_quantity(prod: em.Engine, text: str) -> None:
    with pytest.raises(em.UnitError) as info:
        prod.convert(text, "fte")
    message = str(info.value)
    # the message quotes what it could not read
    assert any(part in message for part in text.split()) or repr(text) in message


@pytest.mark.parametrize("text", ["1,5 hour", "12,00 hour", "1,2,3 hour", "12,0000 hour"])
def test_commas_only_separate_thousands(prod: em.Engine, text: str) -> None:
    # "1,5 hour" is a European decimal or a typo; reading it as 15 hours is a silent wrong number.
    with pytest.raises(em.UnitError):
        prod.convert(text, "labor_cost", of="manual_work")


@pytest.mark.parametrize(
    "quantity",
    [
        (True, "hour"),
        ("600", "hour"),
        (None, "hour"),
        (1 + 2j, "hour"),
        (decimal.Decimal("600"), "hour"),
        (np.array(["600"]), "hour"),
        (np.array([True]), "hour"),
        (np.array([1 + 2j]), "hour"),
        ([600, "x"], "hour"),
        ({"value": 600}, "hour"),
        (600, "hour", "extra"),
        (600, 3),
        600,
        None,
        b"600 hour",
        {"magnitude": 600, "unit": "hour"},
    ],
    ids=repr,
)
def test_bad_magnitude_types(prod: em.Engine, quantity: object) -> None:
    with pytest.raises(em.InputError) as info:
        prod.convert(quantity, "labor_cost", of="manual_work")
    assert isinstance(info.value, TypeError)
    assert str(info.value)


@pytest.mark.parametrize(
    "options",
    [
        {"to": 3},
        {"to": ["fte"]},
        {"of": ["manual_work"]},
        {"unit": ["FTE"]},
        {"per": ["month"]},
        {"of": 3},
    ],
    ids=repr,
)
def test_bad_option_types(prod: em.Engine, options: dict[str, object]) -> None:
    kwargs: dict[str, object] = {"to": "fte", "of": "manual_work", **options}
    to = kwargs.pop("to")
    with pytest.raises(em.InputError):
        prod.convert("600 hour", to, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("quantity", ["20 degC", (20, "degF"), (20, "degC/hour")])
def test_offset_units_are_refused(prod: em.Engine, quantity: object) -> None:
    with pytest.raises(em.UnitError, match="offset"):
        prod.convert(quantity, "fte")


def test_offset_quantity_from_a_host_registry(prod: em.Engine) -> None:
    host: Any = pint.UnitRegistry()
    with pytest.raises(em.UnitError, match="offset"):
        prod.convert(host.Quantity(20, "degC"), "fte")


# -- same kind, unit conversion only ----------------------------------------------------------


def test_same_kind_is_a_unit_conversion(prod: em.Engine) -> None:
    r = prod.convert("90 minute", "manual_work", of="manual_work")
    assert r.magnitude == pytest.approx(1.5, rel=1e-12)
    assert r.unit == "hour"
    assert r.steps == ()
    assert r.low == r.high == r.magnitude
    assert "no rule" in r.explain()


# -- the energy test pack ---------------------------------------------------------------------


def test_electricity_to_co2e_and_gasoline(energy: em.Engine) -> None:
    # 12,400 kWh x 0.4 kg/kWh = 4,960 kg (range x 0.3 = 3,720 to x 0.5 = 6,200)
    co2 = energy.convert((12400, "kWh"), "co2e")
    assert co2.magnitude == pytest.approx(4960, rel=1e-12)
    assert co2.unit == "kg"
    assert (co2.low, co2.high) == pytest.approx((3720, 6200), rel=1e-12)
    # 4,960 kg / 8.887 kg per gallon = 558.12 gallons
    gas = energy.convert((12400, "kWh"), "gasoline")
    assert gas.magnitude == pytest.approx(558.1186, rel=1e-6)
    assert gas.unit == "gallon"
    tonnes = energy.convert((12400, "kWh"), "co2e", unit="t")
    assert tonnes.magnitude == pytest.approx(4.96, rel=1e-12)


@pytest.mark.parametrize(
    ("amount", "unit"), [(12400, "kWh"), (12_400_000, "Wh"), (12.4, "MWh"), (44_640, "MJ")]
)
def test_energy_in_any_unit(energy: em.Engine, amount: float, unit: str) -> None:
    # 12.4 MWh = 12,400 kWh = 12,400,000 Wh = 44,640 MJ (1 kWh = 3.6 MJ) -> 4,960 kg
    r = energy.convert((amount, unit), "co2e", of="electricity")
    assert r.magnitude == pytest.approx(4960, rel=1e-12)


def test_kinds_of_one_dimension_do_not_mix(energy: em.Engine) -> None:
    # 10 kWh of electricity is 4 kg CO2e, which heat emits with 4 / 0.2 = 20 kWh
    # (range: [3, 5] kg / 0.2 = [15, 25] kWh) -- not 10 kWh
    r = energy.convert("10 kWh", "heat")
    assert r.magnitude == pytest.approx(20, rel=1e-12)
    assert (r.low, r.high) == pytest.approx((15, 25), rel=1e-12)
    # 30 min walking x 4 kcal/min = 120 kcal = 120 / 10 = 12 min running
    run = energy.convert("30 minute", "running", of="walking")
    assert run.magnitude == pytest.approx(12, rel=1e-12)


def test_food_energy_to_activity(energy: em.Engine) -> None:
    # 420 kcal / 4 kcal per min = 105 min walking; / 10 = 42 min running
    assert energy.convert("420 kcal", "walking").magnitude == pytest.approx(105, rel=1e-12)
    assert energy.convert("420 kcal", "running").magnitude == pytest.approx(42, rel=1e-12)
    hours = energy.convert("420 kcal", "walking", unit="hour")
    assert hours.magnitude == pytest.approx(1.75, rel=1e-12)


def test_trees(energy: em.Engine) -> None:
    # 4,960 kg / 60 kg per tree = 82.667; range 4,960 / 75 = 66.133 to 4,960 / 50 = 99.2
    r = energy.convert("4960 kg", "tree")
    assert r.magnitude == pytest.approx(82.6667, rel=1e-5)
    assert (r.low, r.high) == pytest.approx((66.1333, 99.2), rel=1e-5)


# -- tenants ----------------------------------------------------------------------------------


def test_with_params_returns_a_new_engine(prod: em.Engine) -> None:
    before = prod.convert(TX, "fte")
    tenant = prod.with_params(minutes_per_transaction="4 min/transaction")
    assert tenant is not prod
    assert isinstance(tenant, em.Engine)
    # 12,000 x 4 min = 800 h/month; x 12 / 1,878.50 = 9,600 / 1,878.50 = 5.1105 FTE
    assert tenant.convert(TX, "fte").magnitude == pytest.approx(5.110455, rel=1e-6)
    after = prod.convert(TX, "fte")
    assert after == before
    assert after.magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)


def test_override_without_range_is_exact(prod: em.Engine) -> None:
    tenant = prod.with_params(minutes_per_transaction="4 min/transaction")
    # 800 h/month x 12 = 9,600 h/year / 1,878.50 = 5.1105, exact: the hours carry no range
    r = tenant.convert(TX, "fte")
    assert r.low == r.magnitude == r.high == pytest.approx(5.110455, rel=1e-6)
    use = r.steps[0].parameters[0]
    assert use.overridden is True
    assert use.source is None
    assert use.low == use.value == use.high == pytest.approx(4, rel=1e-12)
    assert "set for this engine" in r.explain()


def test_override_with_a_range(prod: em.Engine) -> None:
    tenant = prod.with_params(
        minutes_per_transaction={
            "value": "4 min/transaction",
            "low": "2 min/transaction",
            "high": "6 min/transaction",
        }
    )
    # 12,000 x [2, 4, 6] min = [400, 800, 1,200] h/month
    r = tenant.convert(TX, "manual_work")
    assert (r.low, r.magnitude, r.high) == pytest.approx((400, 800, 1200), rel=1e-12)


@pytest.mark.parametrize(
    "value",
    [
        "4 min/transaction",
        "4 minute / transaction",
        "240 second/transaction",
        (4, "min/transaction"),
        (4 / 60, "hour/transaction"),
        "1 / (15 transaction/hour)",
    ],
    ids=repr,
)
def test_override_in_any_unit(prod: em.Engine, value: object) -> None:
    # 4 min = 240 s = 1/15 h per transaction: 800 h/month; 800 x $45.65 = $36,520
    tenant = prod.with_params(minutes_per_transaction=value)
    assert tenant.convert(TX, "labor_cost").magnitude == pytest.approx(36_520, rel=1e-9)


def test_override_with_a_quantity(prod: em.Engine) -> None:
    reg = em.get_registry()
    tenant = prod.with_params(hourly_labor_cost=reg.Quantity(55, "USD/hour"))
    # 600 h x $55 = $33,000
    assert tenant.convert(TX, "labor_cost").magnitude == pytest.approx(33_000, rel=1e-12)


def test_tenants_are_independent(prod: em.Engine) -> None:
    a = prod.with_params(hourly_labor_cost="55 USD/hour")
    b = prod.with_params(hourly_labor_cost="30 USD/hour")
    # 600 h x $55 = $33,000; x $30 = $18,000; the default $45.65 gives $27,390
    assert a.convert(TX, "labor_cost").magnitude == pytest.approx(33_000, rel=1e-12)
    assert b.convert(TX, "labor_cost").magnitude == pytest.approx(18_000, rel=1e-12)
    assert prod.convert(TX, "labor_cost").magnitude == pytest.approx(27_390, rel=1e-12)
    # a path that no override touches gives the default numbers in every tenant
    assert a.convert(TX, "fte").magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)


def test_tenant_of_a_tenant(prod: em.Engine) -> None:
    a = prod.with_params(minutes_per_transaction="4 min/transaction")
    ab = a.with_params(hourly_labor_cost="55 USD/hour")
    # 800 h x $55 = $44,000; a itself: 800 h x $45.65 = $36,520
    assert ab.convert(TX, "labor_cost").magnitude == pytest.approx(44_000, rel=1e-12)
    assert a.convert(TX, "labor_cost").magnitude == pytest.approx(36_520, rel=1e-12)
    assert ab.parameters["minutes_per_transaction"].central == pytest.approx(4, rel=1e-12)


def test_parameters_show_overrides(prod: em.Engine) -> None:
    tenant = prod.with_params(hourly_labor_cost="55 USD/hour")
    assert tenant.parameters["hourly_labor_cost"].central == pytest.approx(55, rel=1e-12)
    assert prod.parameters["hourly_labor_cost"].central == pytest.approx(45.65, rel=1e-12)
    # the dictionary handed out is a copy
    tenant.parameters.pop("hourly_labor_cost")
    assert "hourly_labor_cost" in tenant.parameters


def test_unknown_parameter_name(prod: em.Engine) -> None:
    with pytest.raises(em.ParameterError) as info:
        prod.with_params(minutes_per_transation="4 min/transaction")
    assert info.value.name == "minutes_per_transation"
    assert "did you mean 'minutes_per_transaction'" in str(info.value)
    assert isinstance(info.value, em.EquivMetricsError)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("hourly_labor_cost", "55 EUR/transaction"),  # money, but not per hour
        ("hourly_labor_cost", "55 USD"),
        ("hours_per_fte_year", "2080 hour"),
        ("minutes_per_transaction", "4 kg/transaction"),
    ],
)
def test_wrong_dimension(prod: em.Engine, name: str, value: str) -> None:
    with pytest.raises(em.ParameterError) as info:
        prod.with_params(**{name: value})
    assert info.value.name == name
    assert name in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        "-5 USD/hour",
        "0 USD/hour",
        {"value": "50 USD/hour", "low": "-1 USD/hour", "high": "60 USD/hour"},
        {"value": "50 USD/hour", "low": "55 USD/hour", "high": "60 USD/hour"},
        {"value": "50 USD/hour", "cheap": "1 USD/hour"},
        {"low": "50 USD/hour"},
        "55 kUSDD/hour",
        "55 USD/hour +",
        object(),
        True,
        None,
    ],
    # repr of a bare object() holds its address, which differs between pytest-xdist workers
    ids=lambda value: "object()" if type(value) is object else repr(value),
)
def test_bad_override_values(prod: em.Engine, value: object) -> None:
    with pytest.raises(em.ParameterError) as info:
        prod.with_params(hourly_labor_cost=value)
    assert info.value.name == "hourly_labor_cost"


def test_failed_override_leaves_the_engine_alone(prod: em.Engine) -> None:
    with pytest.raises(em.ParameterError):
        prod.with_params(hourly_labor_cost="55 USD/hour", nope="1")
    assert prod.convert(TX, "labor_cost").magnitude == pytest.approx(27_390, rel=1e-12)


# -- compiled conversions and threads ---------------------------------------------------------


def test_compile_gives_plain_factors(prod: em.Engine) -> None:
    compiled = prod.compile("transaction/month", "fte")
    assert isinstance(compiled, em.Compiled)
    # 1 transaction/month x 3 min / 60 x 12 / 1,878.50 = 0.6 / 1,878.50 FTE
    assert compiled.factor == pytest.approx(0.6 / HOURS_WORKED, rel=1e-12)
    assert compiled.apply(12000).magnitude == pytest.approx(BRIEF_FTE, rel=1e-12)
    assert prod.compile("transaction/month", "fte") is compiled  # cached


def test_threads_get_the_same_answers() -> None:
    engine = em.load(PRODUCTIVITY, bundled=False)
    tenants = [engine.with_params(hourly_labor_cost=f"{40 + i} USD/hour") for i in range(8)]
    results: dict[int, list[float]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = [
                tenants[i].convert((12000 + j, "transaction/month"), "labor_cost").magnitude
                for j in range(200)
            ]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for i in range(8):
        # (12,000 + j) x 3 / 60 h x $(40 + i)
        expected = [(12000 + j) * 3 / 60 * (40 + i) for j in range(200)]
        assert results[i] == pytest.approx(expected, rel=1e-12)


def test_an_engine_from_a_catalog(prod: em.Engine) -> None:
    # em.Engine(catalog) builds an engine over checked packs, as em.load() does
    engine = em.Engine(prod.catalog)
    assert engine.catalog is prod.catalog
    # 12,000 transactions a month x 3 min = 600 hours a month
    assert engine.convert("12000 transaction/month", "manual_work").magnitude == 600.0


def test_a_tenants_own_currency_is_kept_end_to_end(prod: em.Engine) -> None:
    # issue 14: 12,000 transactions a month x 3 min = 600 h; x EUR 50 an hour = EUR 30,000
    eur = prod.with_params(minutes_per_transaction="3 min", hourly_labor_cost="50 EUR/hour")
    r = eur.convert("12000 transaction/month", "labor_cost")
    assert (r.magnitude, r.unit) == (pytest.approx(30000), "EUR/month")
    # the same tenant in GBP: 600 h x GBP 40 = GBP 24,000
    gbp = prod.with_params(minutes_per_transaction="3 min", hourly_labor_cost="40 GBP/hour")
    assert gbp.convert("12000 transaction/month", "labor_cost").unit == "GBP/month"
    assert gbp.convert("12000 transaction/month", "labor_cost").magnitude == pytest.approx(24000)


def test_mixing_currencies_without_rates_is_an_error_saying_what_to_supply(
    prod: em.Engine,
) -> None:
    eur = prod.with_params(hourly_labor_cost="50 EUR/hour")
    with pytest.raises(em.UnitError, match=r"amount in EUR, asked for in USD") as info:
        eur.convert("600 hour/month", "labor_cost", of="manual_work", unit="USD/month")
    assert "engine.with_rates(" in str(info.value)
    assert "never exchanged silently" in str(info.value)
    # cost_per_error is USD, the hourly cost EUR: rework mixes them
    with pytest.raises(em.UnitError, match=r"combines amounts in EUR and USD"):
        eur.convert("10 error/month", "rework")


def test_dated_rates_exchange_and_say_so(prod: em.Engine) -> None:
    # ECB reference rates of 2025-02-28 (second-hand copies agree): 1 EUR = 1.0411 USD
    eur = prod.with_params(hourly_labor_cost="50 EUR/hour")
    rated = eur.with_rates({"USD": 1.0411}, base="EUR", date="2025-02-28", source="ECB")
    r = rated.convert("600 hour/month", "labor_cost", of="manual_work", unit="USD/month")
    assert r.magnitude == pytest.approx(600 * 50 * 1.0411)  # = 31,233 USD
    last = r.steps[-1]
    assert (last.rule, last.edition) == ("exchange_rate", "2025-02-28")
    assert "1 EUR = 1.0411 USD" in last.expression
    # 10 errors x $10 = $100 = EUR 100 / 1.0411 = EUR 96.05; / EUR 50 an hour = 1.921 h
    rework = rated.convert("10 error/month", "rework")
    assert rework.magnitude == pytest.approx(100 / 1.0411 / 50)
    with pytest.raises(em.InputValueError, match="need the date"):
        eur.with_rates({"USD": 1.0411}, base="EUR", date="")
    with pytest.raises(em.InputValueError, match="unknown currency 'XYZ'"):
        eur.with_rates({"XYZ": 2.0}, base="EUR", date="2025-02-28")


def test_money_in_any_currency_is_read_as_the_money_kind() -> None:
    de = em.load(region="DE")
    # EUR 26,040 a month / EUR 43.4 an hour (Eurostat, Germany 2024) = 600 hours a month
    r = de.convert("26040 EUR/month", "manual_work")
    assert (r.source_kind, r.magnitude) == ("labor_cost", pytest.approx(600))
    with pytest.raises(em.UnitError, match="combines amounts in EUR and JPY"):
        de.convert("100 JPY", "manual_work")


def test_an_engine_with_rates_converts_what_has_no_money(prod: em.Engine) -> None:
    rated = em.load().with_rates({"USD": 1.0411}, base="EUR", date="2025-02-28")
    # 1,000 kWh x 1,562.4 lb/MWh = 708.69 kg (EPA AVERT 2019): no currency, no exchange
    r = rated.convert("1000 kWh", "co2e")
    assert r.magnitude == pytest.approx(1.5624 * 0.45359237)
    assert all(step.rule != "exchange_rate" for step in r.steps)
    assert rated.feel_good("12000 transaction/month")
    # money that cancels: $27,390 a month / $45.65 an hour = 600 hours (no exchange needed)
    assert rated.convert("27390 USD/month", "manual_work").magnitude == pytest.approx(600)
    # the rates travel with the tenant to another region
    assert rated.with_region("DE").core.rates == rated.core.rates


@pytest.mark.parametrize(
    ("rates", "error", "needle"),
    [
        ({"USD": "abc"}, em.InputTypeError, r"rates\['USD'\]: give how many USD buy one EUR"),
        ({"USD": None}, em.InputTypeError, "not NoneType"),
        ({"USD": True}, em.InputTypeError, "not bool"),
        ({"USD": 10**400}, em.InputValueError, "too large"),
        ({"USD": 0}, em.InputValueError, "a positive number"),
        ({"usd": 1.0}, em.InputValueError, "did you mean 'USD'"),
        ({"EUR": 2.0, "USD": 1.0}, em.InputValueError, "one EUR buys one EUR"),
    ],
)
def test_bad_rates_are_refused_saying_what_to_give(
    rates: dict[str, object], error: type, needle: str
) -> None:
    with pytest.raises(error, match=needle):
        em.load().with_rates(rates, base="EUR", date="2025-02-28")  # type: ignore[arg-type]


def test_an_override_mixing_currencies_is_refused(prod: em.Engine) -> None:
    with pytest.raises(em.ParameterValueError, match="mixes currencies differently"):
        prod.with_params(recapture_share="0.7 EUR/USD")
    with pytest.raises(em.ParameterValueError, match="mixes currencies differently"):
        prod.with_params(hourly_labor_cost="50 EUR*GBP/USD/hour")


def test_a_regional_cost_still_follows_a_tenants_hourly_cost() -> None:
    de = em.load(region="DE")
    # Eurostat replaces the cost per hour worked; a tenant's own still counts: 600 h x EUR 60
    tenant = de.with_params(
        labor_cost_per_hour_worked="60 EUR/hour", minutes_per_transaction="3 min"
    )
    assert tenant.convert("12000 transaction/month", "labor_cost").magnitude == pytest.approx(36000)
