"""Strict, exact inputs: doubles everywhere, odd values refused with the library's own error.

The docs promise IEEE doubles: a numpy float16 or float32 magnitude (scalar, array or pandas
Series) is read as float64 before anything is multiplied. Lists must hold numbers, and a
timedelta is not a number. And every public entry point, given a value of any type in any
argument, either works or raises an ``EquivMetricsError`` — never a bare ``TypeError``,
``OSError`` or ``AttributeError`` from inside.
"""

from __future__ import annotations

import contextlib
import decimal
import math
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from strategies import FUZZ

#: AVERT 2019: 1,562.4 lb CO2 per MWh avoided; 453.59237 g per lb: grams of CO2e per kWh.
G_PER_KWH = 1562.4 * 453.59237 / 1000


# -- float16 and float32 are read as doubles ----------------------------------------------------


def test_a_float16_scalar_is_read_as_a_double() -> None:
    # 1,000 kWh x 708.69 g/kWh = 708,693 g; in float16 (largest 65,504) this was inf
    r = em.convert((np.float16(1000), "kWh"), "co2e", unit="g")
    assert r.magnitude == pytest.approx(1000 * G_PER_KWH, rel=1e-12)
    assert round(r.magnitude) == 708_693


def test_feel_good_of_a_float16_drops_nothing() -> None:
    half = em.feel_good((np.float16(1000), "kWh"))
    double = em.feel_good((1000.0, "kWh"))
    assert [(e.kind, e.magnitude) for e in half] == [(e.kind, e.magnitude) for e in double]


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_scalars_arrays_and_series_of_small_floats_come_back_as_doubles(dtype: Any) -> None:
    # 12,400 kWh x 1,562.4 lb/MWh x 0.45359237 kg/lb = 8,787.79 kg (12,400 is exact in both)
    want = 12400 * G_PER_KWH / 1000
    scalar = em.convert((dtype(12400), "kWh"), "co2e", unit="kg").magnitude
    array = em.convert((np.array([12400, 1], dtype=dtype), "kWh"), "co2e", unit="kg").magnitude
    series = em.convert((pd.Series([12400, 1], dtype=dtype), "kWh"), "co2e", unit="kg").magnitude
    assert type(scalar) is float
    assert scalar == pytest.approx(want, rel=1e-12)
    assert array.dtype == np.float64
    assert series.dtype == np.float64
    assert array[0] == series.iloc[0] == scalar  # float32 would give 8787.8604
    assert want == pytest.approx(8787.7897, abs=1e-4)


def test_a_float32_that_is_not_exact_is_multiplied_as_its_double_value() -> None:
    x = np.float32(0.1)  # 0.100000001490116...
    r = em.convert((x, "kWh"), "co2e", unit="g")
    assert r.magnitude == float(x) * r.factor  # one multiplication in float64


def test_pandas_nullable_float32_keeps_its_missing_values() -> None:
    series = pd.Series([1000.0, None], dtype="Float32")
    r = em.convert((series, "kWh"), "co2e", unit="g").magnitude
    assert str(r.dtype) == "Float64"
    assert r.iloc[0] == pytest.approx(1000 * G_PER_KWH, rel=1e-12)
    assert r.isna().tolist() == [False, True]


def test_masked_values_are_missing() -> None:
    masked = np.ma.masked_array([1000.0, 2.0], mask=[False, True])
    r = em.convert((masked, "kWh"), "co2e", unit="g")
    assert r.to_dict()["magnitude"] == [pytest.approx(1000 * G_PER_KWH), None]


# -- what is not a number is refused ------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "says"),
    [
        ([1, "2"], "not str '2'"),
        ([1.0, None], "not NoneType 'None'"),
        ([1, True], "not bool 'True'"),
        ([1, np.bool_(False)], "not bool"),
        ([[1, 2], [3, "x"]], "not str 'x'"),
        ([np.timedelta64(5, "s")], "not timedelta64"),
        ([decimal.Decimal("1")], "not Decimal"),
    ],
)
def test_lists_hold_numbers_only(items: list[Any], says: str) -> None:
    with pytest.raises(em.InputTypeError, match="a list magnitude must hold numbers only") as info:
        em.convert((items, "kWh"), "co2e")
    assert says in str(info.value)
    assert "NaN for a missing value" in str(info.value)


@pytest.mark.parametrize(
    "value",
    [np.timedelta64(5, "s"), np.array([5, 6], dtype="m8[s]"), np.datetime64("2025-01-01")],
    ids=["timedelta", "timedelta array", "datetime"],
)
def test_times_are_not_magnitudes(value: Any) -> None:
    """Before, a timedelta came back as "0 s"."""
    with pytest.raises(em.InputTypeError, match=r"dtype (timedelta|datetime)64") as info:
        em.convert((value, "s"), "manual_work")
    assert "give a number and its unit, e.g. (90.0, 's')" in str(info.value)


# -- the cases type fuzzing found ---------------------------------------------------------------


def test_limits_are_checked_when_made_not_at_load() -> None:
    with pytest.raises(em.InputTypeError, match=r"Limits\(max_bytes=...\) must be a whole"):
        em.Limits(max_bytes=None)
    with pytest.raises(em.InputValueError, match=r"from 0 to 2\*\*40, got 1000000"):
        em.Limits(max_depth=10**60)
    assert em.Limits(max_nodes=5).max_nodes == 5


def test_a_pack_path_that_cannot_be_a_file_is_a_pack_error() -> None:
    """Before, a name too long for the file system raised a bare OSError."""
    for path in ("9" * 300, "a\0b"):
        with pytest.raises(em.PackError, match="cannot read"):
            em.load(path)
        report = em.validate(path)
        assert not report.ok
        assert "cannot read" in report.problems[0].message


def test_metric_show_names_kinds() -> None:
    with pytest.raises(em.InputTypeError, match=r"show= names kinds.*not NoneType"):
        em.Metric("transaction", show=None)
    with pytest.raises(em.InputTypeError, match=r"show= names kinds.*not list \[1\]"):
        em.Metric("transaction", show=[1])


def test_reward_rule_fields_are_text() -> None:
    with pytest.raises(em.InputTypeError, match=r"RewardRule.every must be str, not NoneType"):
        em.RewardRule(name="leave", every=None, grant="2 hour")
    with pytest.raises(em.InputTypeError, match=r"RewardRule.reward must be str \| tuple"):
        em.RewardRule(name="leave", every="100 hour", grant="2 hour", reward=("one",))  # type: ignore[arg-type]


def test_chart_sizes_are_inches() -> None:
    pytest.importorskip("matplotlib")
    series = em.load().series({"2025-01": "12000 transaction"}, "manual_work")
    with pytest.raises(em.InputValueError, match=r"width= is in inches, from 2 to 100, got -1"):
        em.render_chart(series, width=-1)
    with pytest.raises(em.InputTypeError, match=r"height= is in inches"):
        em.render_chart(series, height="3")  # type: ignore[arg-type]


def _error_of(use: Callable[[], Any]) -> str | None:
    """The message of the InputTypeError ``use()`` raises, None when it works."""
    try:
        use()
    except em.InputTypeError as exc:
        return str(exc)
    return None


def _fields(record: Any) -> dict[str, Any]:
    # by the name each is given as (a private field's alias: ``steps=`` for ``Result._steps``)
    return {f.alias: getattr(record, f.name) for f in attrs.fields(type(record)) if f.init}


@pytest.mark.parametrize(
    ("field", "value"),
    [("magnitude", None), ("text", None), ("label", 3), ("sources", None), ("steps", ("x",))],
)
def test_an_equivalent_built_by_hand_names_its_wrong_field(field: str, value: Any) -> None:
    made = em.Equivalent(**{**_fields(em.feel_good("12400 kWh")[0]), field: value})
    for render in (lambda: em.render_html([made]), lambda: em.render_page(made)):
        with pytest.raises(em.InputTypeError, match=rf"Equivalent\.{field} must be"):
            render()
    # data: checked only when making it fails, so it works or names the field
    failed = _error_of(made.to_dict)
    assert failed is None or f"Equivalent.{field} must be" in failed


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("magnitude", None, "Result.magnitude must be Any"),
        ("magnitude", np.ma.masked_array([1.0], mask=[True]), "Result.magnitude must be"),
        ("input_magnitude", np.array([1.0, 2.0]), "must both be numbers or both arrays"),
        ("factor", "", "Result.factor must be float"),
        ("steps", None, "Result.steps must be tuple"),
        ("kind", True, "Result.kind must be str"),
    ],
)
def test_a_result_built_by_hand_names_its_wrong_field(field: str, value: Any, says: str) -> None:
    made = em.Result(**{**_fields(em.convert("12400 kWh", "co2e")), field: value})
    with pytest.raises(em.InputTypeError) as info:
        em.explain(made)
    assert says in str(info.value)
    for use in (made.to_dict, made.explain):  # checked when they fail: work or name the field
        failed = _error_of(use)
        assert failed is None or says in failed


# -- the property: any value in any argument works or raises the library's error ---------------

#: Values of every type a caller might pass by mistake.
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**60, -(10**60), 10**400]),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["9" * 300, "12 kWh", "kWh", "co2e", "", "\0", "1e999 kWh", "-5 kWh"]),
    st.binary(max_size=8),
    st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=3), st.none()), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.integers(), st.text(max_size=4)),
    st.sampled_from(
        [
            object(),
            np.float16(1000),
            np.float32(0.1),
            np.int8(-3),
            np.bool_(True),
            np.timedelta64(5, "s"),
            np.array([1.0, np.nan]),
            np.array(["a"]),
            np.ma.masked_array([1.0, 2.0], mask=[True, False]),
            pd.Series([1, 2], dtype="int8"),
            complex(1, 1),
            decimal.Decimal("1.5"),
            math.inf,
            (1, 2, 3),
            ["co2e", 1],
        ]
    ),
)

_ENGINE = em.load()
_EQUIVALENT = em.feel_good("12400 kWh")[0]
_RESULT = em.convert("12400 kWh", "co2e")
_SERIES = _ENGINE.series({"2025-01": "12000 transaction"}, "manual_work")


def _equivalent_with(field: str) -> Callable[[Any], Any]:
    def use(v: Any) -> Any:
        made = em.Equivalent(**{**_fields(_EQUIVALENT), field: v})
        return em.render_html(made), made.to_dict()

    return use


def _result_with(field: str) -> Callable[[Any], Any]:
    def use(v: Any) -> Any:
        made = em.Result(**{**_fields(_RESULT), field: v})
        return made.to_dict(), made.explain(), em.explain(made)

    return use


def _scenario(**kwargs: Any) -> Any:
    options = {"costs": (1000, 100, 100), **kwargs}
    benefit = options.pop("benefit", 5000)
    return [o.to_dict() for o in em.Scenario(benefit, **options).run()]


#: Each public entry point with the value put into one of its arguments (the others valid).
ENTRIES: dict[str, Callable[[Any], Any]] = {
    "convert quantity": lambda v: em.convert(v, "co2e").to_dict(),
    "convert pair": lambda v: em.convert((v, "kWh"), "co2e").to_dict(),
    "convert unit text": lambda v: em.convert((1, v), "co2e"),
    "convert to": lambda v: em.convert("12 kWh", v),
    "convert of": lambda v: em.convert("12 kWh", "co2e", of=v),
    "convert unit": lambda v: em.convert("12 kWh", "co2e", unit=v),
    "convert per": lambda v: em.convert("12 kWh", "co2e", per=v),
    "convert negative": lambda v: em.convert("12 kWh", "co2e", negative=v),
    "feel_good quantity": lambda v: [e.to_dict() for e in em.feel_good(v)],
    "feel_good only": lambda v: em.feel_good("12 kWh", only=v),
    "feel_good top": lambda v: em.feel_good("12 kWh", top=v),
    "feel_good locale": lambda v: em.feel_good("12 kWh", locale=v),
    "feel_good sig": lambda v: em.feel_good("12 kWh", sig=v),
    "action quantity": em.action,
    "load path": em.load,
    "load bundled": lambda v: em.load(bundled=v),
    "load plugins": lambda v: em.load(plugins=v),
    "load limits": lambda v: em.load(limits=v),
    "load region": lambda v: em.load(region=v),
    "load edition": lambda v: em.load(edition=v),
    "validate path": em.validate,
    "with_params": lambda v: _ENGINE.with_params(minutes_per_transaction=v).convert(
        "12000 transaction", "manual_work"
    ),
    "with_region": _ENGINE.with_region,
    "compile": lambda v: _ENGINE.compile(v, "co2e"),
    "series values": lambda v: _ENGINE.series(v, "manual_work").to_dict(),
    "series value": lambda v: _ENGINE.series({"2025-01": v}, "manual_work").to_dict(),
    "Limits": lambda v: em.Limits(max_bytes=v),
    "Metric show": lambda v: em.Metric("transaction", show=v),
    "Metric top": lambda v: em.Metric("transaction", top=v),
    "Metric apply": lambda v: em.Metric("transaction", unit="transaction/month").apply(
        v, engine=_ENGINE
    ),
    "Scenario benefit": lambda v: _scenario(benefit=v),
    "Scenario costs": lambda v: _scenario(costs=v),
    "Scenario adoption": lambda v: _scenario(adoption=v),
    "Scenario years": lambda v: _scenario(years=v),
    "Scenario discount": lambda v: _scenario(discount_rate=v),
    "RewardRule every": lambda v: em.RewardRule(name="r", every=v, grant="2 hour"),
    "RewardRule reward": lambda v: em.RewardRule(
        name="r", every="1 hour", grant="1 hour", reward=v
    ),
    "RewardRule apply": lambda v: em.RewardRule(name="r", every="1 hour", grant="1 hour").apply(v),
    "render_html": em.render_html,
    "render_html title": lambda v: em.render_html([_EQUIVALENT], title=v),
    "render_html lang": lambda v: em.render_html([_EQUIVALENT], lang=v),
    "render_chart width": lambda v: em.render_chart(_SERIES, width=v),
    "render_chart locale": lambda v: em.render_chart(_SERIES, locale=v),
    "explain": em.explain,
    "explain locale": lambda v: em.explain(_RESULT, locale=v),
    "icon_svg": em.icon_svg,
    **{f"Equivalent.{f}": _equivalent_with(f) for f in _fields(_EQUIVALENT)},
    **{f"Result.{f}": _result_with(f) for f in _fields(_RESULT)},
}


@FUZZ
@given(entry=st.sampled_from(sorted(ENTRIES)), value=ODD)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy: overflow to inf is a result
# matplotlib warns (and draws) when a long title leaves a small chart no room
@pytest.mark.filterwarnings("ignore:constrained_layout not applied:UserWarning")
def test_every_public_entry_point_works_or_raises_the_librarys_error(
    entry: str, value: Any
) -> None:
    with contextlib.suppress(em.EquivMetricsError):
        ENTRIES[entry](value)
