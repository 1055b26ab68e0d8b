"""The negative-value policy: refuse, nan or allow per kind; the strictest kind on a path wins."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._core.negative import POLICIES, screen, strictest
from strategies import SETTINGS, finite

#: Three kinds in a chain a -> b -> c, one per policy, so every strictness order can be tried.
PACK = """\
equivmetrics: 1
name: signs
edition: "1"
license: MIT
sources:
  s: {{title: A worked example}}
units:
  widget: "[widget]"
  gadget: "[gadget]"
  gizmo: "[gizmo]"
kinds:
  a: {{unit: widget, input_units: [widget], negative: {a}}}
  b: {{unit: gadget, input_units: [gadget], negative: {b}}}
  c: {{unit: gizmo, input_units: [gizmo], negative: {c}}}
rules:
  - {{from: a, to: b, factor: 2 gadget/widget, source: s}}
  - {{from: b, to: c, factor: 3 gizmo/gadget, source: s}}
"""


def _engine(tmp_path: Path, a: str, b: str, c: str) -> em.Engine:
    path = tmp_path / f"signs_{a}_{b}_{c}.yaml"
    path.write_text(PACK.format(a=a, b=b, c=c), encoding="utf-8")
    return em.load(path, bundled=False)


@pytest.mark.parametrize("a", POLICIES)
@pytest.mark.parametrize("b", POLICIES)
@pytest.mark.parametrize("c", POLICIES)
def test_a_path_follows_its_strictest_kind(tmp_path: Path, a: str, b: str, c: str) -> None:
    engine = _engine(tmp_path, a, b, c)
    compiled = engine.compile("widget", "c")
    order = ["allow", "nan", "refuse"]
    want = max((a, b, c), key=order.index)
    assert compiled.negative == want
    if want != "allow":  # the first kind along the path with that policy
        assert compiled.negative_kind == "abc"[(a, b, c).index(want)]
    # -1 widget x 2 x 3 = -6 gizmo when allowed
    if want == "refuse":
        with pytest.raises(em.NegativeValueError) as caught:
            engine.convert("-1 widget", "c")
        assert caught.value.kind == compiled.negative_kind
        assert f"kind {compiled.negative_kind!r} refuses" in str(caught.value)
    elif want == "nan":
        assert math.isnan(engine.convert("-1 widget", "c").magnitude)
    else:
        assert engine.convert("-1 widget", "c").magnitude == -6.0
    assert engine.convert("-1 widget", "c", negative="allow").magnitude == -6.0
    assert math.isnan(engine.convert("-1 widget", "c", negative="nan").magnitude)
    with pytest.raises(em.NegativeValueError):
        engine.convert("-1 widget", "c", negative="refuse")
    # zero, negative zero and NaN are never refused
    assert engine.convert("0 widget", "c").magnitude == 0.0
    assert engine.convert((-0.0, "widget"), "c").magnitude == 0.0
    assert math.isnan(engine.convert((math.nan, "widget"), "c").magnitude)


def test_the_default_policy_is_refuse(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(
        'equivmetrics: 1\nname: plain\nedition: "1"\nlicense: MIT\n'
        "units: {widget: '[widget]'}\nkinds: {a: {unit: widget, input_units: [widget]}}\n",
        encoding="utf-8",
    )
    engine = em.load(path, bundled=False)
    assert engine.kinds["a"].negative == "refuse"
    with pytest.raises(em.NegativeValueError, match=r"^-3 widget is negative and kind 'a'"):
        engine.convert("-3 widget", "a")


def test_a_bad_policy_is_a_pack_error_with_file_and_line() -> None:
    path = Path(__file__).parent / "packs" / "bad" / "negative_policy.yaml"
    with pytest.raises(em.PackError) as caught:
        em.load(path, bundled=False)
    problems = caught.value.problems
    assert [(p.location.line, p.field) for p in problems] == [
        (9, "kinds.reading.negative"),
        (12, "kinds.balance.negative"),
    ]
    assert "expected one of allow, nan, refuse, got the text 'clip'" in str(caught.value)
    assert f"{path}:9" in str(caught.value)


def test_bundled_policies() -> None:
    engine = em.load()
    allowed = {name for name, kind in engine.kinds.items() if kind.negative == "allow"}
    assert allowed == {"co2e", "labor_cost", "error_cost", "invoice_cost"}
    # -2 t of CO2e is a net emission: passes; as tree seedlings it is refused by tree_seedling
    assert engine.convert("-2 t", "co2e", unit="kg").magnitude == -2000.0
    with pytest.raises(em.NegativeValueError, match="kind 'tree_seedling' refuses"):
        engine.convert("-2 t", "tree_seedling")
    with pytest.raises(em.NegativeValueError, match="kind 'electricity_avoided' refuses"):
        engine.feel_good("-12400 kWh")


def test_an_unknown_override_says_the_choices() -> None:
    with pytest.raises(em.InputError, match="negative='clip' is not a policy; use one of"):
        em.convert("5 kWh", "co2e", negative="clip")  # type: ignore[arg-type]
    with pytest.raises(em.InputError):
        em.convert("5 kWh", "co2e", negative=["nan"])  # type: ignore[arg-type]


def test_arrays_name_the_count_and_the_first_position() -> None:
    values = np.array([[1.0, -2.0], [np.nan, -4.0]])
    with pytest.raises(em.NegativeValueError) as caught:
        em.convert((values, "kWh"), "co2e")
    error = caught.value
    assert (error.kind, error.count, error.first) == ("electricity_avoided", 2, 1)
    assert "2 negative value(s) (the first at position 1: -2 kWh)" in str(error)
    again = pickle.loads(pickle.dumps(error))
    assert (again.kind, again.count, again.first, str(again)) == (
        error.kind,
        error.count,
        error.first,
        str(error),
    )


def test_a_series_keeps_its_index_under_nan() -> None:
    series = pd.Series([3, -1, 2], index=["x", "y", "z"])
    out = screen(series, "nan", "k", "kWh")
    assert out.index.tolist() == ["x", "y", "z"]
    assert out["x"] == 3
    assert math.isnan(out["y"])
    assert out["z"] == 2


def test_strictest_keeps_the_first_kind_on_ties() -> None:
    assert strictest([("nan", "a"), ("refuse", "b"), ("refuse", "c")]) == ("refuse", "b")
    assert strictest([("allow", "a")]) == ("allow", "")


@SETTINGS
@given(values=st.lists(st.one_of(finite, st.just(math.nan)), max_size=30))
def test_nan_policy_is_nan_exactly_where_negative(values: list[float]) -> None:
    arr = np.array(values, dtype=float)
    out = screen(arr, "nan", "k", "u")
    negative = arr < 0
    assert np.array_equal(np.isnan(out), negative | np.isnan(arr))
    np.testing.assert_array_equal(out[~negative], arr[~negative])
    for x, y in zip(values, out, strict=True):  # the scalar path agrees element by element
        s = screen(x, "nan", "k", "u")
        assert (math.isnan(s) and math.isnan(y)) or s == y


@pytest.mark.parametrize("dtype", ["Float64", "Int64"])
def test_nullable_pandas_columns_with_missing_values_are_screened(dtype: str) -> None:
    series = pd.Series([1, -5, None], dtype=dtype)
    with pytest.raises(em.NegativeValueError) as caught:
        em.convert((series, "kWh"), "co2e")
    assert (caught.value.count, caught.value.first) == (1, 1)
    out = em.convert((series, "kWh"), "co2e", negative="nan").magnitude
    # 1 kWh x 1,562.4 lb/MWh = 7.0869e-4 t; the negative and the missing value are NaN
    assert out.iloc[0] == pytest.approx(1562.4 * 0.45359237e-6)
    assert math.isnan(out.iloc[1])
    assert pd.isna(out.iloc[2])


def test_a_series_cumulative_adds_what_the_periods_show(tmp_path: Path) -> None:
    engine = _engine(tmp_path, "nan", "allow", "allow")
    # -1 widget reads as missing; 2 widget x 2 x 3 = 12 gizmo; the cumulative is unknown
    result = engine.series({"2024-01": "2 widget", "2024-02": "-1 widget"}, "c")
    assert result.periods[0].result.magnitude == 12.0
    assert math.isnan(result.periods[1].result.magnitude)
    assert math.isnan(result.cumulative.magnitude)
    allowed = engine.series({"2024-01": "2 widget", "2024-02": "-1 widget"}, "c", negative="allow")
    assert allowed.cumulative.magnitude == 6.0  # (2 - 1) x 6
