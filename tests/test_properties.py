"""Properties every conversion must have, checked with Hypothesis on the productivity pack and
the test energy pack."""

from __future__ import annotations

import keyword

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import (
    PER_MONTH,
    SETTINGS,
    finite,
    positive,
    productivity_kinds,
    productivity_targets,
    scales,
    time_units,
)

#: How each productivity kind is written as a monthly figure (fte is a capacity: no period).
MONTHLY = {
    "transaction": "transaction/month",
    "manual_work": "hour/month",
    "fte": "FTE",
    "labor_cost": "USD/month",
}

#: Kinds of the test energy pack, each with its display unit; tree is left out because its only
#: rule is one way.
ENERGY = {
    "electricity": "kWh",
    "heat": "kWh",
    "co2e": "kg",
    "gasoline": "gallon",
    "food_energy": "kcal",
    "walking": "minute",
    "running": "minute",
}

energy_pairs = st.tuples(st.sampled_from(sorted(ENERGY)), st.sampled_from(sorted(ENERGY))).filter(
    lambda p: (
        (p[0] in {"food_energy", "walking", "running"})
        == (p[1] in {"food_energy", "walking", "running"})
    )
)


def monthly(engine: em.Engine, x: object, source: str, target: str) -> em.Result:
    return engine.convert((x, MONTHLY[source]), target, of=source, unit=MONTHLY[target])


# -- linearity --------------------------------------------------------------------------------


@SETTINGS
@given(x=finite, a=scales, target=productivity_targets)
def test_linearity(prod: em.Engine, x: float, a: float, target: str) -> None:
    # negative="allow": the law holds over all reals where negatives are meaningful
    base = prod.convert((x, "transaction/month"), target, negative="allow")
    scaled = prod.convert((a * x, "transaction/month"), target, negative="allow")
    assert scaled.magnitude == pytest.approx(a * base.magnitude, rel=1e-12, abs=1e-300)
    assert scaled.unit == base.unit


@SETTINGS
@given(
    x=positive,
    a=st.floats(min_value=1e-3, max_value=1e3),
    source=productivity_kinds,
    target=productivity_kinds,
)
def test_linearity_of_the_range(
    prod: em.Engine, x: float, a: float, source: str, target: str
) -> None:
    base = monthly(prod, x, source, target)
    scaled = monthly(prod, a * x, source, target)
    assert scaled.low == pytest.approx(a * base.low, rel=1e-12)
    assert scaled.high == pytest.approx(a * base.high, rel=1e-12)


@SETTINGS
@given(xs=st.lists(finite, min_size=1, max_size=20), target=productivity_targets)
def test_arrays_match_scalars(prod: em.Engine, xs: list[float], target: str) -> None:
    arr = prod.convert((np.array(xs), "transaction/month"), target, negative="nan")
    singles = [prod.convert((x, "transaction/month"), target, negative="nan").magnitude for x in xs]
    np.testing.assert_allclose(arr.magnitude, singles, rtol=1e-12, atol=0)
    assert np.array_equal(np.isnan(arr.magnitude), np.array(xs) < 0)
    if any(x < 0 for x in xs):
        with pytest.raises(em.NegativeValueError) as caught:
            prod.convert((np.array(xs), "transaction/month"), target)
        assert caught.value.count == sum(x < 0 for x in xs)
        assert caught.value.first == next(i for i, x in enumerate(xs) if x < 0)
    else:
        plain = prod.convert((np.array(xs), "transaction/month"), target)
        np.testing.assert_array_equal(plain.magnitude, arr.magnitude)


# -- reversibility: A -> B -> A is A -----------------------------------------------------------


@SETTINGS
@given(x=positive, source=productivity_kinds, target=productivity_kinds)
def test_there_and_back_again(prod: em.Engine, x: float, source: str, target: str) -> None:
    there = monthly(prod, x, source, target)
    back = monthly(prod, there.magnitude, target, source)
    assert back.magnitude == pytest.approx(x, rel=1e-9)


@SETTINGS
@given(x=positive, pair=energy_pairs)
def test_there_and_back_again_in_the_energy_pack(
    energy: em.Engine, x: float, pair: tuple[str, str]
) -> None:
    source, target = pair
    there = energy.convert((x, ENERGY[source]), target, of=source)
    assert there.unit == ENERGY[target]
    back = energy.convert((there.magnitude, there.unit), source, of=target)
    assert back.magnitude == pytest.approx(x, rel=1e-9)


# -- a chain is the product of its steps ------------------------------------------------------


@SETTINGS
@given(x=positive, target=st.sampled_from(["fte", "labor_cost"]))
def test_chain_equals_hop_by_hop(prod: em.Engine, x: float, target: str) -> None:
    chain = monthly(prod, x, "transaction", target)
    hop = monthly(prod, x, "transaction", "manual_work")
    second = monthly(prod, hop.magnitude, "manual_work", target)
    assert chain.magnitude == pytest.approx(second.magnitude, rel=1e-12)
    # ranges of positive factors multiply: the chain's low is the low of the low
    assert chain.low == pytest.approx(monthly(prod, hop.low, "manual_work", target).low, rel=1e-12)
    assert chain.high == pytest.approx(
        monthly(prod, hop.high, "manual_work", target).high, rel=1e-12
    )


@SETTINGS
@given(x=positive)
def test_energy_chain_equals_hop_by_hop(energy: em.Engine, x: float) -> None:
    chain = energy.convert((x, "kWh"), "gasoline")
    co2 = energy.convert((x, "kWh"), "co2e")
    hop = energy.convert((co2.magnitude, co2.unit), "gasoline", of="co2e")
    assert chain.magnitude == pytest.approx(hop.magnitude, rel=1e-12)
    # and by hand: x x 0.4 kg/kWh / 8.887 kg/gallon
    assert chain.magnitude == pytest.approx(x * 0.4 / 8.887, rel=1e-12)


@SETTINGS
@given(x=positive, source=productivity_kinds, target=productivity_kinds)
def test_steps_multiply_to_the_result(prod: em.Engine, x: float, source: str, target: str) -> None:
    r = monthly(prod, x, source, target)
    if r.steps:
        # the last step's cumulative factor is the whole conversion (in the step's unit)
        last = r.steps[-1]
        if last.unit == r.unit:
            assert x * last.cumulative == pytest.approx(r.magnitude, rel=1e-12)
        for before, after in zip(r.steps, r.steps[1:], strict=False):
            assert before.target_kind == after.source_kind
        assert r.steps[0].source_kind == source
        assert r.steps[-1].target_kind == target


# -- ranges -----------------------------------------------------------------------------------


@SETTINGS
@given(x=positive, source=productivity_kinds, target=productivity_kinds)
def test_low_central_high_in_order(prod: em.Engine, x: float, source: str, target: str) -> None:
    r = monthly(prod, x, source, target)
    assert r.low <= r.magnitude * (1 + 1e-12)
    assert r.magnitude <= r.high * (1 + 1e-12)


@SETTINGS
@given(x=positive, pair=energy_pairs)
def test_low_central_high_in_order_in_the_energy_pack(
    energy: em.Engine, x: float, pair: tuple[str, str]
) -> None:
    source, target = pair
    r = energy.convert((x, ENERGY[source]), target, of=source)
    assert r.low <= r.magnitude * (1 + 1e-12)
    assert r.magnitude <= r.high * (1 + 1e-12)


# -- the input unit does not matter -----------------------------------------------------------


@SETTINGS
@given(x=positive, per=time_units, target=productivity_targets)
def test_any_period_gives_the_same_result(
    prod: em.Engine, x: float, per: tuple[str, float], target: str
) -> None:
    name, count = per  # `count` of this time unit make one month
    unit = {"manual_work": "hour/month", "fte": "FTE", "labor_cost": "USD/month"}[target]
    monthly_result = prod.convert((x, "transaction/month"), target, unit=unit)
    other = prod.convert((x / count, f"transaction/{name}"), target, unit=unit)
    assert other.magnitude == pytest.approx(monthly_result.magnitude, rel=1e-9)
    assert other.low == pytest.approx(monthly_result.low, rel=1e-9)
    assert other.high == pytest.approx(monthly_result.high, rel=1e-9)


@SETTINGS
@given(x=positive, per=time_units)
def test_capacity_does_not_depend_on_the_period(
    prod: em.Engine, x: float, per: tuple[str, float]
) -> None:
    # x transactions a month, written per day, per hour...: the same staff
    name, count = per
    fte = prod.convert((x / count, f"transaction/{name}"), "fte")
    # by hand: x x 3 min / 60 x 12 / 1,878.50 h worked per FTE-year (2,080 x 32.07 / 35.51)
    assert fte.magnitude == pytest.approx(x * 3 / 60 * 12 / (2080 * 32.07 / 35.51), rel=1e-9)
    assert fte.unit == "FTE"


@SETTINGS
@given(
    x=positive,
    unit=st.sampled_from(
        [("kWh", 1.0), ("Wh", 1000.0), ("MWh", 1e-3), ("MJ", 3.6), ("GJ", 3.6e-3)]
    ),
)
def test_any_energy_unit_gives_the_same_result(
    energy: em.Engine, x: float, unit: tuple[str, float]
) -> None:
    name, per_kwh = unit  # 1 kWh = 1,000 Wh = 0.001 MWh = 3.6 MJ = 0.0036 GJ
    r = energy.convert((x * per_kwh, name), "co2e", of="electricity")
    assert r.magnitude == pytest.approx(x * 0.4, rel=1e-9)  # 0.4 kg/kWh


@SETTINGS
@given(minutes=st.floats(min_value=0.1, max_value=120))
def test_override_in_minutes_or_hours(prod: em.Engine, minutes: float) -> None:
    in_minutes = prod.with_params(minutes_per_transaction=(minutes, "min/transaction"))
    in_hours = prod.with_params(minutes_per_transaction=(minutes / 60, "hour/transaction"))
    a = in_minutes.convert("12000 transaction/month", "labor_cost")
    b = in_hours.convert("12000 transaction/month", "labor_cost")
    assert a.magnitude == pytest.approx(b.magnitude, rel=1e-9)
    # by hand: 12,000 x minutes / 60 h x $45.65 per hour worked
    assert a.magnitude == pytest.approx(12000 * minutes / 60 * 45.65, rel=1e-9)


# -- tenants ----------------------------------------------------------------------------------


@SETTINGS
@given(minutes=st.floats(min_value=0.1, max_value=120), cost=st.floats(min_value=1, max_value=500))
def test_with_params_leaves_the_original_alone(
    prod: em.Engine, minutes: float, cost: float
) -> None:
    before = prod.convert("12000 transaction/month", "labor_cost")
    tenant = prod.with_params(
        minutes_per_transaction=(minutes, "min/transaction"), hourly_labor_cost=(cost, "USD/hour")
    )
    got = tenant.convert("12000 transaction/month", "labor_cost")
    assert got.magnitude == pytest.approx(12000 * minutes / 60 * cost, rel=1e-9)
    after = prod.convert("12000 transaction/month", "labor_cost")
    assert after == before
    assert after.magnitude == pytest.approx(27390, rel=1e-12)  # 600 h x $45.65


_identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s)
)


@SETTINGS
@given(name=_identifiers)
def test_unknown_parameter_names_are_refused(prod: em.Engine, name: str) -> None:
    assume(name not in prod.parameters)
    with pytest.raises(em.ParameterError) as info:
        prod.with_params(**{name: "1 hour"})
    assert info.value.name == name


_wrong_dimensions = st.sampled_from(
    [
        ("minutes_per_transaction", "kg/transaction"),
        ("minutes_per_transaction", "kg"),
        ("minutes_per_transaction", "min/FTE"),
        ("hours_per_fte_year", "hour"),
        ("hours_per_fte_year", "USD/FTE/year"),
        ("hourly_labor_cost", "EUR/transaction"),
        ("hourly_labor_cost", "USD/transaction"),
        ("hourly_labor_cost", "USD"),
    ]
)


@SETTINGS
@given(case=_wrong_dimensions, value=positive)
def test_wrong_dimensions_are_refused(prod: em.Engine, case: tuple[str, str], value: float) -> None:
    name, unit = case
    with pytest.raises(em.ParameterError) as info:
        prod.with_params(**{name: (value, unit)})
    assert info.value.name == name


@SETTINGS
@given(value=positive)
def test_an_override_may_leave_out_its_per_item_unit(prod: em.Engine, value: float) -> None:
    # DESIGN: with_params(minutes_per_transaction="4 min") -- minutes per ONE transaction.
    # Hand-worked: 12,000 transaction/month x v min = 200 v hour/month; v h/FTE-year...
    short = prod.with_params(
        minutes_per_transaction=(value, "min"), hours_per_fte_year=(2000.0, "hour/year")
    )
    full = prod.with_params(
        minutes_per_transaction=(value, "min/transaction"),
        hours_per_fte_year=(2000.0, "hour/FTE/year"),
    )
    a = short.convert("12000 transaction/month", "fte")
    b = full.convert("12000 transaction/month", "fte")
    # 200 v hour/month x 12 / 2,000 = 1.2 v FTE
    assert a.magnitude == pytest.approx(1.2 * value, rel=1e-9)
    assert a.magnitude == pytest.approx(b.magnitude, rel=1e-12)


def test_period_table_is_consistent() -> None:
    # the hand-worked table in strategies.py agrees with itself: 730.5 h = 30.4375 days x 24
    assert PER_MONTH["hour"] == pytest.approx(PER_MONTH["day"] * 24, rel=1e-12)
    assert PER_MONTH["minute"] == pytest.approx(PER_MONTH["hour"] * 60, rel=1e-12)
    assert PER_MONTH["year"] * 12 == pytest.approx(1, rel=1e-12)
