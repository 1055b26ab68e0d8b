"""Derived parameters: a parameter's value may name other parameters and is computed from them.

The pack below is worked by hand: paid 2,000 h a year, leave 0.25 h per hour worked, so
2,000 / 1.25 = 1,600 h worked; a cost of 50 USD (range 40-60) per hour worked, so an FTE-year
costs 50 x 1,600 = 80,000 USD; the hour counted in ``hours`` then costs 80,000 / 1,600 = 50.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em

PACK = """\
equivmetrics: 1
name: derived
edition: "1"
license: MIT
sources:
  s: {title: Test source}
kinds:
  work: {unit: hour, input_units: [hour]}
  staff: {unit: FTE, input_units: [FTE]}
  cost: {unit: USD, input_units: [USD]}
parameters:
  paid: {value: 2000 hour/FTE/year, source: s}
  leave: {value: 0.25, source: s}
  worked: {value: paid / (1 + leave), source: s}
  hours: {value: worked, source: s}
  cost_per_hour_worked: {value: 50 USD/hour, low: 40 USD/hour, high: 60 USD/hour, source: s}
  cost_per_fte_year: {value: cost_per_hour_worked * worked, source: s}
  hourly_cost: {value: cost_per_fte_year / hours, source: s}
rules:
  - {id: work_staff, from: work, to: staff, factor: 1 / hours}
  - {id: work_cost, from: work, to: cost, factor: hourly_cost}
  - {id: staff_cost, from: staff, to: cost, factor: hours * hourly_cost}
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> em.Engine:
    path = tmp_path_factory.mktemp("derived") / "derived.yaml"
    path.write_text(PACK, encoding="utf-8")
    return em.load(path, bundled=False)


def central(engine: em.Engine, name: str, unit: str) -> float:
    value = engine.parameters[name].to(engine.catalog.units.parse(unit))
    return value.central


def test_a_derived_parameter_is_computed_from_the_parameters_it_names(engine: em.Engine) -> None:
    params = engine.catalog.parameters
    assert params["worked"].inputs == ("paid", "leave")
    assert params["hours"].inputs == ("worked",)
    assert params["paid"].inputs == ()
    assert params["paid"].expr is None
    # 2,000 / 1.25 = 1,600 h; 50 x 1,600 = 80,000 USD a year; 80,000 / 1,600 = 50 USD an hour
    assert central(engine, "worked", "hour/FTE/year") == pytest.approx(1600, rel=1e-12)
    assert central(engine, "cost_per_fte_year", "USD/FTE/year") == pytest.approx(80_000)
    assert central(engine, "hourly_cost", "USD/hour") == pytest.approx(50, rel=1e-12)


def test_its_range_comes_from_its_inputs(engine: em.Engine) -> None:
    # exact inputs give an exact value; the cost's 40-60 carries through: 40 x 1,600 = 64,000
    worked = engine.parameters["worked"]
    assert worked.low == worked.central == worked.high
    cost = engine.parameters["cost_per_fte_year"]
    assert (cost.low, cost.high) == pytest.approx((64_000, 96_000), rel=1e-12)
    hourly = engine.parameters["hourly_cost"]
    assert (hourly.low, hourly.central, hourly.high) == pytest.approx((40, 50, 60), rel=1e-12)


def test_a_tenant_overriding_an_input_gets_it_computed_again(engine: em.Engine) -> None:
    # leave 0.6 h per hour worked: 2,000 / 1.6 = 1,250 h worked; 50 x 1,250 = 62,500 USD a year
    tenant = engine.with_params(leave=0.6)
    assert central(tenant, "worked", "hour/FTE/year") == pytest.approx(1250, rel=1e-12)
    assert tenant.convert("1250 hour/year", "staff").magnitude == pytest.approx(1, rel=1e-12)
    assert tenant.convert("1 FTE", "cost").magnitude == pytest.approx(62_500, rel=1e-12)
    # the parent engine is unchanged: 1,600 h
    assert central(engine, "worked", "hour/FTE/year") == pytest.approx(1600, rel=1e-12)
    assert engine.convert("1600 hour/year", "staff").magnitude == pytest.approx(1, rel=1e-12)


def test_overriding_a_derived_parameter_replaces_it(engine: em.Engine) -> None:
    # The hours counted in an FTE-year set to the paid 2,000: the FTE-year still costs 80,000,
    # so the hour counted costs 80,000 / 2,000 = 40 USD, and costs stay consistent both ways.
    paid = engine.with_params(hours="2000 hour/FTE/year")
    assert central(paid, "hourly_cost", "USD/hour") == pytest.approx(40, rel=1e-12)
    assert paid.convert("2000 hour/year", "staff").magnitude == pytest.approx(1, rel=1e-12)
    assert paid.convert("2000 hour", "cost").magnitude == pytest.approx(80_000, rel=1e-12)
    assert paid.convert("1 FTE", "cost").magnitude == pytest.approx(80_000, rel=1e-12)
    assert engine.convert("1 FTE", "cost").magnitude == pytest.approx(80_000, rel=1e-12)


def test_steps_list_a_derived_parameter_with_its_inputs(engine: em.Engine) -> None:
    step = engine.convert("10 hour/year", "staff").steps[0]
    assert [p.name for p in step.parameters] == ["hours", "worked", "paid", "leave"]
    assert step.parameters[1].value == pytest.approx(1600, rel=1e-12)
    # a tenant's own figure replaces the derivation: its inputs no longer count
    tenant = engine.with_params(hours="2000 hour/FTE/year")
    step = tenant.convert("10 hour/year", "staff").steps[0]
    assert [(p.name, p.origin) for p in step.parameters] == [("hours", "tenant")]
    # an overridden input shows the derived value computed again: 2,000 / 1.6 = 1,250
    tenant = engine.with_params(leave=0.6)
    uses = {p.name: p for p in tenant.convert("10 hour/year", "staff").steps[0].parameters}
    assert uses["worked"].value == pytest.approx(1250, rel=1e-12)
    assert uses["worked"].origin == "pack"
    assert uses["leave"].origin == "tenant"


def test_a_rule_depends_on_the_inputs_of_its_derived_parameters(engine: em.Engine) -> None:
    rules = engine.catalog.rules
    assert rules["work_staff"].names == ("hours",)
    assert rules["work_staff"].parameters == ("hours", "worked", "paid", "leave")


def test_a_parameter_may_be_computed_from_another_packs(engine: em.Engine, tmp_path: Path) -> None:
    more = tmp_path / "more.yaml"
    more.write_text(
        'equivmetrics: 1\nname: more\nedition: "1"\nlicense: MIT\nsources:\n  s: {title: T}\n'
        "parameters:\n  half_year: {value: worked / 2, source: s}\n",
        encoding="utf-8",
    )
    both = em.load(engine.catalog.packs[0].origin, more, bundled=False)
    assert central(both, "half_year", "hour/FTE/year") == pytest.approx(800, rel=1e-12)
