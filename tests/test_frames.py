"""Data frames: the pandas accessor and the polars helpers equal the scalar path element-wise."""

from __future__ import annotations

import importlib
import io
import json
import math
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
import equivmetrics.pandas
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._integrations.frames import register_pandas
from equivmetrics.polars import convert_polars, equiv_expr
from strategies import SETTINGS, finite

NAN = float("nan")

#: Columns as a dashboard exports them: finite numbers with holes (NaN).
columns = st.lists(st.one_of(finite, st.just(NAN)), max_size=40)

#: (input unit, target kind, engine fixture name) pairs from the bundled and productivity packs.
CASES = [("kWh", "co2e", "bundled"), ("transaction/month", "fte", "prod")]


@pytest.fixture(scope="session")
def bundled() -> em.Engine:
    return em.load()


def _engine(request: pytest.FixtureRequest, name: str) -> em.Engine:
    engine: em.Engine = request.getfixturevalue(name)
    return engine


POLICIES = ["refuse", "nan", "allow"]


def _scalar(
    engine: em.Engine,
    values: list[float],
    unit: str,
    to: str,
    negative: NegativePolicy | None = None,
) -> list[float]:
    return [engine.convert((float(x), unit), to, negative=negative).magnitude for x in values]


def _bounds(
    engine: em.Engine,
    values: list[float],
    unit: str,
    to: str,
    negative: NegativePolicy | None = None,
) -> tuple[list[float], ...]:
    results = [engine.convert((float(x), unit), to, negative=negative) for x in values]
    return ([r.low for r in results], [r.high for r in results])


def _refused(values: Sequence[float | None], negative: NegativePolicy) -> bool:
    """Whether the scalar path refuses some value of ``values`` (checked element by element)."""
    return negative == "refuse" and any(x is not None and x < 0 for x in values)


# -- pandas -------------------------------------------------------------------------------------


@pytest.mark.parametrize("negative", POLICIES)
@pytest.mark.parametrize(("unit", "to", "which"), CASES)
def test_pandas_equals_scalar(
    request: pytest.FixtureRequest, unit: str, to: str, which: str, negative: NegativePolicy
):
    engine = _engine(request, which)

    @SETTINGS
    @given(values=columns, start=st.integers(-5, 5))
    def check(values: list[float], start: int) -> None:
        index = pd.RangeIndex(start, start + len(values) * 3, 3)
        series = pd.Series(values, index=index, name="metric", dtype="float64")
        if _refused(values, negative):
            first = next(i for i, x in enumerate(values) if x < 0)
            with pytest.raises(em.NegativeValueError, match=f"row label {index[first]}:"):
                series.equiv.convert(to, from_unit=unit, engine=engine, negative=negative)
            with pytest.raises(em.NegativeValueError):
                _scalar(engine, values, unit, to, negative)
            return
        out = series.equiv.convert(to, from_unit=unit, engine=engine, negative=negative)
        expected = _scalar(engine, values, unit, to, negative)
        np.testing.assert_array_equal(out.to_numpy(), np.array(expected, dtype=float))
        assert out.dtype == np.float64
        assert out.index.equals(series.index)
        assert out.name == f"{to} [{out.attrs['unit']}]"
        assert out.attrs["kind"] == to
        assert out.attrs["source_unit"] == unit

        frame = series.equiv.convert(
            to, from_unit=unit, engine=engine, bounds=True, negative=negative
        )
        assert list(frame.columns) == ["value", "low", "high"]
        assert frame.index.equals(series.index)
        low, high = _bounds(engine, values, unit, to, negative)
        np.testing.assert_array_equal(frame["value"].to_numpy(), np.array(expected, dtype=float))
        np.testing.assert_array_equal(frame["low"].to_numpy(), np.array(low, dtype=float))
        np.testing.assert_array_equal(frame["high"].to_numpy(), np.array(high, dtype=float))

    check()


def test_pandas_unit_from_attrs_and_result_unit(bundled: em.Engine) -> None:
    series = pd.Series([1000.0, NAN], name="kwh")
    series.attrs["unit"] = "MWh"
    out = series.equiv.convert("co2e", unit="kg", engine=bundled, name="carbon")
    assert out.name == "carbon"
    assert out.attrs == {
        "unit": "kg",
        "kind": "co2e",
        "source_kind": "electricity_avoided",
        "source_unit": "MWh",
        # issue 13: which place's figures and which edition the column holds
        "region": "US",
        "editions": ["AVERT2019-eGRID2019"],
    }
    assert out.iloc[0] == bundled.convert((1000.0, "MWh"), "co2e", unit="kg").magnitude
    assert math.isnan(out.iloc[1])


def test_pandas_integer_and_nullable_columns(bundled: em.Engine) -> None:
    ints = pd.Series([1, 2, 3], name="kwh")
    out = ints.equiv.convert("co2e", from_unit="kWh", engine=bundled)
    assert out.dtype == np.float64
    assert out.tolist() == _scalar(bundled, [1, 2, 3], "kWh", "co2e")
    nullable = pd.Series([1, None, 3], dtype="Int64", name="kwh")
    out = nullable.equiv.convert("co2e", from_unit="kWh", engine=bundled)
    assert out.dtype == np.float64
    assert math.isnan(out.iloc[1])
    assert out.iloc[2] == bundled.convert((3.0, "kWh"), "co2e").magnitude


def test_pandas_negative_values_follow_the_kinds_policy(bundled: em.Engine) -> None:
    # electricity_avoided refuses negatives; co2e allows them (net emissions).
    kwh = pd.Series([5.0, -10.0], index=["a", "b"], name="kwh")
    with pytest.raises(em.NegativeValueError) as caught:
        kwh.equiv.convert("co2e", from_unit="kWh", engine=bundled)
    assert str(caught.value).startswith(
        "column 'kwh': 1 negative value(s) (the first at row label 'b'"
    )
    assert caught.value.kind == "electricity_avoided"
    assert (caught.value.count, caught.value.first) == (1, 1)
    out = kwh.equiv.convert("co2e", from_unit="kWh", engine=bundled, negative="nan")
    assert out.iloc[0] == bundled.convert((5.0, "kWh"), "co2e").magnitude
    assert math.isnan(out.iloc[1])
    allowed = kwh.equiv.convert(
        "co2e", from_unit="kWh", engine=bundled, bounds=True, negative="allow"
    )
    scalar = bundled.convert((-10.0, "kWh"), "co2e", negative="allow")
    assert allowed.iloc[1].tolist() == [scalar.magnitude, scalar.low, scalar.high]
    assert scalar.low < scalar.magnitude < scalar.high
    tonnes = pd.Series([-2.0], name="t")
    assert tonnes.equiv.convert("co2e", from_unit="t", engine=bundled).tolist() == [-2.0]
    with pytest.raises(em.InputError, match="negative='maybe' is not a policy"):
        tonnes.equiv.convert("co2e", from_unit="t", engine=bundled, negative="maybe")


def test_convert_frame(bundled: em.Engine) -> None:
    frame = pd.DataFrame({"kwh": [1000.0, NAN, 5.0], "site": ["a", "b", "c"]}, index=[7, 8, 9])
    frame.attrs["units"] = {"kwh": "kWh"}
    out = frame.equiv.convert_frame("kwh", ["co2e", "coal"], engine=bundled)
    assert list(out.columns) == ["co2e [t]", "coal [lb]"]
    assert out.index.equals(frame.index)
    assert out.attrs == {
        "units": {"co2e [t]": "t", "coal [lb]": "lb"},
        "kinds": {"co2e [t]": "co2e", "coal [lb]": "coal"},
    }
    np.testing.assert_array_equal(
        out["coal [lb]"].to_numpy(), _scalar(bundled, [1000.0, NAN, 5.0], "kWh", "coal")
    )
    single = frame.equiv.convert_frame("kwh", "co2e", from_unit="MWh", engine=bundled)
    assert single["co2e [t]"].iloc[0] == bundled.convert((1000.0, "MWh"), "co2e").magnitude


def test_json_and_parquet_round_trips(bundled: em.Engine, tmp_path: Path) -> None:
    series = pd.Series([1000.0, NAN, 12.5], index=[3, 4, 5], name="kwh")
    out = series.equiv.convert("co2e", from_unit="kWh", engine=bundled)
    text = out.to_json(orient="split", double_precision=15)
    assert json.loads(text)["name"] == "co2e [t]"
    back = pd.read_json(io.StringIO(text), typ="series", orient="split")
    pd.testing.assert_series_equal(back, out, check_exact=False, rtol=1e-13)

    pytest.importorskip("pyarrow")
    frame = series.to_frame().join(series.equiv.convert("co2e", from_unit="kWh", bounds=True))
    frame.to_parquet(tmp_path / "out.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out.parquet"), frame)


def test_pandas_errors_name_the_column(bundled: em.Engine) -> None:
    with pytest.raises(em.InputError, match=r"column 'site' has dtype (str|object)"):
        pd.Series(["a"], name="site").equiv.convert("co2e", from_unit="kWh", engine=bundled)
    with pytest.raises(em.InputError, match=r"column 'flag' has dtype bool"):
        pd.Series([True], name="flag").equiv.convert("co2e", from_unit="kWh", engine=bundled)
    with pytest.raises(em.InputError, match=r"column 'kwh' has no unit: pass from_unit="):
        pd.Series([1.0], name="kwh").equiv.convert("co2e", engine=bundled)
    with pytest.raises(em.UnknownKindError, match=r"^column 'kwh': unknown kind 'co2'") as info:
        pd.Series([1.0], name="kwh").equiv.convert("co2", from_unit="kWh", engine=bundled)
    assert info.value.kind == "co2"  # the structured fields survive
    with pytest.raises(em.UnitError, match=r"^the series: "):
        pd.Series([1.0]).equiv.convert("co2e", from_unit="kWh", unit="hour", engine=bundled)
    with pytest.raises(em.InputError, match=r"no column 'nope'"):
        pd.DataFrame({"kwh": [1.0]}).equiv.convert_frame("nope", "co2e", from_unit="kWh")


def test_registration_is_idempotent_and_lazy() -> None:
    register_pandas()
    register_pandas()  # no "overriding a preexisting attribute" warning (warnings are errors)
    assert equivmetrics.pandas.__all__ == []
    code = "import sys, equivmetrics; print('pandas' in sys.modules, 'polars' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(("module", "library"), [("pandas", "pandas"), ("polars", "polars")])
def test_missing_library_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, module: str, library: str
) -> None:
    monkeypatch.setitem(sys.modules, library, None)
    monkeypatch.delitem(sys.modules, f"equivmetrics.{module}")
    with pytest.raises(ImportError, match=rf"pip install 'equivmetrics\[{library}\]'"):
        importlib.import_module(f"equivmetrics.{module}")


# -- polars -------------------------------------------------------------------------------------

#: polars columns also hold nulls besides NaN.
polars_columns = st.lists(st.one_of(finite, st.just(NAN), st.none()), max_size=40)


def _same(got: list[float | None], want: list[float | None]) -> bool:
    return len(got) == len(want) and all(
        g == w or (g is not None and w is not None and math.isnan(g) and math.isnan(w))
        for g, w in zip(got, want, strict=True)
    )


@pytest.mark.parametrize("negative", POLICIES)
@pytest.mark.parametrize(("unit", "to", "which"), CASES)
def test_polars_equals_scalar(
    request: pytest.FixtureRequest, unit: str, to: str, which: str, negative: NegativePolicy
):
    engine = _engine(request, which)

    @SETTINGS
    @given(values=polars_columns)
    def check(values: list[float | None]) -> None:
        series = pl.Series("metric", values, dtype=pl.Float64)
        expr = equiv_expr("metric", to, from_unit=unit, engine=engine, negative=negative)
        if _refused(values, negative):
            with pytest.raises(em.NegativeValueError, match="column 'metric'"):
                convert_polars(series, to, from_unit=unit, engine=engine, negative=negative)
            with pytest.raises(em.NegativeValueError, match="column 'metric'"):
                pl.DataFrame([series]).lazy().with_columns(expr).collect()
            return
        want: list[float | None] = [
            None if x is None else engine.convert((float(x), unit), to, negative=negative).magnitude
            for x in values
        ]
        out = convert_polars(series, to, from_unit=unit, engine=engine, negative=negative)
        assert out.dtype == pl.Float64
        assert _same(out.to_list(), want)
        frame = pl.DataFrame([series]).lazy().with_columns(expr).collect()
        assert frame.columns == ["metric", out.name]
        assert _same(frame[out.name].to_list(), want)
        assert out.name == f"{to} [{engine.compile(unit, to).unit}]"

    check()


def test_polars_integers_and_names(bundled: em.Engine) -> None:
    series = pl.Series("kwh", [1, None, 3], dtype=pl.Int32)
    out = convert_polars(series, "co2e", from_unit="kWh", engine=bundled, name="t")
    assert out.name == "t"
    assert out.dtype == pl.Float64
    assert out.to_list() == [
        bundled.convert((1.0, "kWh"), "co2e").magnitude,
        None,
        bundled.convert((3.0, "kWh"), "co2e").magnitude,
    ]
    frame = pl.DataFrame([series]).select(equiv_expr("kwh", "coal", from_unit="kWh", name="lb"))
    assert frame.schema == {"lb": pl.Float64}


def test_polars_parquet_round_trip(bundled: em.Engine, tmp_path: Path) -> None:
    frame = pl.DataFrame({"kwh": [1000.0, None, NAN]}).with_columns(
        equiv_expr("kwh", "co2e", from_unit="kWh", engine=bundled)
    )
    frame.write_parquet(tmp_path / "out.parquet")
    assert pl.read_parquet(tmp_path / "out.parquet").equals(frame)


def test_frames_refuse_a_result_unit_the_kind_refuses(bundled: em.Engine) -> None:
    # Issue 13: unit='barrel' answered in 31.5-gallon barrels; the kind's reason is given
    with pytest.raises(em.UnitError, match=r"^column 't': gasoline does not accept unit='bbl'"):
        pd.Series([1.0], name="t").equiv.convert(
            "gasoline", from_unit="t", unit="bbl", engine=bundled
        )
    with pytest.raises(em.UnitError, match=r"gasoline does not accept unit='barrel': .*42"):
        convert_polars(
            pl.Series("t", [1.0]), "gasoline", from_unit="t", unit="barrel", engine=bundled
        )
    with pytest.raises(em.UnitError, match=r"co2e does not accept unit='ton'"):
        equiv_expr("gal", "co2e", from_unit="gallon", unit="ton", engine=bundled)


def test_polars_errors_name_the_column(bundled: em.Engine) -> None:
    with pytest.raises(em.InputError, match=r"column 'site' has dtype String"):
        convert_polars(pl.Series("site", ["a"]), "co2e", from_unit="kWh", engine=bundled)
    with pytest.raises(em.UnknownKindError, match=r"^column 'kwh': unknown kind 'co2'"):
        convert_polars(pl.Series("kwh", [1.0]), "co2", from_unit="kWh", engine=bundled)
    with pytest.raises(em.UnknownKindError, match=r"^column 'kwh': unknown kind 'co2'"):
        equiv_expr("kwh", "co2", from_unit="kWh", engine=bundled)
    with pytest.raises(em.PeriodError, match=r"^column 'tx': "):
        equiv_expr("tx", "fte", from_unit="transaction", engine=bundled)
    with pytest.raises(em.InputError, match="column must be a column name"):
        equiv_expr(pl.col("kwh"), "co2e", from_unit="kWh")  # type: ignore[arg-type]
    with pytest.raises(em.InputError, match="takes a polars Series, not list"):
        convert_polars([1.0], "co2e", from_unit="kWh")  # type: ignore[arg-type]
    assert issubclass(em.InputError, em.EquivMetricsError)


@pytest.mark.parametrize("values", [[None, None], [NAN, NAN], [NAN, None, 2.0], []])
def test_polars_missing_values_are_never_negative(bundled: em.Engine, values: list[float]) -> None:
    series = pl.Series("kwh", values, dtype=pl.Float64)
    out = convert_polars(series, "co2e", from_unit="kWh", engine=bundled)  # refuses negatives
    frame = pl.DataFrame([series]).lazy().select(equiv_expr("kwh", "co2e", from_unit="kWh"))
    assert _same(out.to_list(), frame.collect().to_series().to_list())
    assert out.null_count() == series.null_count()


def test_a_column_records_its_region_and_edition() -> None:
    # a data scientist comparing Texas in two eGRID editions keeps them apart
    mwh = pd.Series([120.0], name="mwh")
    for edition, rate, loss in (("eGRID2022", 771.083, 0.051), ("eGRID2023", 738.038, 0.042)):
        engine = em.load(region="US-ERCT", edition=edition)
        out = mwh.equiv.convert("co2e", from_unit="MWh", of="electricity_consumed", engine=engine)
        assert out.attrs["region"] == "US-ERCT"
        assert out.attrs["editions"] == [edition]
        # 120 MWh x rate lb/MWh / (1 - loss) x 0.45359237 kg/lb / 1000 kg/t (EPA Hub, Table 6)
        assert out.iloc[0] == pytest.approx(120 * rate / (1 - loss) * 0.45359237 / 1000)
