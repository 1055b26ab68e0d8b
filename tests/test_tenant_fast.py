"""A tenant's first conversion from floats (``_engine/tenant.py``) is the plain path's, bit for bit.

The plain path evaluates each factor the overrides touch with units (pint) and multiplies the
path out unit by unit; the fast path repeats the same float operations from the figures alone.
Each property derives a tenant of the default engine and compares every conversion between the
bundled kinds with the plain path of a fresh converter given the same overrides: the same
factors (``==`` on floats), the same steps and parameters, the same errors.
"""

from __future__ import annotations

import pickle
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._catalog.catalog import Catalog, Parameter
from equivmetrics._catalog.overrides import override_value
from equivmetrics._core.unit_text import format_unit
from equivmetrics._engine.core import Converter
from equivmetrics._engine.result import StepsLater


@cache
def catalog() -> Catalog:
    return em.load().catalog


@cache
def factor_parameters() -> list[str]:
    """The parameters some rule factor depends on, by name."""
    rules = catalog().rules.values()
    return sorted(name for name in catalog().parameters if any(name in r.parameters for r in rules))


@cache
def conversions() -> list[tuple[str, str, str]]:
    """(input unit, source kind, target kind) for every pair of bundled kinds a path joins:
    a total and a rate of the source kind's own unit."""
    kinds = catalog().kinds
    found = []
    for source, target in sorted(catalog().paths):
        unit = kinds[source].unit
        found += [(unit, source, target), (f"{unit}/month", source, target)]
    return found


def figure(param: Parameter) -> st.SearchStrategy[float]:
    """A value within the parameter's range (half to twice the value without one)."""
    value = param.value
    low, high = (
        (value.low, value.high)
        if value.low < value.high
        else (value.central / 2, 2 * value.central)
    )
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False).filter(
        lambda x: x > 0
    )


@st.composite
def overrides(draw: st.DrawFn, *, own_unit: bool = True) -> dict[str, Any]:
    """Overrides of one to three parameters, as text in the parameter's own unit (or, with
    ``own_unit=False``, some as ranges or in a unit a thousandth the size)."""
    names = draw(
        st.lists(st.sampled_from(factor_parameters()), min_size=1, max_size=3, unique=True)
    )
    chosen: dict[str, Any] = {}
    for name in names:
        param = catalog().parameters[name]
        x = draw(figure(param))
        unit = format_unit(param.value.unit)
        form = "text" if own_unit else draw(st.sampled_from(["text", "range", "milli"]))
        if form == "range":
            chosen[name] = {
                "value": f"{x!r} {unit}",
                "low": f"{x / 2!r} {unit}",
                "high": f"{x * 2!r} {unit}",
            }
        elif form == "milli":
            chosen[name] = f"{x * 1000!r} ({unit}) / 1000"
        else:
            chosen[name] = f"{x!r} {unit}"
    return chosen


def plain(params: dict[str, Any]) -> Converter:
    """A fresh root converter's tenant with ``params``, which takes the plain path only."""
    values = {name: override_value(catalog(), name, raw) for name, raw in params.items()}
    return Converter(catalog(), values, root=Converter(catalog()))


def outcome(converter: Any, unit: str, source: str, target: str) -> Any:
    try:
        return converter.compile(unit, target, of=source)
    except em.EquivMetricsError as exc:
        return type(exc), str(exc)


def check_all(params: dict[str, Any]) -> None:
    tenant = em.load().with_params(**params)
    reference = plain(params)
    for unit, source, target in conversions():
        fast, slow = outcome(tenant, unit, source, target), outcome(reference, unit, source, target)
        assert fast == slow, (unit, source, target, params)
        if isinstance(fast, tuple):
            continue
        assert (fast.factor, fast.factor_low, fast.factor_high) == (
            slow.factor,
            slow.factor_low,
            slow.factor_high,
        )
        assert fast.steps == slow.steps
        got = tenant.convert((12.5, unit), target, of=source)
        assert got.magnitude == 12.5 * slow.factor
        assert got.to_dict() == reference.convert((12.5, unit), target, of=source).to_dict()


@settings(max_examples=20, deadline=None)
@given(overrides())
def test_a_tenants_figures_in_their_own_units_give_the_plain_paths_results(
    params: dict[str, Any],
) -> None:
    check_all(params)


@settings(max_examples=10, deadline=None)
@given(overrides(own_unit=False))
def test_ranges_and_other_units_give_the_plain_paths_results(params: dict[str, Any]) -> None:
    check_all(params)


def test_the_fast_path_is_taken_and_records_its_steps_on_first_use() -> None:
    tenant = em.load().with_params(minutes_per_transaction="4 min", hourly_labor_cost="50 USD/hour")
    compiled = tenant.compile("transaction/month", "labor_cost")
    assert isinstance(compiled._steps, StepsLater)
    # 12,000 x 4 min = 800 h; x $50 = $40,000 a month
    result = tenant.convert("12000 transaction/month", "labor_cost")
    assert result.magnitude == pytest.approx(40_000, rel=1e-12)
    assert result.steps[0].rule.startswith("transaction")
    uses = {u.name: u for s in result.steps for u in s.parameters}
    assert uses["minutes_per_transaction"].value == 4.0
    assert uses["minutes_per_transaction"].overridden
    assert uses["hourly_labor_cost"].value == 50.0
    # what crosses to another process holds the steps themselves
    copy = pickle.loads(pickle.dumps(compiled))
    assert isinstance(copy._steps, tuple)
    assert copy == compiled
    assert pickle.loads(pickle.dumps(result)).steps == result.steps


def test_an_override_in_another_unit_takes_the_plain_path() -> None:
    tenant = em.load().with_params(minutes_per_transaction="0.05 hour")  # 3 minutes
    compiled = tenant.compile("transaction/month", "manual_work")
    assert isinstance(compiled._steps, tuple)
    assert tenant.convert("12000 transaction/month", "manual_work").magnitude == pytest.approx(600)
