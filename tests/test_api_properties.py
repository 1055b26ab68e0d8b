"""Every public function, fed random input, returns a correct result or raises an
EquivMetricsError — never another exception.

Inputs mix the valid (kinds of the bundled packs, units from a list, numbers of every size)
with the invalid (garbage text, hostile units, odd types). Results are checked without the
code under test: linearity (f(2x) = 2 f(x)), unit invariance (1000 kWh is 1 MWh), ranges
(low <= value <= high for positive finite input), finite and JSON-ready equivalents.
"""

from __future__ import annotations

import decimal
import fractions
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import FUZZ

ENGINE = em.load()
KINDS = sorted(ENGINE.kinds)
PARAMETERS = sorted(ENGINE.parameters)

#: Units and how many of a reference unit one of them is, worked by hand: each row lists units
#: of one dimension with their size in the first unit of the row.
SAME = [
    {"kWh": 1.0, "MWh": 1000.0, "Wh": 0.001},
    {"kcal": 1.0, "Cal": 1.0, "kilocalorie": 1.0},
    {"hour": 1.0, "minute": 1 / 60, "day": 24.0},
    {"kg": 1.0, "t": 1000.0, "g": 0.001},
    {"transaction": 1.0},
    {"transaction/month": 1.0, "transaction/year": 1 / 12},
    {"hour/month": 1.0, "hour/year": 1 / 12},
    {"USD": 1.0},
    {"gallon": 1.0},
    {"mile": 1.0},
    {"FTE": 1.0},
    {"lb": 1.0},
]
UNITS = [unit for row in SAME for unit in row]
SIZE = {unit: (index, size) for index, row in enumerate(SAME) for unit, size in row.items()}

garbage_text = st.one_of(
    st.text(max_size=15),
    st.sampled_from(
        ["", " ", "kWh**99", "9**9**9", "kWh)", "kWh; import os", "__class__", "nan", "inf",
         "co2e ", "CO2E", "fte\x00", "ｆte", "1e999", "-1 month", "0 s", "1e-320 s", "°C", "degC"]
    ),
)  # fmt: skip
odd = st.sampled_from(
    [None, 5, 5.0, b"kWh", ["kWh"], {"a": 1}, ("kWh",), True, 3j, decimal.Decimal("1")]
)
kinds = st.one_of(st.sampled_from(KINDS), garbage_text, odd)
units = st.one_of(st.sampled_from(UNITS), garbage_text, odd)
options = st.one_of(st.none(), kinds)
periods = st.one_of(st.none(), st.sampled_from(["month", "year", "28 day", "week"]), garbage_text)

floats = st.floats(allow_nan=True, allow_infinity=True)
magnitudes = st.one_of(
    floats,
    st.floats(min_value=1e-3, max_value=1e6),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.fractions(),
    st.decimals(allow_nan=True),
    st.lists(st.floats(min_value=0, max_value=1e6), max_size=5),
    st.lists(floats, max_size=5).map(np.array),
    odd,
)
quantities = st.one_of(
    st.tuples(magnitudes, units),
    st.tuples(st.floats(min_value=0, max_value=1e9), st.sampled_from(UNITS)).map(
        lambda t: f"{t[0]!r} {t[1]}"
    ),
    garbage_text,
    odd,
)


def outcome(call: Callable[[], Any]) -> Any:
    """The call's result, or the EquivMetricsError it raised; anything else fails the test."""
    try:
        return call()
    except em.EquivMetricsError as error:
        assert str(error)  # noqa: PT017 - the type is what the property is about
        return error


def scalar(x: object) -> float | None:
    """``x`` as a float when it is a plain finite scalar, else None."""
    if isinstance(x, bool) or not isinstance(x, int | float | fractions.Fraction):
        return None
    try:
        value = float(x)
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def check_result(r: em.Result, x: float | None) -> None:
    assert isinstance(r.unit, str)
    assert r.kind in ENGINE.kinds
    if x is None:
        return
    m, low, high = float(r.magnitude), float(r.low), float(r.high)
    if x > 0 and math.isfinite(m):
        assert low <= m * (1 + 1e-12)
        assert m <= high * (1 + 1e-12)
    json.dumps(r.to_dict())  # JSON-ready


# -- convert --------------------------------------------------------------------------------------


@FUZZ
@given(quantity=quantities, to=kinds, of=options, unit=st.one_of(st.none(), units), per=periods)
def test_convert(quantity: Any, to: Any, of: Any, unit: Any, per: Any) -> None:
    r = outcome(lambda: em.convert(quantity, to, of=of, unit=unit, per=per))
    if isinstance(r, em.EquivMetricsError):
        return
    assert isinstance(r, em.Result)
    x = scalar(quantity[0]) if isinstance(quantity, tuple) else None
    check_result(r, x)


@FUZZ
@given(
    x=st.floats(min_value=1e-6, max_value=1e9),
    unit=st.sampled_from(UNITS),
    to=st.sampled_from(KINDS),
    of=st.one_of(st.none(), st.sampled_from(KINDS)),
)
def test_convert_is_linear_and_unit_invariant(x: float, unit: str, to: str, of: str | None) -> None:
    r = outcome(lambda: ENGINE.convert((x, unit), to, of=of))
    if isinstance(r, em.EquivMetricsError):
        return
    check_result(r, x)
    doubled = ENGINE.convert((2 * x, unit), to, of=of)
    assert doubled.magnitude == pytest.approx(2 * r.magnitude, rel=1e-12)
    # the same amount written in another unit of the row gives the same result
    row, size = SIZE[unit]
    for other, other_size in SAME[row].items():
        same = outcome(
            lambda o=other, s=other_size: ENGINE.convert((x * size / s, o), to, of=of, unit=r.unit)  # type: ignore[misc]
        )
        if isinstance(same, em.Result):  # (a rate per year cannot be shown per month, say)
            assert same.magnitude == pytest.approx(r.magnitude, rel=1e-9)


@FUZZ
@given(input_unit=units, to=kinds, of=options, unit=st.one_of(st.none(), units), per=periods)
def test_compile_and_source_kind(input_unit: Any, to: Any, of: Any, unit: Any, per: Any) -> None:
    compiled = outcome(lambda: ENGINE.compile(input_unit, to, of=of, unit=unit, per=per))
    if isinstance(compiled, em.Compiled):
        assert 0 < compiled.factor_low <= compiled.factor * (1 + 1e-12)
        assert compiled.factor <= compiled.factor_high * (1 + 1e-12) < math.inf
    kind = outcome(lambda: ENGINE.source_kind((1.0, input_unit), of=of))
    if isinstance(kind, str):
        assert kind in ENGINE.kinds


# -- equivalents ----------------------------------------------------------------------------------

offers = st.sampled_from([em.feel_good, em.action])


@FUZZ
@given(
    offer=offers,
    quantity=quantities,
    of=options,
    only=st.one_of(st.none(), st.lists(kinds, max_size=3), kinds),
    top=st.one_of(st.none(), st.integers(min_value=-2, max_value=5), odd),
    per=periods,
    locale=st.one_of(st.sampled_from(["en", "de", "pl", "fr_FR"]), garbage_text),
    sig=st.one_of(st.none(), st.integers(min_value=-1, max_value=8), odd),
)
def test_feel_good_and_action(
    offer: Callable[..., Any],
    quantity: Any,
    of: Any,
    only: Any,
    top: Any,
    per: Any,
    locale: Any,
    sig: Any,
) -> None:
    goods = outcome(
        lambda: offer(quantity, of=of, only=only, top=top, per=per, locale=locale, sig=sig)
    )
    if isinstance(goods, em.EquivMetricsError):
        return
    for e in goods:
        assert isinstance(e, em.Equivalent)
        assert e.text
        assert math.isfinite(e.magnitude)
        assert math.isfinite(e.low)
        assert math.isfinite(e.high)
        if e.magnitude > 0:
            assert e.low <= e.magnitude * (1 + 1e-12)
            assert e.magnitude <= e.high * (1 + 1e-12)
        json.dumps(e.to_dict(), allow_nan=False)
    html = outcome(lambda: em.render_html(goods))
    assert isinstance(html, str | em.EquivMetricsError)


# -- tenants, metrics, rewards, scenarios, series -------------------------------------------------

param_values = st.one_of(
    st.sampled_from(["4 min", "55 USD/hour", "2080 hour/FTE/year", "0.5", "70 kg", "1 kg/kWh"]),
    st.tuples(st.floats(allow_nan=True), st.sampled_from(["min", "USD/hour", "kg", ""])),
    st.fixed_dictionaries(
        {"value": st.sampled_from(["4 min", "3", "x"])},
        optional={"low": st.sampled_from(["1 min", "-1 min"]), "high": st.just("9 min")},
    ),
    floats,
    garbage_text,
    odd,
)


@FUZZ
@given(
    params=st.dictionaries(
        st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8)), param_values, max_size=3
    )
)
def test_with_params(params: dict[str, Any]) -> None:
    tenant = outcome(lambda: ENGINE.with_params(**params))
    if isinstance(tenant, em.EquivMetricsError):
        return
    assert isinstance(tenant, em.Engine)
    r = outcome(lambda: tenant.convert("12000 transaction/month", "fte"))
    if isinstance(r, em.Result):
        check_result(r, 12000.0)
        assert math.isfinite(r.magnitude)


@FUZZ
@given(
    source=kinds,
    show=st.one_of(st.just(()), st.lists(kinds, max_size=3)),
    role=st.one_of(st.sampled_from(["feel_good", "action"]), garbage_text),
    unit=st.one_of(st.none(), units),
    top=st.one_of(st.none(), st.integers(min_value=-1, max_value=4)),
    value=st.one_of(magnitudes, quantities),
)
def test_metric(source: Any, show: Any, role: Any, unit: Any, top: Any, value: Any) -> None:
    metric = outcome(lambda: em.Metric(source=source, show=show, role=role, unit=unit, top=top))
    if isinstance(metric, em.EquivMetricsError):
        return
    outcome(lambda: metric.apply(value))
    columns = outcome(lambda: metric.columns(value))
    if isinstance(columns, dict):
        assert all(isinstance(r, em.Result) for r in columns.values())


@FUZZ
@given(
    every=st.one_of(st.sampled_from(["100 hour", "1000 USD", "50 transaction"]), garbage_text),
    grant=st.one_of(st.sampled_from(["2 hour", "1 day", "100 USD"]), garbage_text),
    kind=st.one_of(st.none(), kinds),
    value=st.one_of(quantities, magnitudes),
)
def test_reward_rule(every: Any, grant: Any, kind: Any, value: Any) -> None:
    rule = outcome(lambda: em.RewardRule("leave", every, grant, kind=kind))
    if isinstance(rule, em.EquivMetricsError):
        return
    reward = outcome(lambda: rule.apply(value))
    if isinstance(reward, em.Reward):
        assert json.dumps(reward.to_dict())


@FUZZ
@given(
    benefit=st.one_of(st.floats(), st.sampled_from(["100000 USD/year", "5 kWh"]), garbage_text),
    costs=st.one_of(
        st.lists(st.floats(), max_size=4),
        st.dictionaries(st.text(max_size=3), st.floats(), max_size=3),
        odd,
    ),
    adoption=st.one_of(st.floats(), st.lists(st.floats(), max_size=3), odd),
    discount=st.one_of(st.floats(), odd),
    years=st.one_of(st.integers(min_value=-2, max_value=12), odd),
)
def test_scenario(benefit: Any, costs: Any, adoption: Any, discount: Any, years: Any) -> None:
    scenario = outcome(
        lambda: em.Scenario(
            benefit, costs=costs, adoption=adoption, discount_rate=discount, years=years
        )
    )
    if isinstance(scenario, em.EquivMetricsError):
        return
    rows = outcome(scenario.run)
    if isinstance(rows, tuple):
        json.dumps(scenario.to_dict())


@FUZZ
@given(
    values=st.one_of(
        st.dictionaries(
            st.one_of(st.sampled_from(["2024-01", "2024-02", "2024", "2024-Q1", "2024-W05"]),
                      garbage_text),
            st.one_of(st.floats(), st.sampled_from(["1000 transaction", "5 kWh"]), odd),
            max_size=4,
        ),
        odd,
    ),
    to=kinds,
    unit=st.one_of(st.none(), units),
)  # fmt: skip
def test_series(values: Any, to: Any, unit: Any) -> None:
    series = outcome(lambda: ENGINE.series(values, to, of="transaction", unit=unit))
    assert isinstance(series, em.Series | em.EquivMetricsError)


# -- files, icons, frames -------------------------------------------------------------------------


@FUZZ
@given(path=st.one_of(garbage_text, odd, st.sampled_from(["/dev/null", "/etc/hostname"])))
def test_load_and_validate(path: Any) -> None:
    engine = outcome(lambda: em.load(path, bundled=False))
    assert isinstance(engine, em.Engine | em.EquivMetricsError)
    report = outcome(lambda: em.validate(path, bundled=False))
    assert isinstance(report, em.Report | em.EquivMetricsError)


@FUZZ
@given(name=st.one_of(st.sampled_from(em.icon_names()), garbage_text, odd))
def test_icon_svg(name: Any) -> None:
    svg = outcome(lambda: em.icon_svg(name))
    if isinstance(svg, str):
        assert svg.lstrip().startswith("<svg")


@FUZZ
@given(
    xs=st.lists(st.floats(min_value=0, max_value=1e9), min_size=1, max_size=8),
    to=kinds,
    from_unit=units,
)
def test_pandas_and_polars_match_scalars(xs: list[float], to: Any, from_unit: Any) -> None:
    import pandas as pd
    import polars as pl

    import equivmetrics.pandas  # noqa: F401 - registers .equiv
    from equivmetrics.polars import convert_polars

    column = outcome(lambda: pd.Series(xs).equiv.convert(to, from_unit=from_unit))
    polars_column = outcome(lambda: convert_polars(pl.Series(xs), to, from_unit=from_unit))
    if isinstance(column, em.EquivMetricsError):
        assert isinstance(polars_column, em.EquivMetricsError)
        return
    singles = [ENGINE.convert((x, from_unit), to).magnitude for x in xs]
    np.testing.assert_allclose(column.to_numpy(), singles, rtol=1e-12)
    np.testing.assert_allclose(polars_column.to_numpy(), singles, rtol=1e-12)
