"""Results: JSON-ready dictionaries, pint quantities, explanations, pickling across processes."""

from __future__ import annotations

import json
import math
import pickle
import subprocess
import sys
from pathlib import Path

import attrs
import numpy as np
import pint
import pytest

import equivmetrics as em

TESTS = Path(__file__).resolve().parent
PRODUCTIVITY = TESTS.parent / "conversions" / "productivity.yaml"
TX = "12000 transaction/month"


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` containing ``text`` (read by the test)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


# -- to_dict ----------------------------------------------------------------------------------


def test_to_dict_is_json(prod: em.Engine) -> None:
    r = prod.convert(TX, "fte")
    data = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert data["kind"] == "fte"
    assert data["unit"] == "FTE"
    # 7,200 / 1,878.50 h worked per FTE-year = 3.8328; low 2,400 / 1,878.50 = 1.27761; high
    # 24,000 / 1,878.50 = 12.7761 (the hours are exact: 2,080 x 32.07 / 35.51)
    assert data["magnitude"] == pytest.approx(3.832842, rel=1e-6)
    assert data["low"] == pytest.approx(1.277614, rel=1e-6)
    assert data["high"] == pytest.approx(12.776139, rel=1e-6)
    assert data["input"] == {
        "kind": "transaction",
        "magnitude": 12000.0,
        "unit": "transaction/month",
    }
    assert [s["rule"] for s in data["steps"]] == ["transaction_manual_work", "manual_work_fte"]
    first = data["steps"][0]
    assert (first["from"], first["to"], first["inverse"]) == ("transaction", "manual_work", False)
    assert first["parameters"][0]["name"] == "minutes_per_transaction"
    assert first["parameters"][0]["value"] == pytest.approx(3, rel=1e-12)
    assert first["parameters"][0]["source"]["key"] == "assumption_minutes_per_transaction"
    second = data["steps"][1]
    # hours_per_fte_year is derived (= hours_worked_per_fte_year = 2,080 / (1 + 3.44 / 32.07)):
    # it cites no source of its own; the figures it is made of are cited (GAO's 2,080 hours)
    assert second["parameters"][0]["source"] is None
    assert second["parameters"][0]["derivation"] == "hours_worked_per_fte_year"
    assert second["parameters"][2]["source"]["publisher"].startswith("U.S. Government")
    assert second["parameters"][2]["source"]["edition"] == "2011"


def test_steps_say_where_the_rule_is_written(prod: em.Engine) -> None:
    # issue 12: the pack and the file's name, never its folder ("defined_at" was the path)
    result = prod.convert(TX, "manual_work")
    line = line_of(PRODUCTIVITY, "- id: transaction_manual_work")
    assert result.to_dict()["steps"][0]["defined_in"] == {
        "pack": "productivity",
        "file": "productivity.yaml",
        "line": line,
        "column": 5,
    }
    assert "defined_at" not in result.to_dict()["steps"][0]
    # in Python the step keeps the whole location, for a person at this machine
    assert str(result.steps[0].location) == f"{PRODUCTIVITY}:{line}:5"
    assert result.steps[0].pack == "productivity"


def test_the_compact_shape_has_no_steps(prod: em.Engine) -> None:
    result = prod.convert(TX, "fte")
    data = json.loads(json.dumps(result.to_dict(compact=True)))
    # 12,000 x 3 min = 600 h a month = 7,200 h a year; / 1,878.50 h worked per FTE-year
    # (2,080 paid hours x 32.07 / 35.51) = 3.8328 FTE
    hours = 2080 * 32.07 / 35.51
    assert data == {
        "schema": "equivmetrics.result.compact/1",
        "kind": "fte",
        "magnitude": pytest.approx(7200 / hours, rel=1e-12),
        "low": pytest.approx(2400 / hours, rel=1e-12),
        "high": pytest.approx(24000 / hours, rel=1e-12),
        "unit": "FTE",
        # issue 13: where the figures hold and their edition. The productivity pack holds
        # everywhere, but an FTE's hours are U.S. figures (GAO's 2,080 paid hours, BLS's
        # leave share), marked region US
        "region": "US",
        "editions": [next(p.edition for p in prod.catalog.packs if p.name == "productivity")],
        "sources": [{"citation": source.cite(), "url": source.url} for source in result.sources],
    }
    publishers = [s["citation"] for s in data["sources"]]
    assert any("Government Accountability Office" in text for text in publishers)
    arrays = prod.convert((np.array([1000.0, np.nan]), "transaction"), "manual_work")
    assert arrays.to_dict(compact=True)["magnitude"] == [50.0, None]  # 1,000 x 3 min = 50 h


def test_to_dict_with_nan_and_infinity_in_arrays(prod: em.Engine) -> None:
    values = np.array([12000.0, np.nan, np.inf])
    data = prod.convert((values, "transaction/month"), "manual_work").to_dict()
    text = json.dumps(data, allow_nan=False)  # would raise on NaN or infinity
    back = json.loads(text)
    assert back["magnitude"][0] == pytest.approx(600, rel=1e-12)
    assert back["magnitude"][1:] == [None, None]
    assert back["low"][1] is None
    assert back["input"]["magnitude"][1] is None


def test_to_dict_with_nan_scalar(prod: em.Engine) -> None:
    data = prod.convert("nan transaction/month", "fte").to_dict()
    assert data["magnitude"] is None
    json.dumps(data, allow_nan=False)


def test_to_dict_of_numpy_scalars_is_plain(prod: em.Engine) -> None:
    data = prod.convert((np.float32(12000), "transaction/month"), "manual_work").to_dict()
    json.dumps(data, allow_nan=False)
    assert type(data["magnitude"]) is float


# -- quantity ---------------------------------------------------------------------------------


def test_quantity_is_a_pint_quantity_of_the_library_registry(prod: em.Engine) -> None:
    q = prod.convert(TX, "manual_work").quantity
    assert isinstance(q, pint.Quantity)
    assert q._REGISTRY is em.get_registry()
    # 600 h/month = 7,200 h/year
    assert q.to("hour/year").magnitude == pytest.approx(7200, rel=1e-12)


CRATES = Path(__file__).resolve().parent / "packs" / "units" / "crates.yaml"


def test_quantity_in_a_unit_of_a_pack_comes_from_its_engine() -> None:
    engine = em.load(CRATES, bundled=False)
    # 24 kg / 12 kg per crate = 2 crates
    crates = engine.convert("24 kg", "cargo")
    assert (crates.magnitude, crates.unit) == (pytest.approx(2), "emtest_crate")
    with pytest.raises(em.UnitError, match=r"engine\.quantity\(result\)") as caught:
        _ = crates.quantity
    assert caught.value.unit == "emtest_crate"
    q = engine.quantity(crates)
    assert q._REGISTRY is engine.registry
    assert engine.registry is not em.get_registry()
    assert q.to("kg").magnitude == pytest.approx(24, rel=1e-12)
    # a result of the same engine in one of pint's units is a quantity of the library registry
    kilos = engine.convert("2 emtest_crate", "cargo", unit="kg")
    assert kilos.quantity._REGISTRY is em.get_registry()
    assert kilos.quantity.magnitude == pytest.approx(24, rel=1e-12)
    with pytest.raises(em.InputTypeError, match="takes a Result"):
        engine.quantity(kilos.quantity)


def test_quantity_of_an_array(prod: em.Engine) -> None:
    q = prod.convert((np.array([12000.0, 24000.0]), "transaction/month"), "labor_cost").quantity
    # 600 h x $45.65 = $27,390; double for 24,000
    np.testing.assert_allclose(q.to("USD/month").magnitude, [27390, 54780], rtol=1e-12)


# -- ranges -----------------------------------------------------------------------------------


def test_negative_inputs_keep_low_below_high(prod: em.Engine) -> None:
    r = prod.convert("-12000 transaction/month", "manual_work", negative="allow")
    # -12,000 x [1, 10] min = [-2,000, -200] h/month
    assert (r.low, r.magnitude, r.high) == pytest.approx((-2000, -600, -200), rel=1e-12)
    arr = prod.convert(
        (np.array([-12000.0, 12000.0]), "transaction/month"), "manual_work", negative="allow"
    )
    np.testing.assert_allclose(arr.low, [-2000, 200], rtol=1e-12)
    np.testing.assert_allclose(arr.high, [-200, 2000], rtol=1e-12)


def test_results_are_frozen(prod: em.Engine) -> None:
    r = prod.convert(TX, "fte")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.magnitude = 0  # type: ignore[misc]


def test_sources_each_once_in_order_of_use(prod: em.Engine) -> None:
    # transaction -> manual_work -> labor_cost: the assumption, then BLS (the hourly cost and
    # what it is derived from), then GAO (the 2,080 paid hours the hours worked come from)
    keys = [s.key for s in prod.convert(TX, "labor_cost").sources]
    assert keys == ["assumption_minutes_per_transaction", "bls_ecec_2025q2", "gao_fte"]


# -- explain and repr -------------------------------------------------------------------------


def test_explain_of_a_scalar(prod: em.Engine) -> None:
    text = prod.convert(TX, "labor_cost").explain()
    lines = text.splitlines()
    assert lines[0].startswith("12,000 transaction/month")
    assert lines[-1].startswith("Result:")
    assert "27,390" in lines[-1]  # 600 h x $45.65 per hour worked
    assert "USD/month" in lines[-1]
    assert "9,130" in lines[-1]  # the range: 200 h x $45.65
    assert "96,100" in lines[-1]  # 2,000 h x $48.05
    assert "Bureau of Labor Statistics" in text
    assert "45.65" in text
    assert "48.05" in text


def test_explain_of_an_array(prod: em.Engine) -> None:
    text = prod.convert((np.array([1.0, 2.0, 3.0]), "transaction/month"), "fte").explain()
    assert "3 values" in text
    assert "manual_work_fte" in text


def test_explain_of_an_inverse_step(prod: em.Engine) -> None:
    text = prod.convert("27390 USD/month", "transaction", of="labor_cost").explain()
    assert "÷" in text
    assert "12,000" in text  # $27,390 / $45.65 = 600 h; 600 h / 3 min = 12,000


def test_repr(prod: em.Engine) -> None:
    assert repr(prod.convert(TX, "manual_work")) == "<Result 600 hour/month of manual_work>"
    arr = prod.convert((np.zeros(5), "transaction/month"), "fte")
    assert repr(arr) == "<Result 5 values in FTE of fte>"


# -- pickling ---------------------------------------------------------------------------------


def test_pickle_round_trip(prod: em.Engine) -> None:
    r = prod.convert(TX, "fte")
    copy = pickle.loads(pickle.dumps(r))
    assert copy == r
    assert copy.explain() == r.explain()
    assert copy.to_dict() == r.to_dict()


def test_pickle_round_trip_of_an_array(prod: em.Engine) -> None:
    r = prod.convert((np.array([12000.0, np.nan]), "transaction/month"), "fte")
    copy = pickle.loads(pickle.dumps(r))
    np.testing.assert_array_equal(copy.magnitude, r.magnitude)
    assert copy.steps == r.steps
    assert json.dumps(copy.to_dict()) == json.dumps(r.to_dict())


def test_compiled_pickles(prod: em.Engine) -> None:
    compiled = prod.compile("transaction/month", "fte")
    copy = pickle.loads(pickle.dumps(compiled))
    assert copy == compiled
    assert copy.apply(12000).magnitude == pytest.approx(3.832842, rel=1e-6)  # 7,200 / 1,878.50


def test_result_unpickles_in_a_fresh_process(prod: em.Engine, tmp_path: Path) -> None:
    r = prod.convert(TX, "labor_cost")
    path = tmp_path / "result.pickle"
    path.write_bytes(pickle.dumps(r))
    script = (
        "import json, pickle, sys\n"
        "r = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "print(json.dumps({'dict': r.to_dict(), 'explain': r.explain(), "
        "'type': type(r).__module__ + '.' + type(r).__qualname__, 'low': r.low}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["dict"] == json.loads(json.dumps(r.to_dict()))
    assert out["explain"] == r.explain()
    assert out["low"] == pytest.approx(9130, rel=1e-12)  # 200 h x $45.65
    assert out["type"].endswith("Result")


# -- results built by hand --------------------------------------------------------------------


def test_a_result_without_steps() -> None:
    r = em.Result(
        magnitude=1.5,
        unit="hour",
        kind="manual_work",
        source_kind="manual_work",
        input_magnitude=90.0,
        input_unit="minute",
        factor=1 / 60,
        factor_low=1 / 60,
        factor_high=1 / 60,
        steps=(),
    )
    assert r.low == r.high == pytest.approx(1.5, rel=1e-12)
    assert "no rule" in r.explain()
    assert r.sources == ()
    data = r.to_dict()
    assert data["steps"] == []
    assert data["factor"] == pytest.approx(1 / 60, rel=1e-12)


def test_infinite_factor_is_null_in_json() -> None:
    r = em.Result(
        magnitude=math.inf,
        unit="hour",
        kind="k",
        source_kind="k",
        input_magnitude=1.0,
        input_unit="hour",
        factor=math.inf,
        factor_low=math.inf,
        factor_high=math.inf,
        steps=(),
    )
    data = r.to_dict()
    assert data["magnitude"] is None
    assert data["factor"] is None
    json.dumps(data, allow_nan=False)


def test_compiled_conversion_runs_in_a_fresh_process_without_pint(
    prod: em.Engine, tmp_path: Path
) -> None:
    # What crosses to a worker process holds plain floats only: unpickling and applying a
    # compiled conversion there never builds a pint registry.
    compiled = prod.compile("transaction/month", "fte")
    path = tmp_path / "compiled.pickle"
    path.write_bytes(pickle.dumps(compiled))
    script = (
        "import pickle, sys\n"
        "import equivmetrics._core.units as units\n"
        "c = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "r = c.apply(12000.0)\n"
        "print(r.magnitude, r.unit, units._built == 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    magnitude, unit, no_registry = done.stdout.split()
    # 12,000 x 3 min = 600 h/month; x 12 / 1,878.50 (2,080 x 32.07 / 35.51) = 3.8328 FTE
    assert float(magnitude) == pytest.approx(600 * 12 / (2080 * 32.07 / 35.51), rel=1e-12)
    assert unit == "FTE"
    assert no_registry == "True"
